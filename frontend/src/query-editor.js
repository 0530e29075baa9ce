// The query page's SPARQL editor (progressive enhancement of the server-rendered form on /query): CodeMirror 6
// with codemirror-lang-sparql for highlighting, error marks before running, completion of our prefixes, terms
// and SDG goals, the named queries as a menu of examples, Ctrl+Enter (Cmd+Enter) to run, and an enhanced
// results table with a bar chart. Without this script the page is a plain form that runs the query by GET.
import { autocompletion } from "@codemirror/autocomplete";
import { HighlightStyle, LanguageSupport, syntaxHighlighting } from "@codemirror/language";
import { lintGutter } from "@codemirror/lint";
import { EditorState, Prec } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { styleTags, tags } from "@lezer/highlight";
import { basicSetup } from "codemirror";
import { SparqlLanguage } from "codemirror-lang-sparql";
import { sparqlCompletion } from "./completion.js";
import { sparqlLinter } from "./lint.js";
import { words } from "./messages.js";
import { enhanceTable } from "./results.js";

// Colours with at least 4.5:1 contrast on white (WCAG 2.1 AA for text).
const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: "#6d28d9", fontWeight: "600" },
  { tag: tags.variableName, color: "#1d4ed8" },
  { tag: [tags.string], color: "#9a3412" },
  { tag: [tags.integer, tags.float, tags.bool], color: "#047857" },
  { tag: [tags.namespace, tags.typeName], color: "#0f766e" },
  { tag: tags.url, color: "#0e7490" },
  { tag: tags.annotation, color: "#92400e" },
  { tag: tags.comment, color: "#4b5563", fontStyle: "italic" },
]);

// The nonce the page's CSP allows for CodeMirror's <style> element, from this script's own element.
const STYLE_NONCE = document.currentScript ? document.currentScript.nonce : "";

// The grammar tags prefixed names only in some positions: tag them everywhere (coop:hasAlignment in a path too).
const sparql = new LanguageSupport(
  SparqlLanguage.configure({
    props: [styleTags({ "Pname_ns Pname_ln": tags.typeName, A_predicate: tags.keyword })],
  }),
);

function pageData() {
  const node = document.getElementById("query-editor-data");
  try {
    return node ? JSON.parse(node.textContent) : { examples: [] };
  } catch {
    return { examples: [] };
  }
}

function start() {
  const form = document.getElementById("sparql-form");
  const textarea = document.getElementById("query-text");
  if (!form || !textarea || !window.fetch) return;
  const t = words();
  const data = pageData();
  const lang = document.documentElement.lang === "zh" ? "zh" : "en";
  let vocabulary = { prefixes: {}, terms: [] };
  fetch("/api/vocabulary", { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((document_) => {
      if (document_) vocabulary = document_;
    })
    .catch(() => {});

  const label = form.querySelector('label[for="query-text"]');
  if (label && !label.id) label.id = "query-text-label";
  const host = document.createElement("div");
  host.className = "cm-host";
  textarea.after(host);
  textarea.hidden = true;

  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        Prec.highest(
          keymap.of([
            {
              key: "Mod-Enter",
              run: () => {
                run();
                return true;
              },
            },
          ]),
        ),
        basicSetup,
        sparql,
        syntaxHighlighting(highlight),
        autocompletion({ override: [sparqlCompletion(() => vocabulary, lang)], activateOnTyping: true }),
        sparqlLinter(() => vocabulary),
        EditorView.cspNonce.of(STYLE_NONCE || ""),
        lintGutter(),
        EditorView.contentAttributes.of({
          "aria-labelledby": label ? label.id : "",
          "aria-describedby": "query-hint",
          lang: "en",
          spellcheck: "false",
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) textarea.value = update.state.doc.toString();
        }),
      ],
    }),
  });

  const hint = document.createElement("p");
  hint.id = "query-hint";
  hint.className = "note";
  hint.textContent = t.runHint;
  host.after(hint);

  // The named queries as a menu of examples: each loads its SPARQL, parameters bound to an example value.
  if (data.examples && data.examples.length) {
    const bar = document.createElement("p");
    bar.className = "toolbar";
    const menuLabel = document.createElement("label");
    menuLabel.htmlFor = "example-menu";
    menuLabel.textContent = t.examples;
    const menu = document.createElement("select");
    menu.id = "example-menu";
    menu.append(new Option(t.chooseExample, ""));
    for (const example of data.examples) {
      const params = example.params.length ? ` (${example.params.join(", ")})` : "";
      menu.append(new Option(`${example.title} — ${example.name}${params}`, example.name));
    }
    menu.addEventListener("change", () => {
      const example = data.examples.find((e) => e.name === menu.value);
      if (!example) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: example.text } });
      view.focus();
    });
    bar.append(menuLabel, menu);
    host.before(bar);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });

  let latest = 0; // only the newest run may fill the results (Ctrl+Enter pressed twice)

  function message(className, text) {
    const paragraph = document.createElement("p");
    paragraph.className = className;
    if (className === "warning") paragraph.setAttribute("role", "alert");
    paragraph.textContent = text;
    return paragraph;
  }

  async function run() {
    const ticket = ++latest;
    const text = view.state.doc.toString();
    textarea.value = text;
    const params = new URLSearchParams({ lang, query: text });
    const url = `${form.getAttribute("action") || "/query"}?${params}`;
    const output = document.getElementById("query-output");
    output.setAttribute("aria-busy", "true");
    output.replaceChildren(message("note", t.running));
    let nodes;
    try {
      const response = await fetch(url, { headers: { Accept: "text/html" } });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("query-output");
      nodes = fresh
        ? [...fresh.childNodes].map((node) => document.importNode(node, true))
        : [message("warning", `${t.failed}: HTTP ${response.status}`)];
      if (ticket === latest && fresh) history.pushState({ query: text }, "", url);
    } catch (error) {
      nodes = [message("warning", `${t.failed}: ${error}`)];
    }
    if (ticket !== latest) return;
    output.replaceChildren(...nodes);
    output.removeAttribute("aria-busy");
    enhanceTable(output.querySelector("table.results"));
  }

  window.addEventListener("popstate", () => location.reload());
  enhanceTable(document.querySelector("#query-output table.results"));
  window.coopkgQueryEditor = view; // for the browser tests and the console
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
