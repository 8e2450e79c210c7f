/**
 * The document admin's passage preview (entry module of the document's change page): the server renders
 * the passages of the text the form holds beside or under the field (archive.admin.TextWithPassages); as
 * the curator types, this asks it again and shows its answer, or the line the markup breaks at, in words.
 *
 * The server splits the text by the same rules as saving (docs/curators.md, "The text markup"), at the
 * staff-only address the field names in data-passage-preview-url, so there is one rule. A request waits
 * for a pause in typing, and only the answer to the latest text is shown. Passages are written as text
 * nodes, never as HTML.
 */

const PAUSE_MS = 400;
const UNAVAILABLE = "The preview could not be made; the passages show after saving.";

function row(passage) {
  const element = document.createElement("tr");
  for (const value of [String(passage.n), passage.kind, passage.text]) {
    const cell = document.createElement("td");
    cell.textContent = value;
    element.append(cell);
  }
  return element;
}

function start(region) {
  const field = document.getElementById(region.dataset.passagePreviewFor);
  const url = field?.dataset.passagePreviewUrl;
  if (!field?.form || !url) return;
  const error = region.querySelector("[data-passage-preview-error]");
  const empty = region.querySelector("[data-passage-preview-empty]");
  const table = region.querySelector("[data-passage-preview-table]");

  function show({ passages = [], problem = "" }) {
    error.textContent = problem;
    error.hidden = !problem;
    empty.hidden = Boolean(problem) || passages.length > 0;
    table.hidden = passages.length === 0;
    table.tBodies[0].replaceChildren(...passages.map(row));
  }

  let timer = null;
  let latest = 0;

  async function refresh() {
    latest += 1;
    const asked = latest;
    const body = new FormData();
    body.append("text", field.value);
    const token = field.form.querySelector("input[name=csrfmiddlewaretoken]");
    let answer;
    try {
      const response = await fetch(url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
      });
      const data = await response.json();
      answer = data.error ? { problem: data.error } : { passages: data.passages };
    } catch {
      answer = { problem: UNAVAILABLE };
    }
    if (asked === latest) show(answer);
  }

  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, PAUSE_MS);
  });
}

for (const region of document.querySelectorAll("[data-passage-preview-for]")) start(region);
