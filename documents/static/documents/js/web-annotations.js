/**
 * The W3C Web Annotation vocabulary as the annotator writes and reads it.
 *
 * A comment is one TextualBody with purpose "commenting", in Markdown; each tag is one with
 * purpose "tagging"; empty ones are left out. A reply targets its parent's IRI (a string)
 * with motivation "replying" and has no tags or visibility of its own. A group note's
 * visibility is "group" with `group`, the IRI of the group's page. Everything else
 * (limits, a top-level annotation's motivation) is the server's to decide and to explain
 * (docs/api.md, "Endpoints"), so nothing here checks it twice.
 */

export const ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld";

function bodies(comment, tags) {
  const list = [];
  if (comment.trim()) {
    list.push({ type: "TextualBody", value: comment, purpose: "commenting", format: "text/markdown" });
  }
  for (const tag of tags) list.push({ type: "TextualBody", value: tag, purpose: "tagging" });
  return list;
}

/** "a, b ,, c" -> ["a", "b", "c"]: tags are separated by commas. */
export function parseTags(text) {
  return text
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
}

export function isReply(annotation) {
  return typeof annotation.target === "string";
}

/** The comment and tags of a fetched annotation. */
export function readBodies(annotation) {
  const list = Array.isArray(annotation.body) ? annotation.body : annotation.body ? [annotation.body] : [];
  const comment = list.find((body) => body.purpose === "commenting");
  const tags = list.filter((body) => body.purpose === "tagging").map((body) => body.value);
  return { comment: comment ? comment.value : "", tags };
}

/** The target of a page note: the whole document, a source with no selector (docs/reading-and-annotating.md, "How to annotate"). */
export const WHOLE_DOCUMENT = Object.freeze({ wholeDocument: true });

/**
 * A new annotation of `source` at `target`, a TextMap description ({start, end, exact,
 * prefix, suffix}), with both selectors so it can be found again after the text changes;
 * or, when `target` is WHOLE_DOCUMENT, a page note, whose target is the source alone.
 */
export function newAnnotation({ source, target, comment, tags, visibility, group }) {
  return {
    "@context": ANNOTATION_CONTEXT,
    type: "Annotation",
    body: bodies(comment, tags),
    target: target.wholeDocument ? { source } : { source, selector: selectors(target) },
    visibility,
    ...(group ? { group } : {}),
  };
}

/**
 * A highlight of `target`, a TextMap description: no body, motivation "highlighting", only
 * for its author to see (docs/reading-and-annotating.md, "How to annotate").
 */
export function newHighlight({ source, target }) {
  return {
    "@context": ANNOTATION_CONTEXT,
    type: "Annotation",
    motivation: "highlighting",
    body: [],
    target: { source, selector: selectors(target) },
    visibility: "private",
  };
}

/** A TextMap description ({start, end, exact, prefix, suffix}) as the two W3C selectors. */
function selectors(target) {
  return [
    { type: "TextQuoteSelector", exact: target.exact, prefix: target.prefix, suffix: target.suffix },
    { type: "TextPositionSelector", start: target.start, end: target.end },
  ];
}

export function newReply({ parent, comment }) {
  return {
    "@context": ANNOTATION_CONTEXT,
    type: "Annotation",
    motivation: "replying",
    body: bodies(comment, []),
    target: parent,
  };
}

/** A fetched annotation with new bodies (and, unless it is a reply, a new visibility); its target is kept. */
export function edited(annotation, { comment, tags, visibility, group }) {
  const changed = {
    "@context": annotation["@context"] || ANNOTATION_CONTEXT,
    type: "Annotation",
    body: bodies(comment, tags),
    target: annotation.target,
  };
  if (isReply(annotation)) changed.motivation = "replying";
  else {
    changed.visibility = visibility;
    if (group) changed.group = group;
  }
  return changed;
}

/**
 * A fetched top-level annotation attached to `target`, a TextMap description: its comment,
 * tags and visibility are kept. The new selectors carry no `state`, for they name words of
 * the text as it reads now.
 */
export function reattached(annotation, target) {
  const { comment, tags } = readBodies(annotation);
  return {
    "@context": annotation["@context"] || ANNOTATION_CONTEXT,
    type: "Annotation",
    body: bodies(comment, tags),
    target: { source: annotation.target.source, selector: selectors(target) },
    visibility: annotation.visibility,
    ...(annotation.group ? { group: annotation.group } : {}),
  };
}
