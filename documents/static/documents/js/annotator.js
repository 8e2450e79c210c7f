/**
 * The annotator in the reading view: highlights for the annotations listed in the panel,
 * and, for a logged-in reader, an Annotate button on a selection, with forms to write,
 * edit, reply to and delete annotations through the Web Annotation Protocol API.
 *
 * Progressive enhancement: the server renders the text and the Annotations panel, so the
 * page reads without this module. After every change the panel is fetched again from the
 * server (one rendering of an annotation) and the highlights are drawn from its entries'
 * data-start/data-end, so the page never shows something the server would not.
 *
 * Markup it relies on (documents/document_detail.html and _annotations_panel.html):
 * [data-annotator] carries the URLs; [data-document-body] the passages; the panel
 * [data-annotations-panel] the entries (.annotation with data-annotation-id); and
 * <template data-template> elements the forms, so their labels live in the templates.
 */

import { AnnotationApi, ApiError, showingApiErrors } from "./annotation-api.js";
import { announcer } from "./announcer.js";
import { fetchFromArchive } from "./archive-fetch.js";
import { clearHighlights, drawHighlights, markAt, marksOf } from "./highlights.js";
import { TextMap } from "./text-offsets.js";
import { edited, isReply, newAnnotation, newReply, parseTags, readBodies } from "./web-annotations.js";

const SELECTION_DELAY_MS = 200;
const FLASH_MS = 1600;
const ANNOUNCE_FOR_MS = 5000;
const QUOTE_PREVIEW = 300;

let uniqueSuffix = 0;

/** A copy of a <template>'s first element, with ids (and the references to them) made unique. */
function instantiate(template) {
  const element = template.content.firstElementChild.cloneNode(true);
  uniqueSuffix += 1;
  const renamed = new Map();
  for (const node of [element, ...element.querySelectorAll("[id]")]) {
    if (!node.id) continue;
    const id = `${node.id}-${uniqueSuffix}`;
    renamed.set(node.id, id);
    node.id = id;
  }
  for (const attribute of ["for", "aria-describedby", "aria-labelledby"]) {
    for (const node of [element, ...element.querySelectorAll(`[${attribute}]`)]) {
      const value = node.getAttribute(attribute);
      if (value === null) continue;
      const tokens = value.split(/\s+/).map((token) => renamed.get(token) || token);
      node.setAttribute(attribute, tokens.join(" "));
    }
  }
  return element;
}

function flash(element) {
  element.classList.remove("flash");
  // Reading offsetWidth forces a layout, so adding the class again restarts the animation.
  void element.offsetWidth;
  element.classList.add("flash");
  window.setTimeout(() => element.classList.remove("flash"), FLASH_MS);
}

function preview(text) {
  return text.length > QUOTE_PREVIEW ? `${text.slice(0, QUOTE_PREVIEW)}…` : text;
}

class Annotator {
  constructor(root) {
    const data = root.dataset;
    this.body = root.querySelector("[data-document-body]");
    this.side = root.querySelector("[data-annotations-side]");
    this.popover = root.querySelector("[data-annotate-popover]");
    this.announce = announcer(document.querySelector("[data-annotator-status]"), ANNOUNCE_FOR_MS);
    this.panelUrl = data.panelUrl;
    this.source = data.source;
    this.canAnnotate = data.canAnnotate === "true";
    this.api = new AnnotationApi({
      containerUrl: data.annotationsUrl,
      resourceBase: data.annotationApiUrl,
      csrfToken: data.csrfToken || "",
    });
    this.textMap = new TextMap(this.body);
    this.pendingTarget = null;
    this.newTarget = null;
  }

  get panel() {
    return this.side.querySelector("[data-annotations-panel]");
  }

