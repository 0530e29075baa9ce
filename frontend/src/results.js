// The results table, enhanced in place: sortable columns (numbers as numbers), a filter, pages, and a bar
// chart when the result is an aggregate (a label column and a number column). The server-rendered table stays
// the source of truth: links, labels and numbers are read from its cells.
import { words } from "./messages.js";

const PAGE_SIZES = [25, 50, 100, 0]; // 0: all rows

function cellValue(cell) {
  if (cell.dataset.number !== undefined && cell.dataset.number !== "") return Number(cell.dataset.number);
  return cell.textContent.trim();
}

function compare(a, b) {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (a === "" || b === "") return a === "" ? (b === "" ? 0 : 1) : -1; // empty cells last
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

export function enhanceTable(table) {
  if (!table || table.dataset.enhanced) return;
  table.dataset.enhanced = "yes";
  const t = words();
  const tbody = table.tBodies[0];
  const rows = [...tbody.rows].map((row, index) => ({
    row,
    index,
    values: [...row.cells].map(cellValue),
    text: row.textContent.toLowerCase(),
  }));
  const headers = [...table.tHead.rows[0].cells];
  const names = headers.map((th) => th.textContent.trim());
  const columns = chartColumns(names, rows); // decided on the whole result; redrawn for the filtered rows
  const state = { sortColumn: -1, ascending: true, filter: "", size: PAGE_SIZES[0], page: 0 };

  const controls = element("div", { class: "results-controls" });
  const filterId = "results-filter";
  const filterLabel = element("label", { for: filterId }, t.filter);
  const filter = element("input", { id: filterId, type: "search", autocomplete: "off" });
  const sizeId = "results-size";
  const sizeLabel = element("label", { for: sizeId }, t.perPage);
  const size = element("select", { id: sizeId });
  for (const value of PAGE_SIZES)
    size.append(element("option", { value: String(value) }, value ? String(value) : t.all));
  const previous = element("button", { type: "button", class: "secondary" }, t.previous);
  const next = element("button", { type: "button", class: "secondary" }, t.next);
  const status = element("span", { class: "results-status", role: "status", "aria-live": "polite" });
  controls.append(filterLabel, filter, sizeLabel, size, previous, status, next);
  table.closest(".table-wrap").before(controls);

  headers.forEach((th, column) => {
    const name = names[column];
    const button = element("button", { type: "button", class: "sort", title: t.sortBy(name) }, name);
    th.textContent = "";
    th.append(button);
    button.addEventListener("click", () => {
      state.ascending = state.sortColumn === column ? !state.ascending : true;
      state.sortColumn = column;
      state.page = 0;
      render();
    });
  });

  function visible() {
    let list = state.filter ? rows.filter((r) => r.text.includes(state.filter)) : rows.slice();
    if (state.sortColumn >= 0) {
      const c = state.sortColumn;
      list.sort(
        (a, b) => (state.ascending ? 1 : -1) * compare(a.values[c], b.values[c]) || a.index - b.index,
      );
    }
    return list;
  }

  function render() {
    const list = visible();
    const pages = state.size ? Math.max(1, Math.ceil(list.length / state.size)) : 1;
    state.page = Math.min(state.page, pages - 1);
    const start = state.size ? state.page * state.size : 0;
    const shown = state.size ? list.slice(start, start + state.size) : list;
    tbody.replaceChildren(...shown.map((r) => r.row));
    headers.forEach((th, column) => {
      if (column === state.sortColumn)
        th.setAttribute("aria-sort", state.ascending ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
    if (columns) drawChart(table, names, list, columns);
    status.textContent = t.shown(list.length ? start + 1 : 0, start + shown.length, list.length);
    previous.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
  }

  filter.addEventListener("input", () => {
    state.filter = filter.value.trim().toLowerCase();
    state.page = 0;
    render();
  });
  size.addEventListener("change", () => {
    state.size = Number(size.value);
    state.page = 0;
    render();
  });
  previous.addEventListener("click", () => {
    state.page -= 1;
    render();
  });
  next.addEventListener("click", () => {
    state.page += 1;
    render();
  });
  render();
}

// A horizontal bar chart (SVG, drawn here: no chart library, no styles inline) of the first number column
// against the first text column, for results of 2 to 60 rows whose number column is filled in every row; it
// shows the rows the filter keeps.
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}, text = "") {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text) node.textContent = text;
  return node;
}

export function chartColumns(names, rows) {
  if (rows.length < 2 || rows.length > 60) return null;
  const numeric = names.findIndex((_, c) => rows.every((r) => typeof r.values[c] === "number"));
  const label = names.findIndex((_, c) =>
    rows.every((r) => typeof r.values[c] === "string" && r.values[c] !== ""),
  );
  return numeric < 0 || label < 0 ? null : { numeric, label };
}

function drawChart(table, names, rows, columns) {
  const wrap = table.closest(".table-wrap");
  const previous = wrap.parentElement.querySelector("figure.results-chart");
  if (previous) previous.remove();
  if (rows.length === 0) return;
  const t = words();
  const ordered = rows.slice().sort((a, b) => b.values[columns.numeric] - a.values[columns.numeric]);
  const max = Math.max(...ordered.map((r) => r.values[columns.numeric]), 0) || 1;
  const barHeight = 22,
    labelWidth = 300,
    chartWidth = 420,
    gap = 6;
  const height = ordered.length * (barHeight + gap) + gap;
  const titleId = "results-chart-title";
  const figure = element("figure", { class: "results-chart" });
  const caption = element(
    "figcaption",
    { id: titleId },
    t.chart(names[columns.numeric], names[columns.label]),
  );
  const picture = svg("svg", {
    viewBox: `0 0 ${labelWidth + chartWidth + 60} ${height}`,
    role: "img",
    "aria-labelledby": titleId,
    width: labelWidth + chartWidth + 60,
    height,
  });
  ordered.forEach((r, i) => {
    const y = gap + i * (barHeight + gap);
    const value = r.values[columns.numeric];
    const text = String(r.values[columns.label]);
    const shown = text.length > 40 ? text.slice(0, 39) + "…" : text;
    const width = Math.max(1, (value / max) * chartWidth);
    const group = svg("g");
    group.append(svg("title", {}, `${text}: ${value}`));
    group.append(
      svg(
        "text",
        {
          x: labelWidth - 8,
          y: y + barHeight / 2,
          "text-anchor": "end",
          "dominant-baseline": "central",
          class: "label",
        },
        shown,
      ),
    );
    group.append(svg("rect", { x: labelWidth, y, width, height: barHeight, class: "bar" }));
    group.append(
      svg(
        "text",
        { x: labelWidth + width + 6, y: y + barHeight / 2, "dominant-baseline": "central", class: "value" },
        String(value),
      ),
    );
    picture.append(group);
  });
  figure.append(caption, picture);
  wrap.after(figure);
}
