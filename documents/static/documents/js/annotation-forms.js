/**
 * Writing annotations: the New annotation form under the panel's heading, and the Edit,
 * Reply and Delete forms an entry's buttons open in the entry itself.
 *
 * One form of a kind per place: pressing a button again focuses the open form. Saving
 * hands a sentence for the announcement to `afterChange`, which refreshes the panel;
 * Cancel removes the form and gives the focus back to the button that opened it. While its
 * confirmation is open, an entry's own Delete button steps aside: one Delete at a time.
 */

import { ApiError, showingApiErrors } from "./annotation-api.js";
import { annotationForm, cancelOnEscape, copyTemplate, submit } from "./forms.js";
import { actionButton, formSlot } from "./panel.js";
import {
  WHOLE_DOCUMENT,
  edited,
  isReply,
  newAnnotation,
  newReply,
  parseTags,
  readBodies,
} from "./web-annotations.js";

const QUOTE_PREVIEW = 300;

function preview(text) {
  return text.length > QUOTE_PREVIEW ? `${text.slice(0, QUOTE_PREVIEW)}…` : text;
}

/** The form of `kind` open in the entry, focused; undefined when there is none. */
function focusOpen(entry, kind) {
  const open = formSlot(entry).querySelector(`:scope > [data-form-kind="${kind}"]`);
  if (open) open.querySelector("textarea, button:not([disabled])")?.focus();
  return open;
}

function isEditing(entry) {
  return focusOpen(entry, "edit") || focusOpen(entry, "edit-reply");
}

/** A message about the entry (why its form could not open, or a change failed), replacing the last one. */
export function entryMessage(entry, message) {
  const slot = formSlot(entry);
  slot.querySelector(":scope > [data-entry-message]")?.remove();
  const paragraph = document.createElement("p");
  paragraph.className = "form-error";
  paragraph.setAttribute("role", "alert");
  paragraph.dataset.entryMessage = "";
  slot.prepend(paragraph);
  paragraph.textContent = message;
}

function syncDeleteButton(entry) {
  const button = actionButton(entry, "delete");
  const confirming = formSlot(entry).querySelector(':scope > [data-form-kind="delete"]');
  if (button) button.hidden = Boolean(confirming);
}

export class AnnotationForms {
  /**
   * @param {{side: Element, panel: import("./panel.js").Panel,
   *   api: import("./annotation-api.js").AnnotationApi, source: string,
   *   afterChange: (message: string, options?: {id?: string, focus?: string}) => Promise<void>}} parts
   */
  constructor({ side, panel, api, source, afterChange }) {
    this.side = side;
    this.panel = panel;
    this.api = api;
    this.source = source;
    this.afterChange = afterChange;
    this.newTarget = null;
    this.newOpener = null;
    this.narrow = null;
  }

  start() {
    this.side.addEventListener("click", (event) => {
      const control = event.target.closest("[data-action]");
      if (!control || !this.panel.element.contains(control)) return;
      if (control.dataset.action === "page-note") {
        this.openNew(WHOLE_DOCUMENT, { opener: control });
        return;
      }
      const entry = control.closest(".annotation");
      const handlers = { edit: this.openEdit, delete: this.openDelete, reply: this.openReply };
      if (entry) handlers[control.dataset.action]?.call(this, entry);
    });
  }

  /** After a refresh, each carried-over Delete confirmation hides its entry's Delete button again. */
  syncDeleteButtons() {
    for (const entry of this.panel.element.querySelectorAll(".annotation")) syncDeleteButton(entry);
  }

  /** Cancel removes the form and gives the focus back to the entry's button for `action`. */
  onCancel(form, id, action) {
    form.querySelector("[data-form-cancel]").addEventListener("click", () => {
      form.remove();
      const entry = this.panel.entry(id);
      if (!entry) return;
      syncDeleteButton(entry);
      (actionButton(entry, action) || entry).focus();
    });
  }

