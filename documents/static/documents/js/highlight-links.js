/**
 * Highlights and the panel's entries point at each other: the highlights are drawn from
 * the panel's compact list (every page's); clicking a highlight (or Enter or Space on it)
 * focuses its entry when it is on the panel's current page; "Show in text" focuses its highlight; an entry under the pointer or the focus
 * lights up its highlight; and an address ending in #annotation-<id> flashes that entry.
 *
 * "Show in text" is a link to the passage, so without this module (or for an annotation
 * with no highlight) it still leads to the right place.
 */

import { clearHighlights, drawHighlights, markAt, marksOf } from "./highlights.js";

const FLASH_MS = 1600;
const LINKED_ENTRY = "#annotation-";

function flash(element) {
  element.classList.remove("flash");
  // Reading offsetWidth forces a layout, so adding the class again restarts the animation.
  void element.offsetWidth;
  element.classList.add("flash");
  window.setTimeout(() => element.classList.remove("flash"), FLASH_MS);
}

export class HighlightLinks {
  /**
   * @param {{body: Element, side: Element, panel: import("./panel.js").Panel,
   *   textMap: import("./text-offsets.js").TextMap}} parts
   */
  constructor({ body, side, panel, textMap }) {
    this.body = body;
    this.side = side;
    this.panel = panel;
    this.textMap = textMap;
  }

  start() {
    this.body.addEventListener("click", (event) => this.onMarkClick(event));
    this.body.addEventListener("keydown", (event) => this.onMarkKey(event));
    this.side.addEventListener("click", (event) => this.onShowInText(event));
    for (const type of ["mouseover", "focusin"]) {
      this.side.addEventListener(type, (event) => this.activate(event.target.closest?.(".annotation")));
    }
    for (const type of ["mouseout", "focusout"]) {
      this.side.addEventListener(type, () => this.activate(null));
    }
  }

  /** Draw the highlights of the panel's entries again, in place of the old ones. */
  draw() {
    clearHighlights(this.textMap);
    drawHighlights(this.textMap, this.panel.anchored());
  }

  /** The first mark of annotation `id`'s highlight, or undefined. */
  firstMark(id) {
    return marksOf(this.body, id)[0];
  }

  flashLinkedEntry() {
    const { hash } = window.location;
    const linked = hash.startsWith(LINKED_ENTRY) && this.panel.entry(hash.slice(LINKED_ENTRY.length));
    if (linked) flash(linked);
  }

  activate(entry) {
    for (const mark of this.body.querySelectorAll("mark.highlight-active")) {
      mark.classList.remove("highlight-active");
    }
    if (!entry) return;
    for (const mark of marksOf(this.body, entry.dataset.annotationId)) mark.classList.add("highlight-active");
  }

  showEntry(id) {
    const entry = this.panel.entry(id);
    if (!entry) return;
    entry.focus();
    flash(entry);
  }

  onMarkClick(event) {
    const mark = markAt(event.target);
    if (!mark || !document.getSelection().isCollapsed) return;
    this.showEntry(mark.dataset.annotationId);
  }

  onMarkKey(event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    if (!(event.target instanceof Element) || !event.target.matches("mark.highlight")) return;
    event.preventDefault();
    this.showEntry(event.target.dataset.annotationId);
  }

  /** Focus and flash the first mark of the entry's highlight; when it has none, the link is followed. */
  onShowInText(event) {
    const link = event.target.closest("[data-show-in-text]");
    if (!link || !this.panel.element.contains(link)) return;
    const entry = link.closest(".annotation");
    if (!entry) return;
    const marks = marksOf(this.body, entry.dataset.annotationId);
    if (!marks.length) return;
    event.preventDefault();
    marks[0].focus({ preventScroll: true });
    marks[0].scrollIntoView({ block: "center" });
    for (const mark of marks) flash(mark);
  }
}
