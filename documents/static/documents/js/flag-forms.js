/**
 * Flag: the entry's Flag button (on others' public notes) opens a small form asking for a
 * reason, sent to the note's flag address; the archive's answer, a sentence, is announced
 * and the focus goes back to the button. A refusal (no reason, a note gone) shows beside
 * the form, with the reason kept. Escape is Cancel, as in every annotator form.
 */

import { ApiError } from "./annotation-api.js";
import { fetchFromArchive } from "./archive-fetch.js";
import { cancelOnEscape, copyTemplate, submit } from "./forms.js";
import { actionButton, formSlot } from "./panel.js";

const SESSION = "Your session has changed, perhaps in another tab. Reload the page, log in if asked, and try again.";
const GONE = "This note no longer exists, or you may no longer see it. Reload the page.";

export class FlagForms {
  /**
   * @param {{side: Element, panel: import("./panel.js").Panel, csrfToken: string,
   *   announce: (message: string) => void}} parts
   */
  constructor({ side, panel, csrfToken, announce }) {
    this.side = side;
    this.panel = panel;
    this.csrfToken = csrfToken;
    this.announce = announce;
  }

  start() {
    this.side.addEventListener("click", (event) => {
      const button = event.target.closest('[data-action="flag"]');
      if (!button || !this.panel.element.contains(button)) return;
      const entry = button.closest(".annotation");
      if (entry) this.open(entry, button.dataset.flagUrl);
    });
  }

  open(entry, url) {
    const slot = formSlot(entry);
    const open = slot.querySelector(':scope > [data-form-kind="flag"]');
    if (open) {
      open.querySelector("textarea").focus();
      return;
    }
    const id = entry.dataset.annotationId;
    const form = copyTemplate(this.side, "flag-form");
    form.dataset.formKind = "flag";
    const backToButton = () => (actionButton(this.panel.entry(id) || entry, "flag") || entry).focus();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const message = await submit(form, () => this.send(url, form.elements.namedItem("reason").value));
      if (!message) return;
      form.remove();
      this.announce(message);
      backToButton();
    });
    form.querySelector("[data-form-cancel]").addEventListener("click", () => {
      form.remove();
      backToButton();
    });
    cancelOnEscape(form);
    slot.append(form);
    form.querySelector("textarea").focus();
  }

  async send(url, reason) {
    const body = new FormData();
    body.set("reason", reason);
    const response = await fetchFromArchive(url, { method: "POST", headers: { "X-CSRFToken": this.csrfToken }, body });
    const text = (await response.text()).trim();
    if (response.status === 404) throw new ApiError(404, GONE);
    if (response.status === 403) throw new ApiError(403, SESSION);
    if (!response.ok) throw new ApiError(response.status, text || `The flag was not sent (error ${response.status}).`);
    return text;
  }
}
