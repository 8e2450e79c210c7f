// ESLint for our ES modules (docs/development.md, "Linting"): the recommended rules, run in the
// browser's globals, as `<script type="module">` loads them. Vendored third-party files would be listed
// in `ignores` (we have none in documents/static/documents/js/ today).
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    ignores: ["node_modules/", ".venv/", "var/", "staticfiles/", "**/vendor/"],
  },
  {
    files: ["documents/static/documents/js/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: globals.browser,
    },
    rules: {
      ...js.configs.recommended.rules,
      // `for (const _ of text)` counts code points: `_` names a value that is deliberately unused.
      "no-unused-vars": ["error", { varsIgnorePattern: "^_$", argsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["*.mjs"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: globals.node,
    },
  },
];
