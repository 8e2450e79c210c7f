/**
 * Highlights: <mark class="highlight" data-annotation-id="..."> elements around the text
 * each anchored annotation covers. A mark of a known kind (private, mine, group, public)
 * carries the class highlight-<kind>, whose underline style tells the kinds apart as much as
 * its colour, and the legend's words for it as its title.
 *
 * A highlight may cross passages and other highlights, so one annotation can need several
 * marks, and overlapping annotations nest their marks (the inner, later-starting one
 * inside). Marks only split text nodes: the text, and so every offset, is unchanged.
 */

import { codePointLength, utf16Index } from "./text-offsets.js";

const MARK_SELECTOR = "mark.highlight";

/** The Text nodes inside `element`, in document order, including those already inside marks. */
function textNodes(element) {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  return nodes;
}

function wrap(textNode, { id: annotationId, kind = "", label = "" }) {
  const mark = document.createElement("mark");
  mark.className = kind ? `highlight highlight-${kind}` : "highlight";
  if (label) mark.title = label;
  mark.dataset.annotationId = annotationId;
  mark.setAttribute("aria-details", `annotation-${annotationId}`);
  textNode.parentNode.insertBefore(mark, textNode);
  mark.appendChild(textNode);
  return mark;
}

/** Wrap the code points [from, to) of one passage's text in marks for `note`; returns the marks. */
function markPassage(text, from, to, note) {
  const marks = [];
  let position = 0;
  for (const node of textNodes(text)) {
    const length = codePointLength(node.data);
    const nodeStart = position;
    position += length;
    if (position <= from || nodeStart >= to) continue;
    const startIndex = utf16Index(node.data, Math.max(from, nodeStart) - nodeStart);
    const endIndex = utf16Index(node.data, Math.min(to, position) - nodeStart);
    if (endIndex <= startIndex) continue;
    let covered = node;
    if (endIndex < covered.data.length) covered.splitText(endIndex);
    if (startIndex > 0) covered = covered.splitText(startIndex);
    marks.push(wrap(covered, note));
  }
  return marks;
}

/**
 * Draw one highlight per annotation. `annotations` are {id, start, end} in code points, with
 * their `kind` and its `label` when known. The first mark of each is focusable, so each
 * highlight is one stop for the Tab key.
 */
export function drawHighlights(textMap, annotations) {
  const ordered = [...annotations].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const note of ordered) {
    const marks = [];
    for (const { passage, from, to } of textMap.parts(note.start, note.end)) {
      marks.push(...markPassage(passage.text, from, to, note));
    }
    if (marks.length) marks[0].tabIndex = 0;
  }
}

/** Remove every highlight, joining the split text nodes again. */
export function clearHighlights(textMap) {
  for (const { text } of textMap.passages) {
    const marks = text.querySelectorAll(MARK_SELECTOR);
    if (!marks.length) continue;
    for (const mark of marks) mark.replaceWith(...mark.childNodes);
    text.normalize();
  }
}

/** The marks of one annotation, in document order. */
export function marksOf(container, annotationId) {
  return Array.from(container.querySelectorAll(MARK_SELECTOR)).filter(
    (mark) => mark.dataset.annotationId === annotationId,
  );
}

export function markAt(node) {
  const element = node instanceof Element ? node : node?.parentElement;
  return element ? element.closest(MARK_SELECTOR) : null;
}