  /**
   * Open (or reuse) the New annotation form for `target`, a TextMap description, or
   * WHOLE_DOCUMENT for a page note (the panel's Page note button). From an
   * Annotate passage button, `narrow(first, last)` gives the target of words first to last
   * of the passage, `wordCount` how many there are, and `opener` takes the focus back when
   * the form is cancelled; without one the focus goes to the panel's heading.
   */
  openNew(target, { narrow = null, wordCount = 0, opener = null } = {}) {
    const slot = this.panel.newFormSlot();
    let form = slot.querySelector('[data-form-kind="new"]');
    if (!form) {
      form = annotationForm(this.side, "new", "New annotation");
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.saveNew(form);
      });
      form.querySelector("[data-form-cancel]").addEventListener("click", () => {
        form.remove();
        this.newTarget = null;
        const opener = this.newOpener;
        this.newOpener = null;
        if (opener?.isConnected) opener.focus();
        else this.panel.focusHeading();
      });
      form.querySelector("[data-field-words]").addEventListener("input", () => this.narrowNew(form));
      form.querySelector("[data-field-words]").addEventListener("change", () => this.narrowNew(form, true));
      slot.append(form);
    }
    this.newTarget = target;
    this.newOpener = opener;
    this.narrow = narrow;
    const words = form.querySelector("[data-field-words]");
    words.hidden = !(narrow && wordCount > 1);
    if (!words.hidden) {
      words.querySelector("[data-word-count]").textContent = String(wordCount);
      for (const [name, value] of [["first_word", 1], ["last_word", wordCount]]) {
        const field = form.elements.namedItem(name);
        field.max = String(wordCount);
        field.value = String(value);
      }
    }
    const page = Boolean(target.wholeDocument);
    form.querySelector("[data-form-heading]").textContent = page ? "New page note" : "New annotation";
    form.querySelector("[data-form-quote]").hidden = page;
    form.querySelector("[data-form-page-note]").hidden = !page;
    if (!page) form.querySelector("[data-form-quote] p").textContent = preview(target.exact);
    form.querySelector("textarea").focus({ preventScroll: true });
    form.scrollIntoView({ block: "nearest" });
  }

  /** The reader changed the word numbers: the target and its quote follow; on `change`, the numbers are tidied. */
  narrowNew(form, tidy = false) {
    if (!this.narrow) return;
    const first = form.elements.namedItem("first_word");
    const last = form.elements.namedItem("last_word");
    const narrowed = this.narrow(Number(first.value), Number(last.value));
    if (!narrowed) return;
    this.newTarget = narrowed.target;
    form.querySelector("[data-form-quote] p").textContent = preview(narrowed.target.exact);
    if (tidy) {
      first.value = String(narrowed.first);
      last.value = String(narrowed.last);
    }
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
      ...chosenVisibility(fields.namedItem("visibility")),
    });
    const created = await submit(form, () => this.api.create(annotation));
    if (!created) return;
    form.remove();
    this.newTarget = null;
    this.newOpener = null;
    document.getSelection()?.removeAllRanges();
    await this.afterChange("Annotation saved.", { id: this.api.idOf(created.data.id), focus: "mark" });
  }

  async openEdit(entry) {
    if (isEditing(entry)) return;
    const id = entry.dataset.annotationId;
    const fetched = await showingApiErrors(
      () => this.api.get(id),
      (message) => entryMessage(entry, message),
    );
    if (!fetched) return;
    const current = this.panel.entry(id) || entry;
    if (isEditing(current)) return;
    const { data, etag } = fetched;
    const reply = isReply(data);
    const { comment, tags } = readBodies(data);
    const [kind, heading] = reply ? ["edit-reply", "Edit reply"] : ["edit", "Edit annotation"];
    const form = annotationForm(this.side, kind, heading, current);
    const fields = form.elements;
    fields.namedItem("comment").value = comment;
    if (!reply) {
      fields.namedItem("tags").value = tags.join(", ");
      showVisibility(fields.namedItem("visibility"), data);
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const annotation = edited(data, {
        comment: fields.namedItem("comment").value,
        tags: reply ? tags : parseTags(fields.namedItem("tags").value),
        ...(reply ? {} : chosenVisibility(fields.namedItem("visibility"))),
      });
      const saved = await submit(form, () => this.api.replace(id, annotation, etag));
      if (!saved) return;
      form.remove();
      await this.afterChange(reply ? "Reply updated." : "Annotation updated.", { id });
    });
    this.onCancel(form, id, "edit");
    formSlot(current).append(form);
    fields.namedItem("comment").focus();
  }

  openDelete(entry) {
    if (focusOpen(entry, "delete")) return;
    const id = entry.dataset.annotationId;
    // The entity tag of the annotation as it was when the reader asked to delete it.
    const loaded = this.api.get(id);
    loaded.catch(() => {});
    const confirmation = copyTemplate(this.side, "delete-confirmation");
    confirmation.dataset.formKind = "delete";
    if (entry.querySelector(".annotation-replies")) {
      confirmation.querySelector("[data-if-replies]").hidden = false;
    }
    confirmation.querySelector("[data-confirm-delete]").addEventListener("click", async () => {
      const deleted = await submit(confirmation, async () => {
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
    cancelOnEscape(confirmation);
    this.onCancel(confirmation, id, "delete");
    formSlot(entry).append(confirmation);
    syncDeleteButton(entry);
    confirmation.querySelector("[data-confirm-delete]").focus();
  }

  openReply(entry) {
    if (focusOpen(entry, "reply")) return;
    const id = entry.dataset.annotationId;
    const form = annotationForm(this.side, "reply", "Reply", entry);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const reply = newReply({ parent: this.api.iri(id), comment: form.elements.namedItem("comment").value });
      const created = await submit(form, () => this.api.create(reply));
      if (!created) return;
      form.remove();
      await this.afterChange("Reply saved.", { id: this.api.idOf(created.data.id) });
    });
    this.onCancel(form, id, "reply");
    formSlot(entry).append(form);
    form.querySelector("textarea").focus();
  }
}

/**
 * The Visibility select's choice in the API's terms: {visibility}, or for a "Group: <name>"
 * option (value "group:<slug>", the group's address in data-group) {visibility: "group", group: IRI}.
 */
function chosenVisibility(select) {
  const option = select.selectedOptions[0];
  if (option && option.dataset.group) {
    return { visibility: "group", group: new URL(option.dataset.group, window.location.href).href };
  }
  return { visibility: select.value };
}

/**
 * Select a fetched annotation's visibility. A group the reader is no longer in gets an option
 * of its own, so saving keeps the note where it is and the server explains what to do.
 */
function showVisibility(select, data) {
  if (data.visibility === "group" && data.group) {
    const address = (option) => new URL(option.dataset.group, window.location.href).href;
    let option = [...select.options].find((candidate) => candidate.dataset.group && address(candidate) === data.group);
    if (!option) {
      option = new Option("Group: one you are no longer in", "group:former");
      option.dataset.group = data.group;
      select.append(option);
    }
    select.value = option.value;
    return;
  }
  select.value = data.visibility === "public" ? "public" : "private";
}
