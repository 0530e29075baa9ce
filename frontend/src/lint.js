// Error marks before running: the first syntax error the SPARQL grammar finds (codemirror-lang-sparql's Lezer
// parser), and prefixed names whose prefix the query does not declare, with a fix that adds the declaration
// when the prefix is one of ours.
import { ensureSyntaxTree } from "@codemirror/language";
import { linter } from "@codemirror/lint";
import { words } from "./messages.js";

export function declaredPrefixes(state, tree) {
  const declared = new Set();
  tree.iterate({
    enter(node) {
      if (node.name === "PrefixDecl") {
        const name = node.node.getChild("Pname_ns");
        if (name) declared.add(state.sliceDoc(name.from, name.to - 1));
      }
    },
  });
  return declared;
}

// Where a new PREFIX line goes: after the last declaration, or at the start.
export function prefixInsertPosition(state, tree) {
  let end = -1;
  tree.iterate({
    enter(node) {
      if (node.name === "PrefixDecl" || node.name === "BaseDecl") end = Math.max(end, node.to);
    },
  });
  return end < 0 ? 0 : state.doc.lineAt(end).to + 1;
}

export function prefixLine(prefix, namespace) {
  return `PREFIX ${prefix}: <${namespace}>\n`;
}

function syntaxError(state, tree, t) {
  let found = null;
  tree.iterate({
    enter(node) {
      if (found) return false;
      if (node.type.isError) found = { from: node.from, to: node.to };
      return undefined;
    },
  });
  if (!found) return null;
  let { from, to } = found;
  const length = state.doc.length;
  if (from === to) {
    // A missing token: mark the next word, or the last character when the text ends here.
    const rest = state.sliceDoc(from).match(/^\s*(\S+)/);
    if (rest) {
      from += rest[0].length - rest[1].length;
      to = from + rest[1].length;
    } else {
      to = length;
      from = Math.max(0, length - 1);
    }
  }
  const text = state.sliceDoc(from, Math.min(to, from + 30)).trim();
  const message = text && to < length ? t.unexpected(`“${text}”`) : t.incomplete;
  return {
    from,
    to: Math.max(to, from + (length > from ? 1 : 0)),
    severity: "error",
    message: `${t.syntax}: ${message}`,
    source: "SPARQL",
  };
}

export function sparqlLinter(vocabulary) {
  return linter(
    (view) => {
      const { state } = view;
      const tree = ensureSyntaxTree(state, state.doc.length, 1000);
      if (!tree) return [];
      const t = words();
      const diagnostics = [];
      const error = syntaxError(state, tree, t);
      if (error) diagnostics.push(error);
      const declared = declaredPrefixes(state, tree);
      const prefixes = vocabulary().prefixes;
      tree.iterate({
        enter(node) {
          if (node.name !== "PrefixedName") return undefined;
          const name = state.sliceDoc(node.from, node.to);
          const prefix = name.slice(0, name.indexOf(":"));
          if (declared.has(prefix)) return false;
          const namespace = prefixes[prefix];
          diagnostics.push({
            from: node.from,
            to: node.to,
            severity: "error",
            source: "SPARQL",
            message: t.undeclared(prefix),
            actions: namespace
              ? [
                  {
                    name: t.addPrefix(prefix),
                    apply(target) {
                      const current = target.state;
                      const at = prefixInsertPosition(
                        current,
                        ensureSyntaxTree(current, current.doc.length, 1000) || tree,
                      );
                      target.dispatch({ changes: { from: at, insert: prefixLine(prefix, namespace) } });
                    },
                  },
                ]
              : [],
          });
          return false;
        },
      });
      return diagnostics;
    },
    { delay: 300 },
  );
}
