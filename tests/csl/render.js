// Renders CSL-JSON with a CSL style and locale through citeproc-js (the processor Zotero uses), for the
// tests that check our citations against it character for character (tests/documents/archive/test_csl.py).
//
//   node tests/csl/render.js STYLE.csl LOCALE.xml < items.json
//
// Prints a JSON object: {"text": [...], "html": [...]}, each item's entry in a bibliography of its own
// (as the reading view makes them), in the order given, without the processor's wrapping <div>.
"use strict";

const fs = require("fs");
const CSL = require("citeproc");

const [stylePath, localePath] = process.argv.slice(2);
const style = fs.readFileSync(stylePath, "utf8");
const locale = fs.readFileSync(localePath, "utf8");
const items = JSON.parse(fs.readFileSync(0, "utf8"));
const byId = Object.fromEntries(items.map((item) => [String(item.id), item]));

// One engine (building it from the style is the slow part), one bibliography per item and format.
const engine = new CSL.Engine(
  { retrieveLocale: () => locale, retrieveItem: (id) => byId[id] },
  style,
  "en-US",
  true,
);

function render(format) {
  engine.setOutputFormat(format);
  return items.map((item) => {
    engine.updateItems([String(item.id)]);
    const [, [entry]] = engine.makeBibliography();
    return entry
      .trim()
      .replace(/^<div class="csl-entry">([\s\S]*)<\/div>$/, "$1")
      .trim();
  });
}

process.stdout.write(JSON.stringify({ text: render("text"), html: render("html") }));
