/**
 * Cite this: each Copy citation button ([data-copy-citation] naming the id of the citation it
 * copies) puts that citation, as the page shows it, on the clipboard and says so in the
 * page's status region. The buttons are hidden until this module shows them, so a page
 * without JavaScript offers no control that does nothing.
 *
 * When the address names a passage (#p-n, as a passage's permalink does), the citations
 * that can ([data-passage-citation], rendered by the server with a "{passage}" placeholder)
 * cite that passage, and a line above them says so; another address puts them back.
 */

import { announcer } from "./announcer.js";
import { copyText } from "./clipboard.js";

const ANNOUNCE_FOR_MS = 4000;

const PASSAGE = /^#p-([1-9][0-9]*)$/;
const PLACEHOLDER = "{passage}";

function citePassage(section) {
  const match = PASSAGE.exec(window.location.hash);
  const passage = match && document.getElementById(`p-${match[1]}`) ? match[1] : null;
  for (const citation of section.querySelectorAll("[data-passage-citation]")) {
    if (citation.dataset.wholeCitation === undefined) citation.dataset.wholeCitation = citation.textContent;
    citation.textContent = passage
      ? citation.dataset.passageCitation.replaceAll(PLACEHOLDER, passage)
      : citation.dataset.wholeCitation;
  }
  const note = section.querySelector("[data-cite-passage]");
  if (!note) return;
  note.hidden = !passage;
  note.textContent = passage ? `Chicago and MLA below cite passage ${passage}, the one in the address.` : "";
}

function init() {
  const section = document.querySelector("section.cite");
  if (!section) return;
  citePassage(section);
  window.addEventListener("hashchange", () => citePassage(section));
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
