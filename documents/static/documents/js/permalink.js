/**
 * Passage permalinks: clicking a.permalink in the reading view copies the passage's
 * absolute address to the clipboard and says so in the page's status region.
 *
 * Progressive enhancement: without this module the link is an ordinary "#p-N" link,
 * and the click still follows it here, so the address bar shows the same address.
 * The address is built from <link rel="canonical"> so a query string never leaks in.
 */

import { announcer } from "./announcer.js";
import { copyText } from "./clipboard.js";

const ANNOUNCE_FOR_MS = 4000;

function baseAddress() {
  const canonical = document.querySelector('link[rel="canonical"]');
  const address = new URL(canonical ? canonical.href : window.location.href);
  address.hash = "";
  address.search = "";
  return address;
}

function init() {
  const body = document.querySelector("[data-document-body]");
  if (!body) return;
  const announce = announcer(document.querySelector("[data-permalink-status]"), ANNOUNCE_FOR_MS);
  const base = baseAddress();

  body.addEventListener("click", async (event) => {
    const link = event.target.closest("a.permalink");
    if (!link || !body.contains(link)) return;
    const address = new URL(base);
    address.hash = link.hash;
    const copied = await copyText(address.href);
    announce(copied ? "Link copied" : "Could not copy the link; it is in the address bar.");
  });
}

init();
