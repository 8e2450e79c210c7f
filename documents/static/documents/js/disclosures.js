/**
 * Disclosures that open by themselves where there is room: a <details data-open-when="(media query)">
 * opens on load when the query matches, as the document list's filters do on a wide screen
 * (documents/document_list.html). Without this module they stay folded, one click away; the server
 * opens them already while a filter applies.
 */

for (const details of document.querySelectorAll("details[data-open-when]")) {
  if (window.matchMedia(details.dataset.openWhen).matches) details.open = true;
}
