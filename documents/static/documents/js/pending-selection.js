/**
 * The words a new note is about, painted in the text while its form is open: the reader's
 * own selection is gone as soon as they type in the form. The CSS Custom Highlight API
 * (::highlight(annotation-pending)) paints without adding an element, so the body's text,
 * and every offset, stay as they are; without it the form's quote still shows the words.
 */

import { codePointLength, utf16Index } from "./text-offsets.js";

const NAME = "annotation-pending";

/** The Ranges covering code points [start, end) of the document, one per passage's text node part. */
function rangesOf(textMap, start, end) {
  const ranges = [];
  for (const { passage, from, to } of textMap.parts(start, end)) {
    const walker = document.createTreeWalker(passage.text, NodeFilter.SHOW_TEXT);
    let position = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = codePointLength(node.data);
      const nodeStart = position;
      position += length;
      if (position <= from || nodeStart >= to) continue;
      const range = new Range();
      range.setStart(node, utf16Index(node.data, Math.max(from, nodeStart) - nodeStart));
      range.setEnd(node, utf16Index(node.data, Math.min(to, position) - nodeStart));
      ranges.push(range);
    }
  }
  return ranges;
}

/** Paint `target` ({start, end}, or a page note's, which has no words); null clears the paint. */
export function paintPending(textMap, target) {
  if (!("highlights" in CSS)) return;
  if (!target || target.wholeDocument) {
    CSS.highlights.delete(NAME);
    return;
  }
  CSS.highlights.set(NAME, new Highlight(...rangesOf(textMap, target.start, target.end)));
}

const SIGHT_MARGIN_PX = 16;

/**
 * On a phone the New form is a sheet over the lower part of the screen (position: fixed):
 * when it hides the first words of `target`, scroll them to the top of the window, above it.
 */
export function keepInSight(textMap, target, cover) {
  if (!target || target.wholeDocument || window.getComputedStyle(cover).position !== "fixed") return;
  const [first] = rangesOf(textMap, target.start, target.end);
  if (!first) return;
  const words = first.getBoundingClientRect();
  if (words.top >= 0 && words.bottom <= cover.getBoundingClientRect().top) return;
  window.scrollBy({ top: words.top - SIGHT_MARGIN_PX, behavior: "instant" });
}
