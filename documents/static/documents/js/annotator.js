/**
 * The annotator in the reading view (the page's entry module): highlights for the
 * annotations listed in the panel and, for a logged-in reader, an Annotate button on a
 * selection, with forms to write, edit, reply to and delete annotations through the Web
 * Annotation Protocol API, and Re-attach to selection for the author of a changed or
 * orphaned note. Each job is a module of its own (docs/architecture.md, "Layout"); this one
 * finds the page's parts, joins the modules up and says what happened after each change.
 *
 * Progressive enhancement: the server renders the text and the Annotations panel, so the
 * page reads without this module. After every change the panel is fetched again from the
 * server and the highlights are drawn from its entries, so the page never shows something
 * the server would not.
 *
 * Markup it relies on (documents/document_detail.html and _annotations_panel.html):
 * [data-annotator] carries the URLs; [data-document-body] the passages; the panel
 * [data-annotations-panel] the entries (.annotation with data-annotation-id); and
 * <template data-template> elements the forms, so their labels live in the templates.
 */

import { AnnotateButton } from "./annotate-button.js";
import { PassageAnnotateButtons } from "./annotate-passage.js";
import { AnnotationApi } from "./annotation-api.js";
import { AnnotationForms } from "./annotation-forms.js";
import { announcer } from "./announcer.js";
import { CommentPreview } from "./comment-preview.js";
import { CopyLinks } from "./copy-link.js";
import { Drafts } from "./drafts.js";
import { FlagForms } from "./flag-forms.js";
import { HighlightLinks } from "./highlight-links.js";
import { Panel } from "./panel.js";
import { Reattach } from "./reattach.js";
import { TextMap } from "./text-offsets.js";

const ANNOUNCE_FOR_MS = 5000;

function start(root) {
  const data = root.dataset;
  const body = root.querySelector("[data-document-body]");
  const side = root.querySelector("[data-annotations-side]");
  const popover = root.querySelector("[data-annotate-popover]");
  const announce = announcer(document.querySelector("[data-annotator-status]"), ANNOUNCE_FOR_MS);
  const textMap = new TextMap(body);
  const panel = new Panel(side, data.panelUrl);
  const links = new HighlightLinks({ body, side, panel, textMap });
  const api = new AnnotationApi({
    containerUrl: data.annotationsUrl,
    resourceBase: data.annotationApiUrl,
    csrfToken: data.csrfToken || "",
  });

  /**
   * Refresh the panel after a saved change, announce it, and put the focus where the
   * reader expects it: on the new highlight (`focus: "mark"`), on the entry, or, when the
   * entry is gone, on the panel's heading.
   */
  async function afterChange(message, { id = null, focus = "entry" } = {}) {
    try {
      await panel.refresh();
    } catch {
      announce(`${message} The list of annotations could not be updated; reload the page to see it.`);
      return;
    }
    forms.syncDeleteButtons();
    links.draw();
    forms.paintPending();
    // The count outside the panel (the phone's jump link) follows the panel's.
    for (const count of document.querySelectorAll("[data-annotations-total]")) count.textContent = panel.total;
    announce(message);
    const mark = id && focus === "mark" ? links.firstMark(id) : null;
    const entry = panel.entry(id);
    if (mark) mark.focus();
    else if (entry) entry.focus();
    else panel.focusHeading();
  }

  const forms = new AnnotationForms({
    side,
    panel,
    api,
    source: data.source,
    afterChange,
    drafts: new Drafts({ reader: data.reader || "", source: data.source }),
    textMap,
    announce,
    tagsUrl: data.tagsUrl,
  });

  panel.start();
  links.draw();
  links.start();
  forms.start();
  new CopyLinks({ side, announce }).start();
  new FlagForms({ side, panel, csrfToken: data.csrfToken || "", announce }).start();
  if (data.previewUrl) new CommentPreview({ side, url: data.previewUrl, csrfToken: data.csrfToken || "" }).start();
  if (data.canAnnotate === "true" && popover) {
    new AnnotateButton({
      popover,
      body,
      textMap,
      onAnnotate: (target) => forms.openNew(target),
      onHighlight: (target) => forms.highlight(target),
    }).start();
    new PassageAnnotateButtons({ textMap, onAnnotate: (target, options) => forms.openNew(target, options) }).start();
  }
  new Reattach({ side, body, panel, api, textMap, announce, afterChange }).start();
  links.showLinkedNote();
}

const root = document.querySelector("[data-annotator]");
if (root && root.querySelector("[data-document-body]") && root.querySelector("[data-annotations-side]")) {
  start(root);
}
