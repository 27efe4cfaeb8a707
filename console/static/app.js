// The operators' dashboard: polls the API every 3 s, patches the four pages in place (dom.js), sends actions
// with the pasted token. Labels, digits and times follow the operator's choices (i18n.js).
import { throughputChart } from "./chart.js";
import { h, iso, render, setText } from "./dom.js";
import { BROWSER_ZONE, ago, applyLanguage, choose, clock, duration, num, prefs, resetFormats, t, when,
  zones } from "./i18n.js";

const POLL_MS = 3000;
const TOKEN_KEY = "akhbar.token";
const PAGES = ["overview", "sources", "articles", "failures"];
const state = { page: "overview", status: null, articles: [], failures: [], sort: { key: "name", dir: 1 },
  q: "", source: "", lastOk: 0, pending: new Set(), busy: false, again: false, polls: 0 };
// What the browser tests wait on (they cannot eval an expression under the CSP): completed refreshes.
window.akhbar = { get polls() { return state.polls; } };
const $ = (sel) => document.querySelector(sel);

function token() { return localStorage.getItem(TOKEN_KEY) || ""; }

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  if (options.body) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { ...options, headers });
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch (_) { /* not JSON */ }
    const error = new Error(`${response.status}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
    error.status = response.status;
    throw error;
  }
  return response.status === 204 ? null : response.json();
}

function toast(message, bad = false) {
  const el = $("#toast");
  el.textContent = message;
  el.className = `show${bad ? " bad" : ""}`;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.className = ""; }, 4000);
}

/** A relative age with the absolute instant (in the chosen zone) as its tooltip. */
const age = (instant) => (instant ? h("time", { datetime: instant, title: when(instant) }, ago(instant)) : "—");

/** A table cell carrying its column's label, which the phone layout shows beside the value. */
const cell = (label, attrs, ...children) => h("td", { ...attrs, "data-label": t(label) }, ...children);

// --- actions: every button carries its call in data attributes; a pending one stays disabled across refreshes
const pendingKey = (d) => `${d.action}:${d.source || d.url || d.failure || ""}`;

function actionButton(action, label, data) {
  const attrs = { type: "button", "data-action": action };
  for (const [name, value] of Object.entries(data)) attrs[`data-${name}`] = value;
  const busy = state.pending.has(pendingKey({ action, ...data }));
  return h("button", { ...attrs, disabled: busy, "aria-busy": busy ? "true" : null }, t(label));
}

async function act(button) {
  const data = { ...button.dataset };
  const { action, source, url, failure } = data;
  if (!token()) {
    toast(t("token.needed"), true);
    $("#settings").open = true;
    $("#token-input").focus();
    return;
  }
  const key = pendingKey(data);
  if (state.pending.has(key)) return;
  const calls = {
    "refetch-source": () => api("/api/refetch", { method: "POST", body: JSON.stringify({ source }) }),
    "refetch-url": () => api("/api/refetch", { method: "POST", body: JSON.stringify({ url }) }),
    enable: () => api(`/api/sources/${encodeURIComponent(source)}/enable`, { method: "POST" }),
    disable: () => api(`/api/sources/${encodeURIComponent(source)}/disable`, { method: "POST" }),
    retry: () => api(`/api/failures/${failure}/retry`, { method: "POST" }),
    drop: () => api(`/api/failures/${failure}`, { method: "DELETE" }),
    "retry-all": async () => { for (const f of state.failures) await api(`/api/failures/${f.id}/retry`, { method: "POST" }); },
  };
  state.pending.add(key);
  button.disabled = true;
  try {
    await calls[action]();
    toast(t(`done.${action}`, { source, failure: failure && num(Number(failure)) }));
  } catch (error) {
    toast(error.status === 401 ? t("token.refused401") : error.message, true);
  } finally {
    state.pending.delete(key);
    button.disabled = false;
    refresh();
  }
}

// --- rendering: each function builds detached rows and patches them into the page --------------------------
function renderOverview(s) {
  const counts = { ok: 0, backoff: 0, disabled: 0 };
  s.sources.forEach((x) => { counts[x.state] = (counts[x.state] || 0) + 1; });
  const outstanding = Object.values(s.queues).reduce((a, b) => a + b, 0);
  const cards = [
    ["workers", s.workers.length, s.workers.length ? "" : "bad"], ["outstanding", outstanding, ""],
    ["jpm", s.throughput.jobs_per_minute, ""], ["lastHour", s.throughput.articles_last_hour, ""],
    ["stored", s.articles_total, ""], ["sourcesOk", t("of", { a: counts.ok, b: s.sources.length }), ""],
    ["backoff", counts.backoff, counts.backoff ? "warn" : ""], ["failures", s.failures, s.failures ? "bad" : ""],
  ];
  render($("#summary-cards"), cards.map(([key, value, cls]) => h("div", { class: `card ${cls}`.trim(), "data-key": key },
    h("div", { class: "value" }, typeof value === "number" ? num(value) : value),
    h("div", { class: "label" }, t(`card.${key}`)))));
  render($("#queues-table tbody"), Object.entries(s.queues).map(([name, depth]) => {
    const d = s.queue_details[name] || {};
    return h("tr", { "data-key": name },
      cell("q.queue", {}, h("span", { lang: "en", dir: "ltr", class: "code" }, name), " ",
        h("span", { class: "muted" }, t(`queue.${name}`))),
      cell("q.outstanding", { class: "num" }, h("b", {}, num(depth))),
      cell("q.waiting", { class: "num" }, num(d.in_broker)), cell("q.running", { class: "num" }, num(d.running ?? 0)),
      cell("q.retrying", { class: "num" }, num(d.retrying ?? 0)),
      cell("q.oldest", { class: d.oldest_age_seconds > 300 ? "num warn" : "num" }, duration(d.oldest_age_seconds)));
  }));
  setText($("#workers-count"), t("w.count", { n: s.workers.length }));
  $("#workers-count").dataset.count = s.workers.length;
  const workers = s.workers.map((w) => {
    const c = w.current;
    const now = c ? [iso((c.task || "").replace("akhbar.", "")), " ", iso(c.url || c.source, { class: "url" }), " ",
      h("span", { class: "muted" }, age(c.since))] : h("span", { class: "muted" }, t("w.idle"));
    return h("tr", { "data-key": w.name }, cell("w.name", {}, iso(w.name)), cell("w.queues", {}, iso(w.queues)),
      cell("w.active", { class: "num" }, num(w.active)), cell("w.processed", { class: "num" }, num(w.processed)),
      cell("w.now", { class: "wide" }, now), cell("w.seen", {}, age(w.last_seen)));
  });
  render($("#workers-table tbody"), workers.length ? workers
    : h("tr", { "data-key": "none" }, h("td", { colspan: 6, class: "empty" }, t("w.none"))));
  renderThroughput(s.throughput);
}

function renderThroughput(tp) {
  setText($("#throughput-window"), t("tp.window", { n: tp.window_minutes }));
  const box = $("#throughput-chart");
  render(box, throughputChart(tp, box.clientWidth || 600));
  const top = Math.max(0, ...tp.per_minute.done.map((v, i) => v + tp.per_minute.failed[i]), ...tp.per_minute.published);
  render($("#throughput-legend"),
    h("span", {}, h("i", { class: "key-jobs" }), t("tp.jobs", { n: tp.jobs_last_5m })),
    h("span", {}, h("i", { class: "key-articles" }), t("tp.articles")),
    h("span", {}, t("tp.peak", { n: top })));
}

/** "timeout: read timed out" as one left-to-right run (the kind is a code); the message isolated inside it. */
const errorText = (kind, status, message) => h("bdi", { dir: "ltr" }, iso(kind), status ? ` ${status}` : "",
  ": ", iso(message));

function errorCell(x) {
  const e = x.last_error;
  if (x.state === "disabled") return h("span", { class: "error" }, iso(x.disabled_reason || t("disabled")));
  if (!e || !x.consecutive_failures) return "";
  return h("span", { class: "error" }, errorText(e.kind, e.status, e.message),
    h("small", {}, iso(e.url || "", { class: "url", dir: "ltr" }), " · ", age(e.at)));
}

function renderSources(s) {
  const { key, dir } = state.sort;
  const rows = [...s.sources].sort((a, b) => {
    const x = a[key] ?? "", y = b[key] ?? "";
    return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) * dir;
  });
  for (const th of document.querySelectorAll("#sources-table th[data-sort]")) {
    const sorted = th.dataset.sort === key;
    th.classList.toggle("sorted-asc", sorted && dir > 0);
    th.classList.toggle("sorted-desc", sorted && dir < 0);
    if (sorted) th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
    else th.removeAttribute("aria-sort");
  }
  const bad = s.sources.filter((x) => x.state !== "ok").length;
  setText($("#sources-count"), t("s.count", { n: s.sources.length, bad }));
  render($("#sources-table tbody"), rows.map((x) => h("tr", { "data-key": x.name, "data-source": x.name },
    cell("s.source", { class: "wide" }, h("b", {}, iso(x.name)), h("div", { class: "url muted" }, iso(x.url))),
    cell("s.state", {}, h("span", { class: `state state-${x.state}` }, t(`state.${x.state}`))),
    cell("s.lastSuccess", {}, age(x.last_success_at)), cell("s.nextDue", {}, age(x.next_due_at)),
    cell("s.fails", { class: "num" }, num(x.consecutive_failures)), cell("s.24h", { class: "num" }, num(x.articles_24h)),
    cell("s.total", { class: "num" }, num(x.articles)), cell("s.lastError", { class: "wide" }, errorCell(x)),
    cell("actions", { class: "actions" }, actionButton("refetch-source", "refetch", { source: x.name }),
      x.state === "disabled" ? actionButton("enable", "enable", { source: x.name })
        : actionButton("disable", "disable", { source: x.name })))));
  const select = $("#article-source");
  render(select, h("option", { value: "", "data-key": "" }, t("a.every")),
    s.sources.map((x) => h("option", { value: x.name, "data-key": x.name, dir: "auto" }, x.name)));
  if (select.value !== state.source && document.activeElement !== select) select.value = state.source;
}

/** A search result's snippet: its plain text with the matched words in <mark>, built as text nodes (never
 * parsed as markup: a page's "<b>" shows as written). Highlights are code-point offsets, hence Array.from. */
function snippetNode(snippet) {
  const chars = Array.from(snippet.text);
  const parts = [];
  let at = 0;
  for (const { start, end } of snippet.highlights) {
    if (start < at || end > chars.length) continue;
    parts.push(chars.slice(at, start).join(""), h("mark", {}, chars.slice(start, end).join("")));
    at = end;
  }
  parts.push(chars.slice(at).join(""));
  return h("div", { class: "snippet", dir: "auto" }, ...parts);
}

/** The semantic stage's hint (`same_story`, never a cluster): the linked articles listed here by their headlines,
 * each a link that brings it into view, and how many others are not on this page. Nothing when the stage is off. */
function sameStoryNode(a, byId) {
  const ids = a.same_story || [];
  if (!ids.length) return null;
  const here = ids.map((id) => byId.get(id)).filter(Boolean);
  const links = here.map((x, i) => [i ? " · " : "", h("a", { href: "#articles", class: "goto", "data-goto": x.id },
    iso(x.title, { dir: "auto" }))]);
  const away = ids.length - here.length;
  return h("div", { class: "same-story", "data-count": ids.length }, t("a.sameStory", { n: ids.length }), " ", links,
    away ? h("span", { class: "muted" }, (here.length ? " · " : ""), t("a.sameStoryAway", { n: away })) : null);
}

function articleNode(a, member, byId) {
  const tags = (a.tags || []).slice(0, 6).map((tag) => h("span", {}, iso(tag)));
  const meta = [iso(a.source), " · ", a.published_at ? h("time", { datetime: a.published_at, title: ago(a.published_at) },
    when(a.published_at)) : t("a.noDate")];
  if (a.original_source) meta.push(" · ", t("a.original", { name: "" }), iso(a.original_source));
  if (a.revision > 1) meta.push(" · ", t("a.rev", { n: a.revision }));
  return h("div", { class: `article${member ? " member" : ""}`, "data-key": a.id, "data-id": a.id },
    h("div", { class: "text", dir: "rtl", lang: a.language || "ar" },
      h("a", { class: "title", dir: "auto", href: a.url, target: "_blank", rel: "noopener noreferrer" }, a.title),
      a.subtitle && !member ? h("div", { class: "summary", dir: "auto" }, a.subtitle) : null,
      a.snippet ? snippetNode(a.snippet) : null,
      h("div", { class: "url muted" }, iso(a.canonical_url || a.url, { dir: "ltr" })),
      h("div", { class: "meta", lang: prefs.lang, dir: prefs.lang === "ar" ? "rtl" : "ltr" }, ...meta),
      tags.length && !member ? h("div", { class: "tags" }, ...tags) : null,
      sameStoryNode(a, byId)),
    h("div", { class: "actions" }, actionButton("refetch-url", "refetch", { url: a.canonical_url || a.url })));
}

function renderArticles() {
  const groups = new Map();  // newest first: a cluster sits where its newest member is
  for (const a of state.articles) {
    const key = a.cluster_id || a.id;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(a);
  }
  setText($("#articles-count"), t("a.count", { n: state.articles.length, c: groups.size }));
  const byId = new Map(state.articles.map((a) => [a.id, a]));
  const clusters = [...groups.entries()].map(([key, members]) => {
    members.sort((a, b) => (a.duplicate_of ? 1 : 0) - (b.duplicate_of ? 1 : 0));
    const [first, ...rest] = members;
    return h("div", { class: `cluster${rest.length ? " multi" : ""}`, "data-key": key, "data-cluster": key },
      articleNode(first, false, byId),
      rest.length ? h("div", { class: "members-label" }, t("a.members", { n: rest.length })) : null,
      rest.map((a) => articleNode(a, true, byId)));
  });
  render($("#articles-list"), clusters.length ? clusters : h("div", { class: "empty", "data-key": "none" }, t("a.none")));
}

function renderFailures() {
  const rows = state.failures;
  setText($("#failures-count"), t("f.count", { n: rows.length }));
  const retryAll = $("#retry-all");
  retryAll.disabled = !rows.length || state.pending.has("retry-all:");
  render($("#failures-table tbody"), rows.length ? rows.map((f) => h("tr", { "data-key": f.id, "data-failure": f.id },
    cell("f.id", {}, num(f.id)), cell("f.when", {}, age(f.at)), cell("f.source", {}, iso(f.source)),
    cell("f.url", { class: "url wide" }, iso(f.url, { dir: "ltr" })),
    cell("f.error", { class: "error wide" }, errorText(f.error_kind, f.status, f.message)),
    cell("f.tries", { class: "num" }, num(f.attempts)),
    cell("actions", { class: "actions" }, actionButton("retry", "retry", { failure: f.id }),
      actionButton("drop", "drop", { failure: f.id }))))
    : h("tr", { "data-key": "none" }, h("td", { colspan: 7, class: "empty" }, t("f.none"))));
}

function renderBadge(count) {
  const badge = $("#failures-badge");
  badge.hidden = !count;
  setText(badge, count ? num(count) : "");
}

/** Repaint the visible page from what the last poll brought (after a change of language, digits or zone). */
function paint() {
  const s = state.status;
  if (!s) return;
  renderBadge(s.failures);
  if (state.page === "overview") renderOverview(s);
  if (state.page === "sources") renderSources(s);
  if (state.page === "articles") { renderSources(s); renderArticles(); }
  if (state.page === "failures") renderFailures();
}

// --- polling: only what the visible page needs, plus the status every page's header uses ----------------
async function refresh() {
  if (state.busy) {  // one poll at a time: a slow API must not stack them up; an action's refresh follows it
    state.again = true;
    return;
  }
  state.busy = true;
  state.again = false;
  try {
    const status = await api("/api/status");
    if (state.page === "articles") {
      const params = new URLSearchParams({ limit: "100", brief: "true" });
      if (state.q) params.set("q", state.q);
      if (state.source) params.set("source", state.source);
      state.articles = await api(`/api/articles?${params}`);
    }
    if (state.page === "failures") state.failures = await api("/api/failures");
    state.status = status;
    paint();
    state.lastOk = Date.now();
    setText($("#updated"), t("updated", { time: clockNow() }));
  } catch (error) {
    setText($("#updated"), error.status === 401 ? t("api.needsToken") : t("api.down", { error: error.message }));
  } finally {
    state.busy = false;
    state.polls += 1;
  }
  $("#live").classList.toggle("stale", Date.now() - state.lastOk > POLL_MS * 3);
  if (state.again) refresh();
}

const clockNow = () => clock(new Date(), true);

function show(page) {
  state.page = PAGES.includes(page) ? page : "overview";
  document.querySelectorAll(".page").forEach((el) => { el.hidden = el.id !== `page-${state.page}`; });
  document.querySelectorAll("nav a").forEach((a) => {
    const current = a.dataset.page === state.page;
    a.classList.toggle("active", current);
    if (current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  paint();
  refresh();
}

function showToken() {
  const saved = Boolean(token());
  const el = $("#token-state");
  el.dataset.state = saved ? "saved" : "none";
  setText(el, t(saved ? "token.saved" : "token.none"));
  $("#token-clear").hidden = !saved;
}

// --- the operator's choices: language, digits, zone (each kept in localStorage) ---------------------------
function fillZones() {
  const select = $("#pref-zone");
  render(select, h("option", { value: "utc", "data-key": "utc" }, t("zone.utc")),
    h("option", { value: "local", "data-key": "local" }, t("zone.local", { zone: BROWSER_ZONE })),
    h("optgroup", { label: t("zone.fixed"), "data-key": "fixed" },
      zones().map((z) => h("option", { value: z, "data-key": z, dir: "ltr" }, z))));
  select.value = prefs.zone;
}

function applyChoices() {
  resetFormats();
  applyLanguage();
  const other = prefs.lang === "ar" ? ["en", "English", "Switch to English"] : ["ar", "العربية", "التبديل إلى العربية"];
  const switcher = $("#lang-switch");
  switcher.lang = other[0];
  switcher.dataset.lang = other[0];
  setText(switcher, other[1]);
  switcher.setAttribute("aria-label", other[2]);
  $("#pref-digits").value = prefs.digits;
  fillZones();
  showToken();
  paint();
  if (state.lastOk) setText($("#updated"), t("updated", { time: clockNow() }));
}

$("#lang-switch").addEventListener("click", (event) => {
  choose("lang", event.currentTarget.dataset.lang);
  applyChoices();
});
$("#pref-digits").addEventListener("change", (event) => { choose("digits", event.target.value); applyChoices(); });
$("#pref-zone").addEventListener("change", (event) => { choose("zone", event.target.value); applyChoices(); });

$("#token-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const value = $("#token-input").value.trim();
  if (!value) return;
  localStorage.setItem(TOKEN_KEY, value);
  try {
    await api("/api/auth");
    toast(t("token.accepted"));
    $("#token-input").value = "";
    $("#settings").open = false;
  } catch (error) {
    localStorage.removeItem(TOKEN_KEY);
    toast(error.status === 401 ? t("token.refused") : error.message, true);
  }
  showToken();
  refresh();
});
$("#token-clear").addEventListener("click", () => { localStorage.removeItem(TOKEN_KEY); showToken(); });
$("#article-filter").addEventListener("submit", (event) => {
  event.preventDefault();
  state.q = $("#article-q").value.replace(/\s+/g, " ").trim();  // the API refuses control characters (newlines)
  state.source = $("#article-source").value;
  refresh();
});
$("#sources-table thead").addEventListener("click", (event) => {
  const th = event.target.closest("th[data-sort]");
  if (!th) return;
  const key = th.dataset.sort;
  state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
  if (state.status) renderSources(state.status);
});
document.addEventListener("click", (event) => {
  const settings = $("#settings");
  if (settings.open && !settings.contains(event.target)) settings.open = false;  // a menu: a click elsewhere shuts it
  const button = event.target.closest("button[data-action]");
  if (button) act(button);
  const link = event.target.closest("a[data-goto]");
  if (link) {  // a same-story link: the linked article on this page, brought into view and marked a moment
    event.preventDefault();
    const target = [...document.querySelectorAll("#articles-list .article[data-id]")]
      .find((node) => node.dataset.id === link.dataset.goto);
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.classList.add("flash");
      setTimeout(() => target.classList.remove("flash"), 1600);
    }
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && $("#settings").open) {
    $("#settings").open = false;
    $("#settings summary").focus();
  }
});
let resizeTimer = 0;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { if (state.status && state.page === "overview") renderThroughput(state.status.throughput); }, 150);
});
window.addEventListener("hashchange", () => show(location.hash.slice(1)));
applyChoices();
show(location.hash.slice(1));
setInterval(refresh, POLL_MS);
