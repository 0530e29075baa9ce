// The editor's own words, in the page's language (the page's <html lang>).
const WORDS = {
  en: {
    examples: "Examples",
    chooseExample: "Load an example…",
    running: "Running…",
    failed: "The query could not be run",
    syntax: "Syntax error",
    unexpected: (text) => `unexpected ${text}`,
    incomplete: "the query ends too early here",
    undeclared: (prefix) => `prefix ${prefix}: is not declared`,
    addPrefix: (prefix) => `Add PREFIX ${prefix}:`,
    filter: "Filter rows",
    perPage: "Rows per page",
    all: "all",
    previous: "Previous",
    next: "Next",
    shown: (from, to, total) => (total === 0 ? "No rows match" : `Rows ${from}–${to} of ${total}`),
    sortBy: (name) => `Sort by ${name}`,
    chart: (value, label) => `Bar chart: ${value} by ${label}`,
    runHint: "Ctrl+Enter (⌘+Enter) runs the query",
    errors: (n) => (n === 0 ? "No syntax errors" : `${n} problem${n === 1 ? "" : "s"} marked in the query`),
  },
  zh: {
    examples: "示例",
    chooseExample: "载入示例……",
    running: "正在运行……",
    failed: "查询无法运行",
    syntax: "语法错误",
    unexpected: (text) => `此处不应出现 ${text}`,
    incomplete: "查询在此处提前结束",
    undeclared: (prefix) => `前缀 ${prefix}: 未声明`,
    addPrefix: (prefix) => `添加 PREFIX ${prefix}:`,
    filter: "筛选行",
    perPage: "每页行数",
    all: "全部",
    previous: "上一页",
    next: "下一页",
    shown: (from, to, total) => (total === 0 ? "没有匹配的行" : `第 ${from}–${to} 行，共 ${total} 行`),
    sortBy: (name) => `按 ${name} 排序`,
    chart: (value, label) => `条形图：按 ${label} 的 ${value}`,
    runHint: "Ctrl+Enter（⌘+Enter）运行查询",
    errors: (n) => (n === 0 ? "没有语法错误" : `查询中标出 ${n} 处问题`),
  },
};

export function words() {
  return document.documentElement.lang === "zh" ? WORDS.zh : WORDS.en;
}
