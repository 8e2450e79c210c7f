/**
 * Copy link on each entry of the Annotations panel: its [data-copy-link] button holds the
 * entry's permanent address (/annotations/<id>/, which leads back to the entry in the
 * reading view and flashes it), made absolute and put on the clipboard.
 */

import { copyText } from "./clipboard.js";

export class CopyLinks {
  /**
   * @param {{side: Element, announce: (message: string) => void}} parts
   */
  constructor({ side, announce }) {
    this.side = side;
    this.announce = announce;
  }

  start() {
    this.side.addEventListener("click", async (event) => {
      const button = event.target.closest("[data-copy-link]");
      if (!button) return;
      const address = new URL(button.dataset.copyLink, window.location.href);
      const copied = await copyText(address.href);
      this.announce(copied ? "Link copied" : `Could not copy the link; it is ${address.href}`);
    });
  }
}
