/**
 * The annotator's forms, copied from <template data-template> elements so their labels and
 * help live in the templates (_annotator_templates.html), not in JavaScript.
 *
 * Each copy's ids, and the for/aria-* references to them, get a unique suffix, so several
 * forms can be open at once. While a form is sent it is aria-busy with its buttons
 * disabled, so it is sent once; the reader's text is never cleared by a failure, whose
 * reason goes in the form's [data-form-error]. Escape is the form's Cancel; Ctrl+Enter its
 * Save.
 */

import { showingApiErrors } from "./annotation-api.js";

const REFERENCES = ["for", "aria-describedby", "aria-labelledby", "aria-controls"];

let uniqueSuffix = 0;

/** A copy of template `name`'s first element, with ids (and the references to them) made unique. */
export function copyTemplate(container, name) {
  const template = container.querySelector(`template[data-template="${name}"]`);
  const element = template.content.firstElementChild.cloneNode(true);
  uniqueSuffix += 1;
  const renamed = new Map();
  for (const node of [element, ...element.querySelectorAll("[id]")]) {
    if (!node.id) continue;
    const id = `${node.id}-${uniqueSuffix}`;
    renamed.set(node.id, id);
    node.id = id;
  }
  for (const attribute of REFERENCES) {
    for (const node of [element, ...element.querySelectorAll(`[${attribute}]`)]) {
      const value = node.getAttribute(attribute);
      if (value === null) continue;
      const tokens = value.split(/\s+/).map((token) => renamed.get(token) || token);
      node.setAttribute(attribute, tokens.join(" "));
    }
  }
  return element;
}

/** Escape in `form` presses its Cancel button. */
export function cancelOnEscape(form) {
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") form.querySelector("[data-form-cancel]").click();
  });
}

/** Ctrl+Enter (Cmd+Enter on a Mac) anywhere in `form` submits it, as in most comment editors. */
function saveOnCtrlEnter(form) {
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    event.preventDefault();
    form.requestSubmit();
  });
}

/**
 * The annotation form, with the fields `kind` needs: "new", "edit", "edit-reply" or
 * "reply". In an entry its heading goes one level below the entry's own.
 */
export function annotationForm(container, kind, heading, entry = null) {
  const form = copyTemplate(container, "annotation-form");
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
  cancelOnEscape(form);
  saveOnCtrlEnter(form);
  return form;
}

function showError(form, message) {
  form.querySelector("[data-form-error]").textContent = message;
}

/** Run `action` with the form marked busy; an ApiError's message goes next to the form. */
export async function submit(form, action) {
  if (form.getAttribute("aria-busy") === "true") return undefined;
  showError(form, "");
  form.setAttribute("aria-busy", "true");
  for (const button of form.querySelectorAll("button")) button.disabled = true;
  try {
    return await showingApiErrors(action, (message) => showError(form, message));
  } finally {
    form.removeAttribute("aria-busy");
    for (const button of form.querySelectorAll("button")) button.disabled = false;
  }
}
