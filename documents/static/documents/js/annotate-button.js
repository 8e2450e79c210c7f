/**
 * The Annotate and Highlight buttons ([data-annotate-popover]): shown by a selection of the
 * document's text, for a reader who may annotate; Annotate hands the selection, described in
 * canonical offsets by the TextMap, to `onAnnotate`, Highlight to `onHighlight`.
 *
 * The buttons wait for the selection to settle (a pause, or the pointer let go), and are
 * placed in the text just after the selection's last block so Tab reaches them next. They
 * are drawn above the selection's first line, so they hide neither the words selected nor
 * the line after them; below its last line only when there is no room above in the window.
 * Escape dismisses them; pressing one never clears the selection it is about.
 */

const SELECTION_DELAY_MS = 200;
const GAP_PX = 4;

export class AnnotateButton {
  /**
   * @param {{popover: Element, body: Element, textMap: import("./text-offsets.js").TextMap,
   *   onAnnotate: (target: object) => void, onHighlight: (target: object) => void}} parts
   */
  constructor({ popover, body, textMap, onAnnotate, onHighlight }) {
    this.popover = popover;
    this.button = popover.querySelector("[data-annotate]");
    this.highlightButton = popover.querySelector("[data-highlight]");
    this.body = body;
    this.textMap = textMap;
    this.onAnnotate = onAnnotate;
    this.onHighlight = onHighlight;
    this.pendingTarget = null;
  }

  start() {
    let timer = 0;
    let pointerDown = false;
    const schedule = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => this.onSelection(), SELECTION_DELAY_MS);
    };
    document.addEventListener("selectionchange", () => {
      if (!pointerDown) schedule();
    });
    document.addEventListener("pointerdown", (event) => {
      if (!this.popover.contains(event.target)) pointerDown = true;
    });
    document.addEventListener("pointerup", () => {
      if (!pointerDown) return;
      pointerDown = false;
      schedule();
    });
    this.popover.addEventListener("mousedown", (event) => event.preventDefault());
    for (const [button, act] of [
      [this.button, this.onAnnotate],
      [this.highlightButton, this.onHighlight],
    ]) {
      button?.addEventListener("click", () => {
        const target = this.pendingTarget;
        this.hide();
        if (target) act(target);
      });
    }
    this.popover.addEventListener("focusout", () => window.setTimeout(() => this.onSelection(), 0));
    document.addEventListener("keydown", (event) => this.onKey(event));
  }

  /**
   * Escape dismisses the button. Tab right after selecting text goes to it: browsers
   * disagree on where Tab starts from after a selection, and the button is what a
   * keyboard user who has just selected text is looking for.
   */
  onKey(event) {
    if (this.popover.hidden) return;
    if (event.key === "Escape") {
      this.hide();
      return;
    }
    if (event.key !== "Tab" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    const focused = document.activeElement;
    const inText = !focused || focused === document.body || focused.id === "main";
    if (!(inText || this.body.contains(focused)) || this.popover.contains(focused)) return;
    event.preventDefault();
    this.button.focus();
  }

  onSelection() {
    if (this.popover.contains(document.activeElement)) return;
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      this.hide();
      return;
    }
    const range = selection.getRangeAt(0);
    const target = range.intersectsNode(this.body) ? this.textMap.describe(range) : null;
    if (!target) {
      this.hide();
      return;
    }
    this.pendingTarget = target;
    this.show(range);
  }

  /** The child of the document body that holds `node`, or null when it is outside. */
  blockOf(node) {
    let element = node instanceof Element ? node : node.parentElement;
    while (element && element.parentElement !== this.body) element = element.parentElement;
    return element;
  }

  /**
   * Put the buttons after the selection's last block and draw them above its first line,
   * where the selection starts; below its last line when the window has no room above.
   */
  show(range) {
    const block = this.blockOf(range.endContainer);
    if (block && block !== this.popover) block.after(this.popover);
    else if (!block) this.body.append(this.popover);
    this.popover.hidden = false;
    const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
    const first = rects[0] || range.getBoundingClientRect();
    const last = rects[rects.length - 1] || first;
    const box = this.body.getBoundingClientRect();
    const width = this.popover.offsetWidth;
    const height = this.popover.offsetHeight;
    const above = first.top - height - GAP_PX >= 0;
    const anchor = above ? first : last;
    const left = Math.max(0, Math.min(anchor.left - box.left, box.width - width));
    const top = above ? first.top - box.top - height - GAP_PX : last.bottom - box.top + GAP_PX;
    this.popover.style.left = `${Math.round(left)}px`;
    this.popover.style.top = `${Math.round(top)}px`;
  }

  hide() {
    this.popover.hidden = true;
    this.pendingTarget = null;
  }
}
