// The throughput chart: bars per minute for jobs finished and articles stored, with a value axis on a rounded
// scale and a time axis in the chosen zone; labels in the chosen digits. Right to left in Arabic: the newest
// minute sits at the left end, as the reading runs.
import { s } from "./dom.js";
import { clock, num, prefs, t, zoneName } from "./i18n.js";

const HEIGHT = 210;
const MARGIN = { top: 22, bottom: 44, axis: 46, end: 12 };

/** 1, 2 or 5 times a power of ten: the smallest such step giving at most `ticks` intervals up to top. */
export function niceStep(top, ticks = 4) {
  const raw = Math.max(top, 1) / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((v) => v >= raw);
  return Math.max(1, step);
}

/** The chart as an <svg> for this width. */
export function throughputChart(tp, width) {
  const per = tp.per_minute;
  const jobs = per.done.map((v, i) => v + (per.failed[i] || 0));
  const articles = per.published;
  const n = jobs.length;
  const step = niceStep(Math.max(1, ...jobs, ...articles));
  const top = Math.ceil(Math.max(1, ...jobs, ...articles) / step) * step;
  const rtl = prefs.lang === "ar";
  const w = Math.max(300, Math.round(width));
  const plot = { left: rtl ? MARGIN.end : MARGIN.axis, right: w - (rtl ? MARGIN.axis : MARGIN.end),
    top: MARGIN.top, bottom: HEIGHT - MARGIN.bottom };
  const band = (plot.right - plot.left) / n;
  const x = (i) => (rtl ? plot.right - i * band : plot.left + i * band);  // the edge where minute i starts
  const y = (v) => plot.bottom - (v / top) * (plot.bottom - plot.top);
  const since = new Date(tp.since).getTime();
  const at = (i) => new Date(since + i * 60_000);
  const axisX = rtl ? plot.right : plot.left;
  const labelX = rtl ? plot.right + 6 : plot.left - 6;
  const anchorOut = rtl ? "start" : "end";

  const grid = [];
  for (let v = 0; v <= top; v += step) {
    grid.push(s("line", { class: v ? "grid" : "axis", x1: plot.left, x2: plot.right, y1: y(v), y2: y(v) }),
      s("text", { class: "tick y-tick", x: labelX, y: y(v) + 4, "text-anchor": anchorOut }, num(v)));
  }
  const times = [];
  const every = n > 30 ? 10 : 5;
  for (let i = 0; i <= n; i += 1) {
    if (i % every && i !== n) continue;
    const edge = x(i);
    times.push(s("line", { class: "axis", x1: edge, x2: edge, y1: plot.bottom, y2: plot.bottom + 5 }),
      s("text", { class: "tick x-tick", x: edge, y: plot.bottom + 18, "text-anchor": i === n ? (rtl ? "start" : "end")
        : i === 0 ? (rtl ? "end" : "start") : "middle" }, clock(at(i))));
  }
  const bars = [];
  const inner = band / 2 - 1.5;
  for (let i = 0; i < n; i += 1) {
    const start = rtl ? x(i) - band : x(i);
    const label = `${clock(at(i))} — ${t("tp.jobsShort")}: ${num(jobs[i])}${t("comma")}${t("tp.articles")}: `
      + num(articles[i]);
    bars.push(s("g", { class: "minute", "data-key": String(i) },
      s("title", {}, label),
      s("rect", { class: "bar-jobs", x: start + 1, y: y(jobs[i]), width: Math.max(1, inner),
        height: plot.bottom - y(jobs[i]) }),
      s("rect", { class: "bar-articles", x: start + band / 2 + 0.5, y: y(articles[i]), width: Math.max(1, inner),
        height: plot.bottom - y(articles[i]) })));
  }
  return s("svg", { class: "chart", viewBox: `0 0 ${w} ${HEIGHT}`, width: w, height: HEIGHT, role: "img",
    "aria-label": t("tp.chart", { n }), direction: "ltr" },
  s("g", { class: "y-axis" }, ...grid,
    s("line", { class: "axis", x1: axisX, x2: axisX, y1: plot.top, y2: plot.bottom }),
    s("text", { class: "axis-title", x: axisX, y: plot.top - 8, "text-anchor": rtl ? "end" : "start" },
      t("tp.yaxis"))),
  s("g", { class: "x-axis" }, ...times,
    s("text", { class: "axis-title", x: (plot.left + plot.right) / 2, y: HEIGHT - 6, "text-anchor": "middle" },
      t("tp.xaxis", { zone: zoneName() }))),
  s("g", { class: "bars" }, ...bars));
}
