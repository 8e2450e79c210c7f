/**
 * The document admin's live passage preview (entry module of the document's change page): as
 * the curator types in the text field, the passages it will make, numbered as readers will see
 * them, show under it before saving; or the line the markup breaks at, in words.
 *
 * The server splits the text by the same rules as saving (docs/curators.md, "The text markup"), at the
 * staff-only address the field names in data-passage-preview-url, so there is one rule. A
 * request waits for a pause in typing, and only the answer to the latest text is shown.
 * Passages are written as text nodes, never as HTML.
 */

const PAUSE_MS = 400;

function cell(row, tag, text) {
  const element = document.createElement(tag);
  element.textContent = text;
  row.append(element);
  return element;
}

function table(passages) {
  const element = document.createElement("table");
  const head = element.createTHead().insertRow();
  for (const title of ["No.", "Kind", "Text"]) cell(head, "th", title).scope = "col";
  const body = element.createTBody();
  for (const passage of passages) {
    const row = body.insertRow();
    cell(row, "td", String(passage.n));
    cell(row, "td", passage.kind);
    cell(row, "td", passage.text);
  }
  return element;
}

function start(field) {
  const form = field.form;
  const url = field.dataset.passagePreviewUrl;
  if (!form || !url) return;
  const region = document.createElement("section");
  region.className = "passage-preview-live";
  region.setAttribute("aria-labelledby", `${field.id}-preview-heading`);
  const heading = document.createElement("h3");
  heading.id = `${field.id}-preview-heading`;
  heading.textContent = "Passages as you type";
  const status = document.createElement("div");
  status.setAttribute("aria-live", "polite");
  status.dataset.passagePreviewResult = "";
  region.append(heading, status);
  field.after(region);

  let timer = null;
  let latest = 0;

  async function refresh() {
    latest += 1;
    const asked = latest;
    const body = new FormData();
    body.append("text", field.value);
    const token = form.querySelector("input[name=csrfmiddlewaretoken]");
    let shown;
    try {
      const response = await fetch(url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
      });
      const data = await response.json();
      if (data.error) {
        shown = document.createElement("p");
        shown.className = "passage-preview-error";
        shown.textContent = data.error;
      } else if (!data.passages.length) {
        shown = document.createElement("p");
        shown.textContent = "No passages yet: the text is empty.";
      } else {
        shown = table(data.passages);
      }
    } catch {
      shown = document.createElement("p");
      shown.textContent = "The preview could not be made; the passages show after saving.";
    }
    if (asked === latest) status.replaceChildren(shown);
  }

  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, PAUSE_MS);
  });
  refresh();
}

for (const field of document.querySelectorAll("textarea[data-passage-preview]")) start(field);
