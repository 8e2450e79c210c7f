/**
 * Tag suggestions under an annotation form's Tags field: the tags the reader may see that
 * start like the one being typed (after the last comma), most used first, from the API's
 * /api/tags/?q= (docs/api.md, "Tags"), as an ARIA combobox with a listbox; and a hint when
 * the name typed differs from an existing tag only in case, accents, spaces or hyphens
 * ("looks like the existing tag “Rome Statute”"), with a button to use that spelling.
 *
 * Keys: Down and Up move through the suggestions, Enter takes one, Escape closes the list
 * (and only the list: the form's own Escape waits until it is closed).
 */

import { fetchFromArchive } from "./archive-fetch.js";

const DELAY_MS = 150;

let optionIds = 0;

/** The field's value split at the last comma: the tags before it (with their commas) and the one being typed. */
function split(value) {
  const comma = value.lastIndexOf(",");
  return { before: value.slice(0, comma + 1), typed: value.slice(comma + 1).trim() };
}

export class TagSuggestions {
  /**
   * @param {{form: HTMLFormElement, url: string}} parts the annotation form with a Tags field, and
   *   the suggestions' address.
   */
  constructor({ form, url }) {
    this.input = form.elements.namedItem("tags");
    this.list = form.querySelector("[data-tag-options]");
    this.hint = form.querySelector("[data-tag-like]");
    this.url = url;
    this.timer = 0;
    this.request = null;
    this.active = -1;
  }

  start() {
    if (!this.input || !this.list || !this.hint || !this.url) return;
    this.input.addEventListener("input", () => {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.suggest(), DELAY_MS);
    });
    this.input.addEventListener("keydown", (event) => this.onKey(event));
    this.input.addEventListener("blur", () => this.close());
    // A press on a suggestion or on Use "…" keeps the focus in the field: a blur would close the
    // list and move the button from under the pointer.
    this.list.addEventListener("mousedown", (event) => event.preventDefault());
    this.hint.addEventListener("mousedown", (event) => {
      if (event.target.closest("[data-use-tag]")) event.preventDefault();
    });
    this.list.addEventListener("click", (event) => {
      const option = event.target.closest('[role="option"]');
      if (option) this.choose(option.dataset.name);
    });
    this.hint.addEventListener("click", (event) => {
      const use = event.target.closest("[data-use-tag]");
      if (use) this.choose(use.dataset.useTag);
    });
  }

  get options() {
    return [...this.list.querySelectorAll('[role="option"]')];
  }

  async suggest() {
    const { before, typed } = split(this.input.value);
    this.request?.abort();
    if (!typed) {
      this.show([], null);
      return;
    }
    const request = new AbortController();
    this.request = request;
    const url = new URL(this.url, window.location.href);
    url.searchParams.set("q", typed);
    let found;
    try {
      const response = await fetchFromArchive(url, {
        headers: { Accept: "application/json" },
        signal: request.signal,
      });
      if (!response.ok) return;
      found = await response.json();
    } catch {
      return; // Offline or superseded: the field works without suggestions.
    }
    if (this.request !== request) return;
    const taken = new Set(before.split(",").map((tag) => tag.trim()));
    const names = found.tags.map((tag) => tag.name).filter((name) => name !== typed && !taken.has(name));
    this.show(names, found.like ? { typed, like: found.like } : null);
  }

  /** Show `names` as the listbox's options, and the "looks like" hint for `like`. */
  show(names, like) {
    this.list.replaceChildren(
      ...names.map((name) => {
        const option = document.createElement("li");
        optionIds += 1;
        option.id = `tag-option-${optionIds}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.name = name;
        option.textContent = name;
        return option;
      }),
    );
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.hidden = !names.length;
    this.input.setAttribute("aria-expanded", String(Boolean(names.length)));
    this.hint.replaceChildren();
    if (like) {
      const use = document.createElement("button");
      use.type = "button";
      use.className = "button-secondary";
      use.dataset.useTag = like.like;
      use.textContent = `Use “${like.like}”`;
      this.hint.append(`“${like.typed}” looks like the existing tag “${like.like}”. `, use);
    }
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  }

  /** Put `name` in place of the tag being typed, followed by a comma for the next one. */
  choose(name) {
    const { before } = split(this.input.value);
    this.input.value = `${before}${before ? " " : ""}${name}, `;
    this.show([], null);
    this.input.focus();
    this.input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  move(step) {
    const options = this.options;
    if (!options.length) return;
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.active = (this.active + step + options.length) % options.length;
    options.forEach((option, index) => option.setAttribute("aria-selected", String(index === this.active)));
    this.input.setAttribute("aria-activedescendant", options[this.active].id);
    options[this.active].scrollIntoView({ block: "nearest" });
  }

  onKey(event) {
    const open = !this.list.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      this.move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && open && this.active >= 0 && !(event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.choose(this.options[this.active].dataset.name);
    } else if (event.key === "Escape" && open) {
      event.stopPropagation();
      this.close();
    }
  }
}
