/**
 * The few calls the annotator makes to the Web Annotation Protocol API, with errors
 * turned into sentences a reader can act on. An annotation is named by its id here; its
 * IRI is the API's address for it.
 *
 * Writes send the session's CSRF token. It is read from the csrftoken cookie when there
 * is one, because logging in again in another tab rotates it; the token rendered into
 * the page is the fallback.
 */

import { fetchFromArchive } from "./archive-fetch.js";

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
   * @param {{containerUrl: string, resourceBase: string, csrfToken: string}} options the
   * document's container, the address annotation IRIs start with, and the token rendered
   * into the page.
   */
  constructor({ containerUrl, resourceBase, csrfToken }) {
    this.containerUrl = containerUrl;
    this.resourceBase = new URL(resourceBase, window.location.href);
    this.pageToken = csrfToken;
  }

  csrfToken() {
    return cookie("csrftoken") || this.pageToken;
  }

  iri(id) {
    return new URL(`${encodeURIComponent(id)}/`, this.resourceBase).href;
  }

  /** The id an IRI ends with. */
  idOf(iri) {
    const segments = new URL(iri, window.location.href).pathname.split("/").filter(Boolean);
    return segments[segments.length - 1];
  }

  /** Resolves to {data, etag}; rejects with an ApiError whose message is for the reader. */
  async send(url, { method = "GET", body, etag } = {}) {
    const headers = { Accept: `${MEDIA_TYPE}, application/json;q=0.9, application/problem+json;q=0.8` };
    if (body !== undefined) headers["Content-Type"] = MEDIA_TYPE;
    if (method !== "GET") headers["X-CSRFToken"] = this.csrfToken();
    if (etag) headers["If-Match"] = etag;
    let response;
    try {
      response = await fetchFromArchive(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
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

  get(id) {
    return this.send(this.iri(id));
  }

  create(annotation) {
    return this.send(this.containerUrl, { method: "POST", body: annotation });
  }

  replace(id, annotation, etag) {
    return this.send(this.iri(id), { method: "PUT", body: annotation, etag });
  }

  remove(id, etag) {
    return this.send(this.iri(id), { method: "DELETE", etag });
  }
}

/**
 * Run `action`; when it fails with an ApiError, give its message to `show` and resolve to
 * undefined. Any other error is a bug, and is thrown on.
 */
export async function showingApiErrors(action, show) {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    show(error.message);
    return undefined;
  }
}
