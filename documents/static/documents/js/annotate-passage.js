/**
 * The Annotate passage buttons: one per passage, reachable by Tab, so a reader who does
 * not select with a pointer can still annotate (docs/reading-and-annotating.md, "How to annotate").
 * Pressing one hands the whole passage, described in canonical offsets by the TextMap, to
 * `onAnnotate`, with the passage's words so the form can narrow the range to some of them.
 *
 * The buttons sit beside each passage's ¶ link, inside [data-document-body], whose text
 * content must stay exactly the canonical text: so a button holds no text, its name is
 * its aria-label and its icon is CSS generated content.
 */

import { wordSpan, wordsOf } from "./passage-words.js";

function button() {
  const control = document.createElement("button");
  control.type = "button";
  control.className = "annotate-passage";
  control.setAttribute("aria-label", "Annotate passage");
  control.dataset.annotatePassage = "";
  return control;
}

export class PassageAnnotateButtons {
  /**
   * @param {{textMap: import("./text-offsets.js").TextMap,
   *   onAnnotate: (target: object, options: {narrow: Function, wordCount: number, opener: Element}) => void}} parts
   */
  constructor({ textMap, onAnnotate }) {
    this.textMap = textMap;
    this.onAnnotate = onAnnotate;
  }

  start() {
    for (const passage of this.textMap.passages) {
      const control = button();
      const permalink =
        passage.element.querySelector(":scope > a.permalink") ||
        passage.element.parentElement.querySelector(":scope > a.permalink");
      if (permalink) permalink.after(control);
      else passage.element.append(control);
      control.addEventListener("click", () => this.annotate(passage, control));
    }
  }

  annotate(passage, opener) {
    const target = this.textMap.target(passage.start, passage.end);
    if (!target) return;
    const words = wordsOf(target.exact);
    const narrow = (first, last) => {
      const span = wordSpan(words, first, last);
      if (!span) return null;
      const narrowed = this.textMap.target(passage.start + span.start, passage.start + span.end);
      return narrowed && { target: narrowed, first: span.first, last: span.last };
    };
    this.onAnnotate(target, { narrow, wordCount: words.length, opener });
  }
}
