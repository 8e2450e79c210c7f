/**
 * Search hits in the reading view: a passage link from /search/ carries ?highlight=<words>#p-N,
 * and this module paints those words inside [data-document-body] with the CSS Custom Highlight
 * API (::highlight(search-hit)). It adds no element and changes no text, so the body's text
 * content stays exactly the canonical text and annotation offsets are untouched.
 *
 * Progressive enhancement: without it (or without CSS.highlights) the link still lands on the
 * passage, which :target marks.
 */

const NAME = "search-hit";
const MAX_WORDS = 12;

function wordsToHighlight() {
  const raw = new URLSearchParams(window.location.search).get("highlight") || "";
  return raw.split(/\s+/u).filter(Boolean).slice(0, MAX_WORDS);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}

function rangesFor(body, words) {
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${words.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}])`,
    "giu",
  );
  const ranges = [];
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(pattern)) {
      const range = new Range();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      ranges.push(range);
    }
  }
  return ranges;
}

function init() {
  const body = document.querySelector("[data-document-body]");
  const words = wordsToHighlight();
  if (!body || !words.length || !("highlights" in CSS)) return;
  const ranges = rangesFor(body, words);
  if (ranges.length) CSS.highlights.set(NAME, new Highlight(...ranges));
}

init();
