/**
 * Cite this: each Copy citation button ([data-copy-citation] naming the id of the citation it
 * copies) puts that citation, as the page shows it, on the clipboard and says so in the
 * page's status region. The buttons are hidden until this module shows them, so a page
 * without JavaScript offers no control that does nothing.
 */

import { announcer } from "./announcer.js";
import { copyText } from "./clipboard.js";

const ANNOUNCE_FOR_MS = 4000;

function init() {
  const section = document.querySelector("section.cite");
  if (!section) return;
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
