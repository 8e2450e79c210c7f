/**
 * The Annotations panel ([data-annotations-panel] in [data-annotations-side]): its entries,
 * and its refresh from the server after every change.
 *
 * The server renders the panel (one rendering of an annotation, with the filters of the
 * address), so after a change the page fetches it again rather than drawing an entry
 * itself, and never shows something the server would not. A refresh carries over the forms
 * still open in the old panel ([data-annotator-slot] and each entry's
 * [data-annotation-forms]), so nothing typed is lost.
 */

import { fetchFromArchive } from "./archive-fetch.js";

/** The entry (.annotation) of annotation `id` inside `root`, or null. */
function entryIn(root, id) {
  return root.querySelector(`.annotation[data-annotation-id="${CSS.escape(id)}"]`);
}

/** Where an entry's own forms go: its [data-annotation-forms], outside its replies. */
export function formSlot(entry) {
  return entry.querySelector(":scope > [data-annotation-forms]");
}

/** An entry's own button for `action` ("edit", "delete", "reply"), not one of its replies'. */
export function actionButton(entry, action) {
  return entry.querySelector(`:scope > .annotation-actions [data-action="${action}"]`);
}

/** Show the controls that need the annotator (Edit, Delete, Reply, the selection hint). */
function reveal(panel) {
  for (const element of panel.querySelectorAll("[data-requires-script]")) element.hidden = false;
}

export class Panel {
  /**
   * @param {Element} side the [data-annotations-side] element that holds the panel.
   * @param {string} url the panel's own address, which answers its HTML.
   */
  constructor(side, url) {
    this.side = side;
    this.url = url;
  }

  /** The panel in the page now: a refresh replaces the element. */
  get element() {
    return this.side.querySelector("[data-annotations-panel]");
  }

  start() {
    reveal(this.element);
  }

  entry(id) {
    return id ? entryIn(this.element, id) : null;
  }

  /** Where the form for a new annotation goes. */
  newFormSlot() {
    return this.element.querySelector("[data-annotator-slot]");
  }

  /** How many annotations the reader may see here, as the server last counted them. */
  get total() {
    return this.element.dataset.total ?? "";
  }

  focusHeading() {
    this.element.querySelector("#annotations-heading")?.focus();
  }

  /**
   * The {id, start, end, kind, label} of each anchored annotation the filters let through, on
   * every page of the panel: the server lists them compactly as [id, start, end, kind code] in
   * #annotation-highlights, and the legend gives each code its kind and label.
   */
  anchored() {
    const data = this.element.querySelector("#annotation-highlights");
    const rows = data ? JSON.parse(data.textContent) : [];
    const kinds = new Map(
      [...this.element.querySelectorAll("[data-highlight-code]")].map((label) => [
        label.dataset.highlightCode,
        { kind: label.dataset.highlightKind, label: label.textContent },
      ]),
    );
    return rows
      .map(([id, start, end, code]) => ({
        id: String(id),
        start: Number(start),
        end: Number(end),
        ...(kinds.get(String(code)) || { kind: "", label: "" }),
      }))
      .filter(({ start, end }) => Number.isInteger(start) && Number.isInteger(end) && end > start);
  }

  /**
   * Fetch the panel again (with the filters of the address) and put it in place with the
   * open forms carried over and the focus where it was. Rejects, leaving the old panel,
   * when the server does not answer with a panel.
   */
  async refresh() {
    const url = new URL(this.url, window.location.href);
    url.search = window.location.search;
    const response = await fetchFromArchive(url, { headers: { Accept: "text/html" } });
    if (!response.ok) throw new Error(`The panel answered ${response.status}.`);
    const holder = document.createElement("template");
    holder.innerHTML = await response.text();
    const fresh = holder.content.querySelector("[data-annotations-panel]");
    if (!fresh) throw new Error("The panel's answer holds no panel.");
    const old = this.element;
    const focused = document.activeElement;
    const freshSlot = fresh.querySelector("[data-annotator-slot]");
    const oldSlot = old.querySelector("[data-annotator-slot]");
    if (freshSlot && oldSlot) freshSlot.append(...oldSlot.childNodes);
    for (const slot of old.querySelectorAll("[data-annotation-forms]")) {
      if (!slot.childElementCount) continue;
      const entry = entryIn(fresh, slot.closest(".annotation").dataset.annotationId);
      if (entry) formSlot(entry).append(...slot.childNodes);
    }
    old.replaceWith(fresh);
    reveal(fresh);
    if (focused && fresh.contains(focused)) focused.focus();
  }
}
