/**
 * Every request the reading view makes to the archive, by the API client and the panel
 * alike: with the reader's session cookie, and never answered from the HTTP cache, because
 * after a change the page must show what the server holds now.
 */

export function fetchFromArchive(url, init = {}) {
  return fetch(url, { ...init, credentials: "same-origin", cache: "no-store" });
}
