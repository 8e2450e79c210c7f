/**
 * Highlights and the panel's entries point at each other: the highlights are drawn from
 * the panel's compact list (every page's); clicking a highlight (or Enter or Space on it)
 * focuses its entry when it is on the panel's current page; "Show in text" focuses its highlight; an entry under the pointer or the focus
 * lights up its highlight; and an address ending in #annotation-<id> (a note's permalink)
 * shows both the note and its words: beside the text, the words in the middle of the window
 * and the entry in view in the panel's own scroll; in one column, where they are far apart,
 * the entry in view, whose quote shows the words.
 *
 * "Show in text" is a link to the passage, so without this module (or for an annotation
 * with no highlight) it still leads to the right place.
 */

import { clearHighlights, drawHighlights, markAt, marksOf } from "./highlights.js";

const FLASH_MS = 1600;
const LINKED_ENTRY = "#annotation-";
const LANDING_MARGIN_PX = 16;
const LANDING_SETTLES_MS = 1500;

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

  /**
   * Land on the note a #annotation-<id> address names (see above). The browser's own jump to
   * the fragment (smooth, where motion is welcome) may come after this module runs, so the
   * landing is made again after each scroll that ends in the first moments, until the reader
   * scrolls or types themselves.
   */
  showLinkedNote() {
    const { hash } = window.location;
    const id = hash.startsWith(LINKED_ENTRY) ? hash.slice(LINKED_ENTRY.length) : "";
    const entry = this.panel.entry(id);
    if (!entry) return;
    flash(entry);
    const marks = marksOf(this.body, id);
    for (const mark of marks) flash(mark);
    if (!marks.length) return;
    const land = () => {
      if (window.getComputedStyle(this.side).position === "sticky") {
        marks[0].scrollIntoView({ block: "center", behavior: "instant" });
        const top = entry.getBoundingClientRect().top - this.side.getBoundingClientRect().top;
        this.side.scrollTo({ top: this.side.scrollTop + top - LANDING_MARGIN_PX, behavior: "instant" });
      } else {
        entry.scrollIntoView({ block: "start", behavior: "instant" });
      }
    };
    land();
    const inputs = ["wheel", "touchstart", "keydown", "pointerdown"];
    const stop = () => {
      window.removeEventListener("scrollend", land);
      for (const type of inputs) window.removeEventListener(type, stop, true);
    };
    window.addEventListener("scrollend", land);
    for (const type of inputs) window.addEventListener(type, stop, true);
    const settle = () => window.setTimeout(stop, LANDING_SETTLES_MS);
    if (document.readyState === "complete") {
      settle();
    } else {
      const loaded = () => {
        land();
        settle();
      };
      window.addEventListener("load", loaded, { once: true });
    }
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
