// Bundles the query editor into the Python package's static folder (api/coopkg/static/query-editor.{js,css}),
// where the gateway serves it under /static/. Run by `make assets` after `npm ci`; the output is gitignored and
// shipped in the wheel and sdist as hatch artifacts (pyproject.toml).
import * as esbuild from "esbuild";

const out = new URL("../api/coopkg/static/", import.meta.url).pathname;
const common = { bundle: true, minify: !process.env.NOMINIFY, legalComments: "eof", logLevel: "info" };
await esbuild.build({
  ...common,
  entryPoints: ["src/query-editor.js"],
  format: "iife",
  target: ["es2020"],
  outfile: out + "query-editor.js",
});
await esbuild.build({ ...common, entryPoints: ["src/query-editor.css"], outfile: out + "query-editor.css" });
