/**
 * Cite this: each Copy citation button ([data-copy-citation] naming the id of the citation it
 * copies) puts that citation, as the page shows it, on the clipboard and says so in the
 * page's status region. The buttons are hidden until this module shows them, so a page
 * without JavaScript offers no control that does nothing.
 *
 * When the reader has selected words in the text, or else when the address names a passage
 * (#p-n, as a passage's permalink does), Chicago, MLA and APA cite that passage, the one where
 * the selection starts: each takes the content of its <template data-passage-citation-for>,
 * rendered by the server with a "{passage}" placeholder (titles stay in italics). A line above
 * them says so and quotes the selected words, which no style's list entry has room for. A new selection in the text, or a
 * click in it that leaves nothing selected, changes the passage; a selection elsewhere
 * (in Cite this itself, say) keeps it, so the citation does not change while it is copied.
 */

import { announcer } from "./announcer.js";
import { copyText } from "./clipboard.js";

const ANNOUNCE_FOR_MS = 4000;

const PASSAGE = /^#p-([1-9][0-9]*)$/;
const PLACEHOLDER = "{passage}";

const QUOTE_LENGTH = 200;

/** Each citation's own nodes (the whole document's entry), kept while it cites a passage. */
const wholeCitations = new WeakMap();

/** The words selected in the text and the number of the passage where they start, or null. */
function selectedWords(body) {
  const selection = document.getSelection();
  if (!body || !selection || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!body.contains(range.commonAncestorContainer)) return undefined;
  const words = selection.toString().replace(/\s+/g, " ").trim();
  const start = range.startContainer;
  const passage = (start.nodeType === Node.ELEMENT_NODE ? start : start.parentElement)?.closest(".passage");
  const match = passage && /^p-([1-9][0-9]*)$/.exec(passage.id);
  if (!words || !match) return null;
  return { passage: match[1], words: words.length > QUOTE_LENGTH ? `${words.slice(0, QUOTE_LENGTH)}…` : words };
}

/** The citation's content for a passage: its <template>'s, with the passage's number in place. */
function passageContent(template, passage) {
  const content = template.content.cloneNode(true);
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    node.data = node.data.replaceAll(PLACEHOLDER, passage);
  }
  return content;
}

function citePassage(section, selected) {
  const match = PASSAGE.exec(window.location.hash);
  const linked = match && document.getElementById(`p-${match[1]}`) ? match[1] : null;
  const passage = selected ? selected.passage : linked;
  for (const template of section.querySelectorAll("template[data-passage-citation-for]")) {
    const citation = document.getElementById(template.dataset.passageCitationFor);
    if (!citation) continue;
    if (!wholeCitations.has(citation)) wholeCitations.set(citation, [...citation.childNodes]);
    citation.replaceChildren(...(passage ? [passageContent(template, passage)] : wholeCitations.get(citation)));
  }
  const note = section.querySelector("[data-cite-passage]");
  if (!note) return;
  note.hidden = !passage;
  if (selected) {
    note.textContent = `The citations below cite passage ${passage}, where the words you selected start: “${selected.words}”`;
  } else {
    note.textContent = passage ? `The citations below cite passage ${passage}, the one in the address.` : "";
  }
}

function init() {
  const section = document.querySelector("section.cite");
  if (!section) return;
  const body = document.querySelector("[data-document-body]");
  let selected = null;
  citePassage(section, selected);
  window.addEventListener("hashchange", () => {
    selected = null;
    citePassage(section, selected);
  });
  document.addEventListener("selectionchange", () => {
    const now = selectedWords(body);
    if (now === undefined || (now === null && selected === null)) return;
    if (now && selected && now.passage === selected.passage && now.words === selected.words) return;
    selected = now;
    citePassage(section, selected);
  });
  const announce = announcer(document.querySelector("[data-permalink-status]"), ANNOUNCE_FOR_MS);
  for (const element of section.querySelectorAll("[data-requires-script]")) element.hidden = false;
  section.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy-citation]");
    if (!button) return;
    const citation = document.getElementById(button.dataset.copyCitation);
    if (!citation) return;
    const copied = await copyText(citation.textContent.trim());
    announce(copied ? "Citation copied" : "Could not copy the citation; select it and copy it yourself.");
  });
}

init();