  start() {
    this.reveal(this.panel);
    this.draw();
    this.body.addEventListener("click", (event) => this.onMarkClick(event));
    this.body.addEventListener("keydown", (event) => this.onMarkKey(event));
    this.side.addEventListener("click", (event) => this.onPanelClick(event));
    for (const type of ["mouseover", "focusin"]) {
      this.side.addEventListener(type, (event) => this.activate(event.target.closest?.(".annotation")));
    }
    for (const type of ["mouseout", "focusout"]) {
      this.side.addEventListener(type, () => this.activate(null));
    }
    if (this.canAnnotate && this.popover) this.watchSelection();
    const { hash } = window.location;
    const linked = hash.startsWith("#annotation-") && this.entry(hash.slice("#annotation-".length));
    if (linked) flash(linked);
  }

  entry(id) {
    const element = document.getElementById(`annotation-${id}`);
    return element && this.panel.contains(element) ? element : null;
  }

  /** Show the controls that need this module (Edit, Delete, Reply, the selection hint). */
  reveal(panel) {
    for (const element of panel.querySelectorAll("[data-requires-script]")) element.hidden = false;
  }

  draw() {
    clearHighlights(this.textMap);
    const anchored = Array.from(this.panel.querySelectorAll(".annotation[data-start][data-end]"))
      .map((entry) => ({
        id: entry.dataset.annotationId,
        start: Number(entry.dataset.start),
        end: Number(entry.dataset.end),
      }))
      .filter(({ start, end }) => Number.isInteger(start) && Number.isInteger(end) && end > start);
    drawHighlights(this.textMap, anchored);
  }

  // Highlights and entries point at each other.

  activate(entry) {
    for (const mark of this.body.querySelectorAll("mark.highlight-active")) {
      mark.classList.remove("highlight-active");
    }
    if (!entry) return;
    for (const mark of marksOf(this.body, entry.dataset.annotationId)) mark.classList.add("highlight-active");
  }

  showEntry(id) {
    const entry = this.entry(id);
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

  /** Focus and flash the first mark of an entry's highlight; false when it has none. */
  showInText(entry) {
    const marks = marksOf(this.body, entry.dataset.annotationId);
    if (!marks.length) return false;
    marks[0].focus({ preventScroll: true });
    marks[0].scrollIntoView({ block: "center" });
    for (const mark of marks) flash(mark);
    return true;
  }

  onPanelClick(event) {
    const control = event.target.closest("[data-action], [data-show-in-text]");
    if (!control || !this.panel.contains(control)) return;
    const entry = control.closest(".annotation");
    if (!entry) return;
    if (control.hasAttribute("data-show-in-text")) {
      if (this.showInText(entry)) event.preventDefault();
      return;
    }
    const handlers = { edit: this.openEdit, delete: this.openDelete, reply: this.openReply };
    handlers[control.dataset.action]?.call(this, entry);
  }

  // The Annotate button.

  watchSelection() {
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
    // Pressing the button must not clear the selection it is about.
    this.popover.addEventListener("mousedown", (event) => event.preventDefault());
    this.popover.querySelector("button").addEventListener("click", () => {
      const target = this.pendingTarget;
      this.hidePopover();
      if (target) this.openNew(target);
    });
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
      this.hidePopover();
      return;
    }
    if (event.key !== "Tab" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    const focused = document.activeElement;
    const inText = !focused || focused === document.body || focused.id === "main";
    if (!(inText || this.body.contains(focused)) || this.popover.contains(focused)) return;
    event.preventDefault();
    this.popover.querySelector("button").focus();
  }

  onSelection() {
    if (this.popover.contains(document.activeElement)) return;
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      this.hidePopover();
      return;
    }
    const range = selection.getRangeAt(0);
    const target = range.intersectsNode(this.body) ? this.textMap.describe(range) : null;
    if (!target) {
      this.hidePopover();
      return;
    }
    this.pendingTarget = target;
    this.showPopover(range);
  }

