/**
 * The comment editor's Preview: the button in an annotation form shows the comment as it
 * will be saved, rendered by the server's own sanitiser (docs/reading-and-annotating.md, "How to annotate"); pressed
 * again it hides the preview. Typing after a preview hides it, so it never shows stale text.
 *
 * The answer is the sanitiser's HTML (links stamped, raw HTML switched off), the same
 * markup the panel shows for a saved comment, so it is put in the page as it is.
 */

import { fetchFromArchive } from "./archive-fetch.js";

export class CommentPreview {
  /**
   * @param {{side: Element, url: string, csrfToken: string}} parts
   */
  constructor({ side, url, csrfToken }) {
    this.side = side;
    this.url = url;
    this.csrfToken = csrfToken;
  }

  start() {
    this.side.addEventListener("click", (event) => {
      const button = event.target.closest("[data-preview-comment]");
      if (button) this.toggle(button);
    });
    this.side.addEventListener("input", (event) => {
      if (event.target.name !== "comment") return;
      const form = event.target.closest("form");
      const button = form?.querySelector("[data-preview-comment]");
      if (button) this.hide(button);
    });
  }

  region(button) {
    return document.getElementById(button.getAttribute("aria-controls"));
  }

  hide(button) {
    button.setAttribute("aria-expanded", "false");
    button.textContent = "Preview";
    const region = this.region(button);
    if (region) region.hidden = true;
  }

  async toggle(button) {
    if (button.getAttribute("aria-expanded") === "true") {
      this.hide(button);
      return;
    }
    const form = button.closest("form");
    const region = this.region(button);
    if (!form || !region) return;
    const body = new FormData();
    body.set("comment", form.elements.namedItem("comment").value);
    let html;
    try {
      const response = await fetchFromArchive(this.url, {
        method: "POST",
        headers: { "X-CSRFToken": this.csrfToken, Accept: "text/html" },
        body,
      });
      const text = await response.text();
      html = response.ok ? text : null;
      if (!response.ok) region.textContent = text || "The preview could not be made; try again.";
    } catch {
      region.textContent = "The preview could not be made; check your connection and try again.";
    }
    if (html !== undefined && html !== null) {
      region.innerHTML = html.trim() ? html : "<p><em>Nothing to preview yet.</em></p>";
    }
    region.hidden = false;
    button.setAttribute("aria-expanded", "true");
    button.textContent = "Hide preview";
  }
}
