/**
 * The words of a passage, so a keyboard reader can narrow an annotation from a whole
 * passage to the words inside it (docs/reading-and-annotating.md, "How to annotate").
 *
 * A word is a run of characters other than white space (a non-breaking space separates
 * words too); its punctuation stays with it, as a reader counting words would expect.
 * Offsets count Unicode code points from the start of the passage, as the server does.
 */

const WORD = /\S+/gu;

/** [{start, end, text}] for each word of `text`, in code points from its start. */
export function wordsOf(text) {
  const words = [];
  let position = 0;
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    position += Array.from(text.slice(last, match.index)).length;
    const length = Array.from(match[0]).length;
    words.push({ start: position, end: position + length, text: match[0] });
    position += length;
    last = match.index + match[0].length;
  }
  return words;
}

/**
 * The code points [start, end) from word `first` to word `last` (1-based, inclusive),
 * each clamped to the words there are, so a number typed out of range still names words.
 */
export function wordSpan(words, first, last) {
  if (!words.length) return null;
  const clamp = (value) => Math.min(Math.max(1, Math.trunc(value) || 1), words.length);
  const from = clamp(first);
  const to = Math.max(from, clamp(last));
  return { start: words[from - 1].start, end: words[to - 1].end, first: from, last: to };
}