  /** The child of the document body that holds `node`, or null when it is outside. */
  blockOf(node) {
    let element = node instanceof Element ? node : node.parentElement;
    while (element && element.parentElement !== this.body) element = element.parentElement;
    return element;
  }

  /**
   * Put the button just after the selection's last block, so Tab reaches it right after
   * the selected text, and draw it below the selection's end.
   */
  showPopover(range) {
    const block = this.blockOf(range.endContainer);
    if (block && block !== this.popover) block.after(this.popover);
    else if (!block) this.body.append(this.popover);
    this.popover.hidden = false;
    const rects = range.getClientRects();
    const end = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    const box = this.body.getBoundingClientRect();
    const width = this.popover.offsetWidth;
    const left = Math.max(0, Math.min(end.right - box.left - width / 2, box.width - width));
    this.popover.style.left = `${Math.round(left)}px`;
    this.popover.style.top = `${Math.round(end.bottom - box.top + 6)}px`;
  }

  hidePopover() {
    this.popover.hidden = true;
    this.pendingTarget = null;
  }

  // Forms.

  template(name) {
    return instantiate(this.side.querySelector(`template[data-template="${name}"]`));
  }

  /**
   * The annotation form, with the fields `kind` needs: "new", "edit", "edit-reply" or
   * "reply". In an entry its heading goes one level below the entry's own.
   */
  annotationForm(kind, heading, entry = null) {
    const form = this.template("annotation-form");
    form.dataset.formKind = kind;
    let title = form.querySelector("[data-form-heading]");
    const entryHeading = entry?.querySelector(":scope > .annotation-meta");
    if (entryHeading) {
      const level = Math.min(6, Number(entryHeading.tagName.slice(1)) + 1);
      const deeper = document.createElement(`h${level}`);
      for (const { name, value } of title.attributes) deeper.setAttribute(name, value);
      title.replaceWith(deeper);
      title = deeper;
    }
    title.textContent = heading;
    if (kind !== "new") form.querySelector("[data-form-quote]").remove();
    if (kind === "reply" || kind === "edit-reply") {
      for (const field of form.querySelectorAll("[data-field-tags], [data-field-visibility]")) field.remove();
    }
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") form.querySelector("[data-form-cancel]").click();
    });
    return form;
  }

  formSlot(entry) {
    return entry.querySelector(":scope > [data-annotation-forms]");
  }

  openForm(entry, kind) {
    const open = this.formSlot(entry).querySelector(`:scope > [data-form-kind="${kind}"]`);
    if (open) open.querySelector("textarea, button:not([disabled])")?.focus();
    return open;
  }

  showError(form, message) {
    form.querySelector("[data-form-error]").textContent = message;
  }

  /** Run `action` with the form marked busy; an ApiError's message goes next to the form. */
  async submit(form, action) {
    if (form.getAttribute("aria-busy") === "true") return undefined;
    this.showError(form, "");
    form.setAttribute("aria-busy", "true");
    for (const button of form.querySelectorAll("button")) button.disabled = true;
    try {
      return await showingApiErrors(action, (message) => this.showError(form, message));
    } finally {
      form.removeAttribute("aria-busy");
      for (const button of form.querySelectorAll("button")) button.disabled = false;
    }
  }

  /** Refresh the panel after a saved change and put the focus where the reader expects it. */
  async afterChange(message, { id = null, focus = "entry" } = {}) {
    try {
      await this.refresh();
    } catch {
      this.announce(`${message} The list of annotations could not be updated; reload the page to see it.`);
      return;
    }
    this.announce(message);
    const mark = id && focus === "mark" ? marksOf(this.body, id)[0] : null;
    const entry = id ? this.entry(id) : null;
    if (mark) mark.focus();
    else if (entry) entry.focus();
    else this.panel.querySelector("#annotations-heading")?.focus();
  }

  /**
   * Fetch the panel again (with the filters of the address) and put it in place, carrying
   * over the forms still open in it so nothing typed is lost.
   */
  async refresh() {
    const url = new URL(this.panelUrl, window.location.href);
    url.search = window.location.search;
    const response = await fetchFromArchive(url, { headers: { Accept: "text/html" } });
    if (!response.ok) throw new Error(`The panel answered ${response.status}.`);
    const holder = document.createElement("template");
    holder.innerHTML = await response.text();
    const fresh = holder.content.querySelector("[data-annotations-panel]");
    if (!fresh) throw new Error("The panel's answer holds no panel.");
    const old = this.panel;
    const focused = document.activeElement;
    const freshSlot = fresh.querySelector("[data-annotator-slot]");
    const oldSlot = old.querySelector("[data-annotator-slot]");
    if (freshSlot && oldSlot) freshSlot.append(...oldSlot.childNodes);
    for (const slot of old.querySelectorAll("[data-annotation-forms]")) {
      if (!slot.childElementCount) continue;
      const id = slot.closest(".annotation").dataset.annotationId;
      const entry = Array.from(fresh.querySelectorAll(".annotation")).find(
        (candidate) => candidate.dataset.annotationId === id,
      );
      if (entry) this.formSlot(entry).append(...slot.childNodes);
    }
    old.replaceWith(fresh);
    this.reveal(fresh);
    for (const entry of fresh.querySelectorAll(".annotation")) this.syncDeleteButton(entry);
    this.draw();
    if (focused && fresh.contains(focused)) focused.focus();
  }

  // New annotations.

  openNew(target) {
    const slot = this.panel.querySelector("[data-annotator-slot]");
    let form = slot.querySelector('[data-form-kind="new"]');
    if (!form) {
      form = this.annotationForm("new", "New annotation");
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.saveNew(form);
      });
      form.querySelector("[data-form-cancel]").addEventListener("click", () => {
        form.remove();
        this.newTarget = null;
        this.panel.querySelector("#annotations-heading")?.focus();
      });
      slot.append(form);
    }
    this.newTarget = target;
    form.querySelector("[data-form-quote] p").textContent = preview(target.exact);
    const comment = form.querySelector("textarea");
    comment.focus({ preventScroll: true });
    form.scrollIntoView({ block: "nearest" });
  }

  async saveNew(form) {
    const target = this.newTarget;
    if (!target) return;
    const fields = form.elements;
    const annotation = newAnnotation({
      source: this.source,
      target,
      comment: fields.namedItem("comment").value,
      tags: parseTags(fields.namedItem("tags").value),
      visibility: fields.namedItem("visibility").value,
    });
    const created = await this.submit(form, () => this.api.create(annotation));
    if (!created) return;
    form.remove();
    this.newTarget = null;
    document.getSelection()?.removeAllRanges();
    await this.afterChange("Annotation saved.", { id: this.api.idOf(created.data.id), focus: "mark" });
  }

  // Edit, delete and reply, from an entry's buttons.

  async openEdit(entry) {
    if (this.openForm(entry, "edit") || this.openForm(entry, "edit-reply")) return;
    const id = entry.dataset.annotationId;
    const fetched = await showingApiErrors(
      () => this.api.get(id),
      (message) => this.entryMessage(entry, message),
    );
    if (!fetched) return;
    const current = this.entry(id) || entry;
    if (this.openForm(current, "edit") || this.openForm(current, "edit-reply")) return;
    const { data, etag } = fetched;
    const reply = isReply(data);
    const { comment, tags } = readBodies(data);
    const form = this.annotationForm(
      reply ? "edit-reply" : "edit",
      reply ? "Edit reply" : "Edit annotation",
      current,
    );
    const fields = form.elements;
    fields.namedItem("comment").value = comment;
    if (!reply) {
      fields.namedItem("tags").value = tags.join(", ");
      fields.namedItem("visibility").value = data.visibility === "public" ? "public" : "private";
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const annotation = edited(data, {
        comment: fields.namedItem("comment").value,
        tags: reply ? tags : parseTags(fields.namedItem("tags").value),
        visibility: reply ? undefined : fields.namedItem("visibility").value,
      });
      const saved = await this.submit(form, () => this.api.replace(id, annotation, etag));
      if (!saved) return;
      form.remove();
      await this.afterChange(reply ? "Reply updated." : "Annotation updated.", { id });
    });
    this.onCancel(form, id, "edit");
    this.formSlot(current).append(form);
    fields.namedItem("comment").focus();
  }

  openDelete(entry) {
    if (this.openForm(entry, "delete")) return;
    const id = entry.dataset.annotationId;
    // The entity tag of the annotation as it was when the reader asked to delete it.
    const loaded = this.api.get(id);
    loaded.catch(() => {});
    const confirmation = this.template("delete-confirmation");
    confirmation.dataset.formKind = "delete";
    if (entry.querySelector(".annotation-replies")) {
      confirmation.querySelector("[data-if-replies]").hidden = false;
    }
    confirmation.querySelector("[data-confirm-delete]").addEventListener("click", async () => {
      const deleted = await this.submit(confirmation, async () => {
        try {
          const { etag } = await loaded;
          await this.api.remove(id, etag);
        } catch (error) {
          if (error instanceof ApiError && error.status === 404) return "gone";
          throw error;
        }
        return "deleted";
      });
      if (!deleted) return;
      confirmation.remove();
      await this.afterChange(
        deleted === "gone" ? "This annotation had already been deleted." : "Annotation deleted.",
      );
    });
    confirmation.addEventListener("keydown", (event) => {
      if (event.key === "Escape") confirmation.querySelector("[data-form-cancel]").click();
    });
    this.onCancel(confirmation, id, "delete");
    this.formSlot(entry).append(confirmation);
    this.syncDeleteButton(entry);
    confirmation.querySelector("[data-confirm-delete]").focus();
  }

  /** While its confirmation is open, an entry's own Delete button steps aside: one Delete at a time. */
  syncDeleteButton(entry) {
    const button = entry.querySelector(':scope > .annotation-actions [data-action="delete"]');
    const confirming = this.formSlot(entry).querySelector(':scope > [data-form-kind="delete"]');
    if (button) button.hidden = Boolean(confirming);
  }

  openReply(entry) {
    if (this.openForm(entry, "reply")) return;
    const id = entry.dataset.annotationId;
    const form = this.annotationForm("reply", "Reply", entry);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const reply = newReply({ parent: this.api.iri(id), comment: form.elements.namedItem("comment").value });
      const created = await this.submit(form, () => this.api.create(reply));
      if (!created) return;
      form.remove();
      await this.afterChange("Reply saved.", { id: this.api.idOf(created.data.id) });
    });
    this.onCancel(form, id, "reply");
    this.formSlot(entry).append(form);
    form.querySelector("textarea").focus();
  }

  /** Cancel removes the form and gives the focus back to the button that opened it. */
  onCancel(form, id, action) {
    form.querySelector("[data-form-cancel]").addEventListener("click", () => {
      form.remove();
      const entry = this.entry(id);
      if (!entry) return;
      this.syncDeleteButton(entry);
      const button = entry.querySelector(`:scope > .annotation-actions [data-action="${action}"]`);
      (button || entry).focus();
    });
  }

  entryMessage(entry, message) {
    const slot = this.formSlot(entry);
    slot.querySelector(":scope > [data-entry-message]")?.remove();
    const paragraph = document.createElement("p");
    paragraph.className = "form-error";
    paragraph.setAttribute("role", "alert");
    paragraph.dataset.entryMessage = "";
    slot.prepend(paragraph);
    paragraph.textContent = message;
  }
}

const root = document.querySelector("[data-annotator]");
if (root && root.querySelector("[data-document-body]") && root.querySelector("[data-annotations-side]")) {
  new Annotator(root).start();
}
