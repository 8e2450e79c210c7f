/**
 * Drafts of new notes: what a reader has typed into the New annotation form (comment, tags,
 * visibility and the words it is about), kept in this browser's localStorage until it is
 * saved or discarded on purpose, so Escape, Cancel or a reload loses nothing
 * (docs/reading-and-annotating.md, "Drafts").
 *
 * One draft per document and per account: the key names the reader's account id and the
 * document's address, so two people sharing a browser never see each other's words. Drafts
 * never go to the server. Without storage (private browsing, a full quota) the annotator works
 * as before, keeping nothing.
 */

const PREFIX = "archive.annotator.draft";

export class Drafts {
  /**
   * @param {{reader: string, source: string}} parts the reader's account id and the document's address.
   */
  constructor({ reader, source }) {
    this.key = reader ? `${PREFIX}:${reader}:${source}` : "";
  }

  /** The kept draft, {comment, tags, visibility, target}, or null. */
  load() {
    if (!this.key) return null;
    try {
      const draft = JSON.parse(window.localStorage.getItem(this.key) || "null");
      return draft && typeof draft === "object" && draft.target ? draft : null;
    } catch {
      return null;
    }
  }

  /** Keep `draft`; one with neither comment nor tags is no draft, and removes the kept one. */
  keep(draft) {
    if (!this.key) return;
    if (!draft.comment.trim() && !draft.tags.trim()) {
      this.discard();
      return;
    }
    try {
      window.localStorage.setItem(this.key, JSON.stringify(draft));
    } catch {
      // Storage refused (full, or switched off): the form still holds the words.
    }
  }

  discard() {
    if (!this.key) return;
    try {
      window.localStorage.removeItem(this.key);
    } catch {
      // Nothing was kept.
    }
  }
}
