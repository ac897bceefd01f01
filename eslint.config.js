// ESLint's flat config: the recommended rules, browser globals for the page's modules and Node's
// for their tests. `npm run lint` (tests/unit/test_lint_js.py runs it under pytest).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["static/vendor/", "node_modules/"] },
  js.configs.recommended,
  { files: ["static/js/**/*.js"], languageOptions: { globals: globals.browser } },
  { files: ["tests/js/**/*.mjs", "eslint.config.js"], languageOptions: { globals: globals.node } },
];
