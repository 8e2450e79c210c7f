// Stylelint for our stylesheets (docs/development.md, "Linting"): stylelint-config-standard, which
// catches real errors (an unknown property, unit or selector, a block left open, a duplicate property)
// and states the house style. Where we part from it, the reason is beside the rule.
export default {
  extends: ["stylelint-config-standard"],
  ignoreFiles: ["**/vendor/**", "node_modules/**", "staticfiles/**", "var/**"],
  rules: {
    // `(max-width: 40em)` rather than `(width <= 40em)`: browsers before the range syntax (Safari
    // before 16.4) drop a whole @media block they cannot parse, so the prefix form is the safer one.
    "media-feature-range-notation": "prefix",
    // Font family names keep their own spelling (Georgia, not georgia) in the font custom properties.
    "value-keyword-case": ["lower", { ignoreProperties: ["/^--(serif|sans|mono)$/", "font-family"] }],
    // It orders selectors by specificity across the whole sheet, including selectors that can never
    // match the same element (`.site-header nav ul` and `.search-facets ul`); the sheet is ordered by
    // page part instead, and a real override is caught by the browser tests (tests/browser/test_what_readers_see.py).
    "no-descending-specificity": null,
  },
  overrides: [
    {
      // The admin's sheet styles Django's own markup: its ids and classes (#result_list,
      // .field-comment_excerpt) are Django's names, not ours, and its short rules sit on one line each.
      files: ["documents/static/documents/css/admin.css"],
      rules: {
        "selector-id-pattern": null,
        "selector-class-pattern": null,
        "declaration-block-single-line-max-declarations": null,
      },
    },
  ],
};
