/**
 * Re-attach to selection (docs/curators.md, "Revisions"): the author of a changed or orphaned note
 * selects other words of the text and presses the button in its entry
 * ([data-action="reattach"]); the note is put back through the API with the selection's
 * two selectors, its comment, tags and visibility as they are. The server anchors it there
 * and forgets the old quote; the panel is then fetched again, so the entry leaves
 * "Orphaned annotations" and its highlight is drawn from what the server says.
 *
 * The typed-words form next to the button does the same without scripts. Pressing the
 * button with the mouse must not clear the selection it is about, so its mousedown is
 * cancelled.
 */

import { showingApiErrors } from "./annotation-api.js";
import { entryMessage } from "./annotation-forms.js";
import { reattached } from "./web-annotations.js";

export const NO_SELECTION = "Select the words to attach this note to, then press Re-attach to selection.";

const CONTROL = '[data-action="reattach"]';

export class Reattach {
  /**
   * @param {{side: Element, body: Element, panel: import("./panel.js").Panel,
   *   api: import("./annotation-api.js").AnnotationApi,
   *   textMap: import("./text-offsets.js").TextMap, announce: (message: string) => void,
   *   afterChange: (message: string, options?: {id?: string, focus?: string}) => Promise<void>}} parts
   */
  constructor({ side, body, panel, api, textMap, announce, afterChange }) {
    this.side = side;
    this.body = body;
    this.panel = panel;
    this.api = api;
    this.textMap = textMap;
    this.announce = announce;
    this.afterChange = afterChange;
    this.busy = new Set();
  }

  start() {
    this.side.addEventListener("mousedown", (event) => {
      if (event.target.closest(CONTROL)) event.preventDefault();
    });
    this.side.addEventListener("click", (event) => {
      const control = event.target.closest(CONTROL);
      if (!control || !this.panel.element.contains(control)) return;
      const entry = control.closest(".annotation");
      if (entry) this.reattach(entry);
    });
  }

  /** The selection in the document's text as a TextMap description, or null when there is none. */
  selected() {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    return range.intersectsNode(this.body) ? this.textMap.describe(range) : null;
  }

  async reattach(entry) {
    const target = this.selected();
    if (!target) {
      this.announce(NO_SELECTION);
      return;
    }
    const id = entry.dataset.annotationId;
    if (this.busy.has(id)) return;
    this.busy.add(id);
    try {
      const show = (message) => entryMessage(this.panel.entry(id) || entry, message);
      const fetched = await showingApiErrors(() => this.api.get(id), show);
      if (!fetched) return;
      const saved = await showingApiErrors(
        () => this.api.replace(id, reattached(fetched.data, target), fetched.etag),
        show,
      );
      if (!saved) return;
      document.getSelection()?.removeAllRanges();
      await this.afterChange("Annotation re-attached.", { id, focus: "mark" });
    } finally {
      this.busy.delete(id);
    }
  }
}
