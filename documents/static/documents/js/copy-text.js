/**
 * Copy buttons beside text shown on the page, such as a group's invitation links: each
 * [data-copy-text] button names the id of the element whose text it copies, and the page's
 * [data-copy-status] region says "Copied" (or how to copy by hand). The buttons are hidden
 * until this module shows them; without JavaScript the text itself stays selectable.
 */

import { announcer } from "./announcer.js";
import { copyText } from "./clipboard.js";

const ANNOUNCE_FOR_MS = 4000;

function init() {
  const buttons = document.querySelectorAll("[data-copy-text]");
  if (buttons.length === 0) return;
  const announce = announcer(document.querySelector("[data-copy-status]"), ANNOUNCE_FOR_MS);
  for (const button of buttons) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copyText);
      if (!source) return;
      const copied = await copyText(source.textContent.trim());
      announce(copied ? "Copied" : "Could not copy; select the link and copy it yourself.");
    });
  }
}

init();
