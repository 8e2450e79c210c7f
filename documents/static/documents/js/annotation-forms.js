/**
 * Writing annotations: the New annotation form under the panel's heading, and the Edit,
 * Reply and Delete forms an entry's buttons open in the entry itself; and the one-click
 * Highlight.
 *
 * One form of a kind per place: pressing a button again focuses the open form. Saving
 * hands a sentence for the announcement to `afterChange`, which refreshes the panel;
 * Cancel removes the form and gives the focus back to the button that opened it. While its
 * confirmation is open, an entry's own Delete button steps aside: one Delete at a time.
 *
 * The New form keeps a draft (drafts.js) as the reader types: Cancel and Escape close it
 * and say the draft is kept, opening it again (or Resume draft, after a reload) brings the
 * draft back, Save and Discard draft end it, and Discard draft offers Undo. While the form
 * is open, the words it is about stay painted in the text (pending-selection.js).
 */

import { ApiError, showingApiErrors } from "./annotation-api.js";
import { annotationForm, cancelOnEscape, copyTemplate, submit } from "./forms.js";
import { actionButton, formSlot } from "./panel.js";
import { keepInSight, paintPending } from "./pending-selection.js";
import { TagSuggestions } from "./tag-suggestions.js";
import { codePointLength } from "./text-offsets.js";
import {
  WHOLE_DOCUMENT,
  edited,
  isReply,
  newAnnotation,
  newHighlight,
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
  constructor({ side, panel, api, source, afterChange, drafts, textMap, announce, tagsUrl }) {
    this.side = side;
    this.panel = panel;
    this.api = api;
    this.source = source;
    this.afterChange = afterChange;
    this.drafts = drafts;
    this.textMap = textMap;
    this.announce = announce;
    this.tagsUrl = tagsUrl;
    this.newTarget = null;
    this.newOpener = null;
    this.narrow = null;
    // What the reader asked to annotate when the form opened on a kept draft instead: Discard draft turns to it.
    this.fresh = null;
    // The draft Discard draft last forgot, for Undo.
    this.discarded = null;
  }

  start() {
    this.side.addEventListener("click", (event) => {
      const action = event.target.closest("[data-draft-action]");
      if (action && this.panel.element.contains(action)) this.onDraftAction(action);
    });
    if (this.drafts.load() && this.panel.newFormSlot()) {
      this.offerDraft("You have an unsaved draft here.", "resume");
    }
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

  /** The notice above the New form's place (a kept or discarded draft), replacing the last; or none. */
  offerDraft(message = "", action = "") {
    const slot = this.panel.newFormSlot();
    slot?.querySelector(":scope > [data-draft-notice]")?.remove();
    if (!message || !slot) return null;
    const notice = copyTemplate(this.side, "draft-notice");
    notice.querySelector("[data-draft-notice-text]").textContent = message;
    const button = notice.querySelector("[data-draft-action]");
    button.dataset.draftAction = action;
    button.textContent = action === "undo" ? "Undo" : "Resume draft";
    slot.prepend(notice);
    return button;
  }

  /** Resume draft or Undo (a discard): the New form opens on the draft, in place of any open one. */
  onDraftAction(button) {
    if (button.dataset.draftAction === "undo" && this.discarded) this.drafts.keep(this.discarded);
    this.discarded = null;
    const draft = this.drafts.load();
    this.offerDraft();
    const open = this.panel.newFormSlot().querySelector('[data-form-kind="new"]');
    if (open) this.closeNew(open, { focus: false });
    if (draft) this.openNew(draft.target);
  }

  /** The New form's fields, and its target, as a draft. */
  draftOf(form) {
    const fields = form.elements;
    return {
      comment: fields.namedItem("comment").value,
      tags: fields.namedItem("tags").value,
      visibility: fields.namedItem("visibility").value,
      target: this.newTarget,
    };
  }

  /** Keep the New form's draft; Discard draft shows while there is one. */
  keepDraft(form) {
    this.drafts.keep(this.draftOf(form));
    form.querySelector("[data-form-discard]").hidden = !this.drafts.load();
  }

  /** A kept draft's target as the text reads now: its words found again when an edit moved them. */
  current(target) {
    if (target.wholeDocument || this.textMap.slice(target.start, target.end) === target.exact) return target;
    const text = this.textMap.codePoints.join("");
    const at = text.indexOf(target.exact);
    if (at < 0) return target; // Saving will say that the words are gone.
    const start = codePointLength(text.slice(0, at));
    return this.textMap.target(start, start + codePointLength(target.exact)) || target;
  }


  /** Paint the open New form's words in the text again (after the highlights were redrawn). */
  paintPending() {
    paintPending(this.textMap, this.newTarget);
  }

  /** Close the New form, keeping its draft (Cancel, Escape) or not (Save, Discard draft). */
  closeNew(form, { focus = true } = {}) {
    form.remove();
    this.newTarget = null;
    this.fresh = null;
    this.paintPending();
    const opener = this.newOpener;
    this.newOpener = null;
    if (!focus) return;
    if (opener?.isConnected) opener.focus();
    else this.panel.focusHeading();
  }

  /** Discard draft: forget it (Undo brings it back); the form turns to the words the reader last asked for, if any. */
  discardDraft(form) {
    this.discarded = this.draftOf(form);
    this.drafts.discard();
    const fresh = this.fresh;
    if (fresh) {
      form.reset();
      this.openNew(fresh.target, fresh.options);
    } else {
      this.closeNew(form, { focus: false });
    }
    const undo = this.offerDraft("Draft discarded.", "undo");
    this.announce("Draft discarded. Undo brings it back.");
    if (!fresh) undo?.focus();
  }

  /**
   * Open (or reuse) the New annotation form for `target`, a TextMap description, or
   * WHOLE_DOCUMENT for a page note (the panel's Page note button). From an
   * Annotate passage button, `narrow(first, last)` gives the target of words first to last
   * of the passage, `wordCount` how many there are, and `opener` takes the focus back when
   * the form is cancelled; without one the focus goes to the panel's heading.
   *
   * When the form is not open and a draft is kept, the form opens on the draft (its words
   * included) and remembers `target` for Discard draft.
   */
  openNew(target, options = {}) {
    const { opener = null } = options;
    let { narrow = null, wordCount = 0 } = options;
    const slot = this.panel.newFormSlot();
    let form = slot.querySelector('[data-form-kind="new"]');
    const draft = form ? null : this.drafts.load();
    if (!form) {
      form = annotationForm(this.side, "new", "New annotation");
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.saveNew(form);
      });
      form.querySelector("[data-form-cancel]").addEventListener("click", () => {
        const kept = this.drafts.load();
        this.closeNew(form);
        if (kept) {
          this.offerDraft("Your draft is kept in this browser.", "resume");
          this.announce("Form closed; your draft is kept. Annotate or Resume draft brings it back.");
        }
      });
      form.querySelector("[data-form-discard]").addEventListener("click", () => this.discardDraft(form));
      form.querySelector("[data-form-keys]").hidden = true;
      form.querySelector("[data-form-draft-keys]").hidden = false;
      form.addEventListener("input", () => this.keepDraft(form));
      form.addEventListener("change", () => this.keepDraft(form));
      form.querySelector("[data-field-words]").addEventListener("input", () => this.narrowNew(form));
      form.querySelector("[data-field-words]").addEventListener("change", () => this.narrowNew(form, true));
      new TagSuggestions({ form, url: this.tagsUrl }).start();
      slot.append(form);
    }
    this.offerDraft();
    this.fresh = null;
    if (draft) {
      const fields = form.elements;
      fields.namedItem("comment").value = draft.comment || "";
      fields.namedItem("tags").value = draft.tags || "";
      const visibility = fields.namedItem("visibility");
      if ([...visibility.options].some((option) => option.value === draft.visibility)) {
        visibility.value = draft.visibility;
      }
      const kept = this.current(draft.target);
      const same =
        Boolean(target.wholeDocument) === Boolean(kept.wholeDocument) &&
        target.start === kept.start &&
        target.end === kept.end;
      if (!same) this.fresh = { target, options };
      target = kept;
      narrow = null;
      wordCount = 0;
      this.announce("Your unsaved draft is back in the form.");
    }
    this.newTarget = target;
    this.newOpener = opener;
    this.narrow = narrow;
    this.keepDraft(form);
    this.paintPending();
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
    keepInSight(this.textMap, this.newTarget, form);
  }

  /** The reader changed the word numbers: the target and its quote follow; on `change`, the numbers are tidied. */
  narrowNew(form, tidy = false) {
    if (!this.narrow) return;
    const first = form.elements.namedItem("first_word");
    const last = form.elements.namedItem("last_word");
    const narrowed = this.narrow(Number(first.value), Number(last.value));
    if (!narrowed) return;
    this.newTarget = narrowed.target;
    this.paintPending();
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
    this.drafts.discard();
    this.offerDraft();
    this.closeNew(form, { focus: false });
    document.getSelection()?.removeAllRanges();
    await this.afterChange("Annotation saved.", { id: this.api.idOf(created.data.id), focus: "mark" });
  }

  /** Highlight: save `target` at once as a private highlight, with no comment or tags. */
  async highlight(target) {
    const created = await showingApiErrors(
      () => this.api.create(newHighlight({ source: this.source, target })),
      (message) => this.announce(message),
    );
    if (!created) return;
    document.getSelection()?.removeAllRanges();
    await this.afterChange("Highlight saved; only you can see it.", {
      id: this.api.idOf(created.data.id),
      focus: "mark",
    });
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
    if (!reply) new TagSuggestions({ form, url: this.tagsUrl }).start();
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
