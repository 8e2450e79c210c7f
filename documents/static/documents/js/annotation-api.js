/**
 * The few calls the annotator makes to the Web Annotation Protocol API, with errors
 * turned into sentences a reader can act on.
 *
 * Writes send the session's CSRF token. It is read from the csrftoken cookie when there
 * is one, because logging in again in another tab rotates it; the token rendered into
 * the page is the fallback.
 */

export const ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld";
const MEDIA_TYPE = "application/ld+json";

const MESSAGES = {
  network: "Could not reach the archive. Check your connection and try again; what you typed is kept.",
  stale:
    "This annotation was changed elsewhere since you opened it. Reload the page to see the latest " +
    "version, then make your change again.",
  session:
    "Your session has changed, perhaps in another tab. Reload the page, log in if asked, and try again.",
  gone: "This annotation no longer exists, or you may no longer see it. Reload the page.",
};

export class ApiError extends Error {
  constructor(status, message, field = "") {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.field = field;
  }
}

function cookie(name) {
  for (const part of document.cookie.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return "";
}

async function problemOf(response) {
  const type = response.headers.get("Content-Type") || "";
  if (!type.includes("json")) return {};
  try {
    const problem = await response.json();
    return problem && typeof problem === "object" ? problem : {};
  } catch {
    return {};
  }
}

function explain(status, problem) {
  const detail = typeof problem.detail === "string" ? problem.detail : "";
  if (status === 412) return MESSAGES.stale;
  if (status === 403 && detail.startsWith("CSRF")) return MESSAGES.session;
  if (detail) return detail;
  if (status === 401 || status === 403) return MESSAGES.session;
  if (status === 404) return MESSAGES.gone;
  return `The archive could not do this (error ${status}). Try again in a moment; what you typed is kept.`;
}

export class AnnotationApi {
  /**
   * @param {{csrfToken: string}} options the token rendered into the page.
   */
  constructor({ csrfToken }) {
    this.pageToken = csrfToken;
  }

  csrfToken() {
    return cookie("csrftoken") || this.pageToken;
  }

  /** Resolves to {data, etag}; rejects with an ApiError whose message is for the reader. */
  async send(url, { method = "GET", body, etag } = {}) {
    const headers = { Accept: `${MEDIA_TYPE}, application/json;q=0.9, application/problem+json;q=0.8` };
    if (body !== undefined) headers["Content-Type"] = MEDIA_TYPE;
    if (method !== "GET") headers["X-CSRFToken"] = this.csrfToken();
    if (etag) headers["If-Match"] = etag;
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch {
      throw new ApiError(0, MESSAGES.network);
    }
    if (!response.ok) {
      const problem = await problemOf(response);
      throw new ApiError(response.status, explain(response.status, problem), problem.field || "");
    }
    const data = response.status === 204 ? null : await response.json();
    return { data, etag: response.headers.get("ETag") };
  }

  get(url) {
    return this.send(url);
  }

  create(containerUrl, annotation) {
    return this.send(containerUrl, { method: "POST", body: annotation });
  }

  replace(url, annotation, etag) {
    return this.send(url, { method: "PUT", body: annotation, etag });
  }

  remove(url, etag) {
    return this.send(url, { method: "DELETE", etag });
  }
}

/** The W3C bodies for a comment (Markdown) and tags; empty ones are left out. */
export function bodies(comment, tags) {
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

/** The comment and tags of a fetched annotation. */
export function readBodies(annotation) {
  const list = Array.isArray(annotation.body) ? annotation.body : annotation.body ? [annotation.body] : [];
  const comment = list.find((body) => body.purpose === "commenting");
  const tags = list.filter((body) => body.purpose === "tagging").map((body) => body.value);
  return { comment: comment ? comment.value : "", tags };
}
