// Completion: our prefixes (as names and as whole PREFIX lines), the ontology's classes, properties and
// concepts and the SDG goals and targets (from /api/vocabulary, with their labels), the query's variables and
// the SPARQL keywords. Choosing a term whose prefix the query lacks also adds the PREFIX line.
import { ensureSyntaxTree } from "@codemirror/language";
import { declaredPrefixes, prefixInsertPosition, prefixLine } from "./lint.js";

const KEYWORDS = (
  "SELECT CONSTRUCT DESCRIBE ASK WHERE PREFIX BASE DISTINCT REDUCED FROM NAMED OPTIONAL UNION MINUS GRAPH " +
  "SERVICE FILTER BIND VALUES UNDEF GROUP BY HAVING ORDER ASC DESC LIMIT OFFSET AS NOT EXISTS IN " +
  "COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI BNODE " +
  "CONTAINS STRSTARTS STRENDS STRLEN SUBSTR UCASE LCASE REGEX REPLACE CONCAT COALESCE IF isIRI isLiteral"
).split(" ");

const KIND_BOOST = { class: 3, property: 2, concept: 1, goal: 1, target: 0 };

function termLabel(term, lang) {
  const label = term.label || {};
  const first = lang === "zh" ? label.zh || label.en : label.en || label.zh;
  const other = lang === "zh" ? label.en : label.zh;
  return [first, other].filter(Boolean).join(" · ");
}

function termOption(term, lang, prefixes) {
  return {
    label: term.name,
    detail: termLabel(term, lang),
    info: term.definition || term.iri,
    type: term.kind === "property" ? "property" : term.kind === "class" ? "class" : "constant",
    boost: KIND_BOOST[term.kind] || 0,
    apply(view, completion, from, to) {
      const state = view.state;
      const prefix = term.name.slice(0, term.name.indexOf(":"));
      const tree = ensureSyntaxTree(state, state.doc.length, 1000);
      const changes = [{ from, to, insert: term.name }];
      const namespace = prefixes[prefix];
      let cursor = from + term.name.length;
      if (tree && namespace && !declaredPrefixes(state, tree).has(prefix)) {
        const at = prefixInsertPosition(state, tree);
        const line = prefixLine(prefix, namespace);
        changes.push({ from: at, insert: line });
        if (at <= from) cursor += line.length;
      }
      view.dispatch({ changes, selection: { anchor: cursor }, userEvent: "input.complete" });
    },
  };
}

export function sparqlCompletion(vocabulary, lang) {
  return (context) => {
    const data = vocabulary();
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    // After PREFIX: whole declarations of our namespaces.
    const declaration = before.match(/PREFIX\s+([\w-]*:?)$/i);
    if (declaration) {
      return {
        from: context.pos - declaration[1].length,
        options: Object.entries(data.prefixes).map(([prefix, namespace]) => ({
          label: `${prefix}: <${namespace}>`,
          type: "namespace",
        })),
      };
    }
    const variable = context.matchBefore(/[?$][\w]*/);
    if (variable) {
      const names = new Set(context.state.doc.toString().match(/[?$][A-Za-z_][\w]*/g) || []);
      names.delete(variable.text);
      return { from: variable.from, options: [...names].map((name) => ({ label: name, type: "variable" })) };
    }
    const word = context.matchBefore(/[\p{L}_][\p{L}\p{N}_.-]*:?[\p{L}\p{N}_.-]*/u);
    if (!word && !context.explicit) return null;
    const from = word ? word.from : context.pos;
    const typed = word ? word.text : "";
    const options = [];
    if (typed.includes(":")) {
      const prefix = typed.slice(0, typed.indexOf(":") + 1);
      for (const term of data.terms)
        if (term.name.startsWith(prefix)) options.push(termOption(term, lang, data.prefixes));
    } else {
      for (const prefix of Object.keys(data.prefixes))
        options.push({ label: `${prefix}:`, type: "namespace", boost: -1 });
      for (const term of data.terms)
        if (term.kind !== "target") options.push(termOption(term, lang, data.prefixes));
      for (const keyword of KEYWORDS) options.push({ label: keyword, type: "keyword", boost: -2 });
      // By label too, in both languages: typing 承诺 or "water" offers coop:Commitment or sdg:6.
      for (const term of data.terms) {
        for (const text of new Set(Object.values(term.label || {}))) {
          const option = termOption(term, lang, data.prefixes);
          options.push({
            ...option,
            label: text,
            displayLabel: text.length > 60 ? text.slice(0, 59) + "…" : text,
            detail: term.name,
            boost: -3,
          });
        }
      }
    }
    return { from, options, validFor: /^[\p{L}\p{N}_.:-]*$/u };
  };
}
