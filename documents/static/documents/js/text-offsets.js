/**
 * Offsets in the document's canonical text, from boundary points in the reading view.
 *
 * The server counts every offset in Unicode code points (docs/curators.md, "The text markup"), while the DOM
 * counts UTF-16 units: a character outside the Basic Multilingual Plane is one code
 * point but two units. Everything here converts between the two explicitly.
 *
 * The text content of [data-document-body] is exactly the canonical text (docs/reading-and-annotating.md, "Readers"):
 * passage n is an element id="p-n" with data-start/data-end and its text in
 * span.passage-text, passages are separated by "\n\n" text nodes, and nothing else
 * inside holds text (highlights' <mark>s add none). So the quote is cut from that text
 * content, not from Selection.toString(), which follows the layout instead.
 */

export const CONTEXT_LENGTH = 32;

/** The number of code points in `text`; a surrogate pair counts once. */
export function codePointLength(text) {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** The UTF-16 index in `text` where code point number `count` starts (text.length past the end). */
export function utf16Index(text, count) {
  let index = 0;
  let seen = 0;
  for (const character of text) {
    if (seen === count) return index;
    index += character.length;
    seen += 1;
  }
  return text.length;
}

function isHighSurrogate(code) {
  return code >= 0xd800 && code <= 0xdbff;
}

/** -1, 0 or 1: the point (node, offset) is before, inside or after the contents of `element`. */
function comparePointTo(element, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(element);
  return range.comparePoint(node, offset);
}

export class TextMap {
  /**
   * @param {Element} body the [data-document-body] element.
   */
  constructor(body) {
    this.passages = Array.from(body.querySelectorAll('[id^="p-"][data-start][data-end]'))
      .map((element) => ({
        element,
        text: element.querySelector("span.passage-text"),
        start: Number(element.dataset.start),
        end: Number(element.dataset.end),
      }))
      .filter((passage) => passage.text && Number.isInteger(passage.start) && Number.isInteger(passage.end));
    this.codePoints = Array.from(body.textContent);
  }

  /** The canonical text between two code-point offsets. */
  slice(start, end) {
    return this.codePoints.slice(Math.max(0, start), Math.max(0, end)).join("");
  }

  /**
   * A Range as the two W3C selectors' values: {start, end, exact, prefix, suffix}, or
   * null when it covers no text of the document.
   */
  describe(range) {
    const start = this.offset(range.startContainer, range.startOffset, "start");
    const end = this.offset(range.endContainer, range.endOffset, "end");
    if (start === null || end === null) return null;
    return this.target(start, end);
  }

  /** The code points [start, end) as the two W3C selectors' values, or null when empty. */
  target(start, end) {
    if (end <= start) return null;
    return {
      start,
      end,
      exact: this.slice(start, end),
      prefix: this.slice(start - CONTEXT_LENGTH, start),
      suffix: this.slice(end, end + CONTEXT_LENGTH),
    };
  }

  /**
   * The code-point offset of a boundary point. A point outside every passage's text (on a
   * permalink, between passages) snaps inwards: a start to the next passage's start, an
   * end to the previous passage's end; null when there is no such passage.
   */
  offset(node, offset, side) {
    let low = 0;
    let high = this.passages.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const passage = this.passages[middle];
      let where;
      try {
        where = comparePointTo(passage.text, node, offset);
      } catch {
        return null;
      }
      if (where === 0) return this.inside(middle, this.countBefore(passage.text, node, offset, side), side);
      if (where < 0) high = middle - 1;
      else low = middle + 1;
    }
    if (side === "start") return low < this.passages.length ? this.passages[low].start : null;
    return high >= 0 ? this.passages[high].end : null;
  }

  /**
   * The offset of a point `count` code points into passage `index`. An end at the very
   * start of a passage belongs to the passage before (a triple click selects up to there),
   * as a start at the very end belongs to the passage after: a quote never begins or ends
   * with the separator.
   */
  inside(index, count, side) {
    const passage = this.passages[index];
    if (side === "end" && count === 0 && index > 0) return this.passages[index - 1].end;
    if (side === "start" && passage.start + count === passage.end && index + 1 < this.passages.length) {
      return this.passages[index + 1].start;
    }
    return passage.start + count;
  }

  /** Code points of `text` before the point; a point inside a surrogate pair moves outwards. */
  countBefore(text, node, offset, side) {
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(node, offset);
    const before = range.toString();
    const count = codePointLength(before);
    const splitsAPair = before.length > 0 && isHighSurrogate(before.charCodeAt(before.length - 1));
    return splitsAPair && side === "start" ? count - 1 : count;
  }

  /** The passages that [start, end) touches, each with the part of the range inside it, local to it. */
  *parts(start, end) {
    for (const passage of this.passages) {
      if (passage.end <= start) continue;
      if (passage.start >= end) break;
      const from = Math.max(start, passage.start) - passage.start;
      const to = Math.min(end, passage.end) - passage.start;
      if (to > from) yield { passage, from, to };
    }
  }
}
