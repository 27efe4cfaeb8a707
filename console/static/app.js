// The operators' dashboard: polls the API, renders four pages, sends actions with the pasted token.
"use strict";

const POLL_MS = 3000;
const TOKEN_KEY = "akhbar.token";
const state = { page: "overview", status: null, articles: [], failures: [], sort: { key: "name", dir: 1 },
  q: "", source: "", lastOk: 0 };
const $ = (sel) => document.querySelector(sel);
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;",
  '"': "&quot;", "'": "&#39;" }[c]));
// Stored text, escaped and direction-isolated: a right-to-left override in one title, tag or reason must not
// reorder the fields beside it (<bdi> takes its direction from its own text and stops at its end).
const iso = (v) => `<bdi>${esc(v)}</bdi>`;

function token() { return localStorage.getItem(TOKEN_KEY) || ""; }

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  if (options.body) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { ...options, headers });
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch (_) { /* not JSON */ }
    const error = new Error(`${response.status}: ${detail}`);
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

function ago(iso) {
  if (!iso) return "—";
  let s = (Date.now() - new Date(iso).getTime()) / 1000;
  const future = s < 0;
  s = Math.abs(s);
  const text = s >= 86400 ? `${Math.floor(s / 86400)}d` : s >= 3600 ? `${Math.floor(s / 3600)}h`
    : s >= 60 ? `${Math.floor(s / 60)}m` : `${Math.floor(s)}s`;
  return future ? `in ${text}` : `${text} ago`;
}
const seconds = (v) => (v == null ? "—" : ago(new Date(Date.now() - v * 1000).toISOString()).replace(" ago", ""));

// --- actions: every button carries its call in data attributes -------------------------------------------
async function act(button) {
  const { action, source, url, failure } = button.dataset;
  if (!token()) { toast("Paste the API token (top right) to use the buttons", true); $("#token-input").focus(); return; }
  const calls = {
    "refetch-source": () => api("/api/refetch", { method: "POST", body: JSON.stringify({ source }) }),
    "refetch-url": () => api("/api/refetch", { method: "POST", body: JSON.stringify({ url }) }),
    enable: () => api(`/api/sources/${encodeURIComponent(source)}/enable`, { method: "POST" }),
    disable: () => api(`/api/sources/${encodeURIComponent(source)}/disable`, { method: "POST" }),
    retry: () => api(`/api/failures/${failure}/retry`, { method: "POST" }),
    drop: () => api(`/api/failures/${failure}`, { method: "DELETE" }),
    "retry-all": async () => { for (const f of state.failures) await api(`/api/failures/${f.id}/retry`, { method: "POST" }); },
  };
  const done = { "refetch-source": `re-fetch of ${source} queued on the manual lane`,
    "refetch-url": "re-fetch of the page queued on the manual lane", enable: `${source} enabled; due now`,
    disable: `${source} disabled`, retry: `failure ${failure} queued again`, drop: `failure ${failure} dropped`,
    "retry-all": "every failure queued again" };
  button.disabled = true;
  try {
    await calls[action]();
    toast(done[action]);
    refresh();
  } catch (error) {
    toast(error.status === 401 ? "The token was refused (401); paste the right one" : error.message, true);
  } finally {
    button.disabled = false;
  }
}

// --- rendering -----------------------------------------------------------------------------------------
function renderOverview(s) {
  const counts = { ok: 0, backoff: 0, disabled: 0 };
  s.sources.forEach((x) => { counts[x.state] = (counts[x.state] || 0) + 1; });
  const outstanding = Object.values(s.queues).reduce((a, b) => a + b, 0);
  const cards = [
    ["workers online", s.workers.length, s.workers.length ? "" : "bad"], ["jobs outstanding", outstanding, ""],
    ["jobs / min (5 min)", s.throughput.jobs_per_minute, ""], ["articles last hour", s.throughput.articles_last_hour, ""],
    ["articles stored", s.articles_total, ""], ["sources ok", `${counts.ok} / ${s.sources.length}`, ""],
    ["in backoff", counts.backoff, counts.backoff ? "warn" : ""], ["failures kept", s.failures, s.failures ? "bad" : ""],
  ];
  $("#summary-cards").innerHTML = cards.map(([label, value, cls]) =>
    `<div class="card ${cls}"><div class="value">${esc(value)}</div><div class="label">${esc(label)}</div></div>`).join("");
  $("#queues-table tbody").innerHTML = Object.entries(s.queues).map(([name, depth]) => {
    const d = s.queue_details[name] || {};
    return `<tr><td>${iso(name)}</td><td class="num"><b>${depth}</b></td><td class="num">${d.in_broker ?? "—"}</td>
      <td class="num">${d.running ?? 0}</td><td class="num">${d.retrying ?? 0}</td>
      <td class="num">${seconds(d.oldest_age_seconds)}</td></tr>`;
  }).join("");
  $("#workers-count").textContent = `${s.workers.length} online`;
  $("#workers-table tbody").innerHTML = s.workers.map((w) => {
    const c = w.current;
    const now = c ? `${iso((c.task || "").replace("akhbar.", ""))} <span class="url">${iso(c.url || c.source)}</span>
      <span class="muted">${ago(c.since).replace(" ago", "")}</span>` : '<span class="muted">idle</span>';
    return `<tr><td>${iso(w.name)}</td><td>${iso(w.queues)}</td><td class="num">${w.active}</td>
      <td class="num">${w.processed}</td><td>${now}</td><td>${ago(w.last_seen)}</td></tr>`;
  }).join("") || '<tr><td colspan="6" class="empty">No worker has reported in the last 30 s.</td></tr>';
  renderThroughput(s.throughput);
}

function renderThroughput(tp) {
  const per = tp.per_minute;
  const jobs = per.done.map((v, i) => v + per.failed[i]);
  const top = Math.max(1, ...jobs, ...per.published);
  const w = 600, h = 100, n = jobs.length, bw = w / n;
  const bars = (values, color, offset) => values.map((v, i) =>
    `<rect x="${i * bw + offset}" y="${h - (v / top) * h}" width="${bw / 2 - 2}" height="${(v / top) * h}" fill="${color}">
      <title>${v}</title></rect>`).join("");
  $("#throughput-window").textContent = `last ${tp.window_minutes} min, per minute`;
  $("#throughput-chart").innerHTML = `<svg class="spark" viewBox="0 0 ${w} ${h}" preserveAspectRatio="none">
    ${bars(jobs, "#2b6cb0", 1)}${bars(per.published, "#1f8a4c", bw / 2)}</svg>
    <div class="legend"><span><i class="key-jobs"></i>jobs finished (${tp.jobs_last_5m} in 5 min)</span>
    <span><i class="key-articles"></i>articles stored</span><span>peak ${top}/min</span>
    <span class="spacer"></span><span>${n} min ago → now</span></div>`;
}

function errorCell(x) {
  const e = x.last_error;
  if (x.state === "disabled") return `<span class="error">${iso(x.disabled_reason || "disabled")}</span>`;
  if (!e || !x.consecutive_failures) return "";
  return `<span class="error">${iso(e.kind)}${e.status ? " " + esc(e.status) : ""}: ${iso(e.message)}
    <small>${iso(e.url || "")} · ${ago(e.at)}</small></span>`;
}

function renderSources(s) {
  const { key, dir } = state.sort;
  const rows = [...s.sources].sort((a, b) => {
    const x = a[key] ?? "", y = b[key] ?? "";
    return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) * dir;
  });
  document.querySelectorAll("#sources-table th[data-sort]").forEach((th) => {
    th.className = th.dataset.sort === key ? (dir > 0 ? "sorted-asc" : "sorted-desc") : "";
    if (["consecutive_failures", "articles_24h", "articles"].includes(th.dataset.sort)) th.classList.add("num");
  });
  const bad = s.sources.filter((x) => x.state !== "ok").length;
  $("#sources-count").textContent = `${s.sources.length} sources, ${bad} not ok`;
  $("#sources-table tbody").innerHTML = rows.map((x) => `<tr data-source="${esc(x.name)}">
    <td><b>${iso(x.name)}</b><div class="url muted">${iso(x.url)}</div></td>
    <td><span class="state state-${esc(x.state)}">${iso(x.state)}</span></td>
    <td>${ago(x.last_success_at)}</td><td>${ago(x.next_due_at)}</td>
    <td class="num">${x.consecutive_failures}</td><td class="num">${x.articles_24h}</td><td class="num">${x.articles}</td>
    <td>${errorCell(x)}</td>
    <td class="actions"><button data-action="refetch-source" data-source="${esc(x.name)}">Re-fetch</button>
      ${x.state === "disabled" ? `<button data-action="enable" data-source="${esc(x.name)}">Enable</button>`
        : `<button data-action="disable" data-source="${esc(x.name)}">Disable</button>`}</td></tr>`).join("");
  const select = $("#article-source");
  const names = s.sources.map((x) => x.name);
  if (select.options.length - 1 !== names.length) {
    select.innerHTML = '<option value="">every source</option>' +
      names.map((n) => `<option value="${esc(n)}" dir="auto">${esc(n)}</option>`).join("");
    select.value = state.source;
  }
}

function articleHtml(a, member) {
  const when = a.published_at ? new Date(a.published_at).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "no date";
  const tags = (a.tags || []).slice(0, 6).map((t) => `<span>${iso(t)}</span>`).join("");
  return `<div class="article${member ? " member" : ""}" data-id="${esc(a.id)}">
    <div class="text" dir="rtl" lang="ar">
      <a class="title" dir="auto" href="${esc(a.url)}" target="_blank" rel="noopener noreferrer">${esc(a.title)}</a>
      ${a.subtitle && !member ? `<div class="summary" dir="auto">${esc(a.subtitle)}</div>` : ""}
      <div class="meta">${iso(a.source)} · <bdi dir="ltr">${esc(when)}</bdi>
        ${a.original_source ? ` · المصدر: ${iso(a.original_source)}` : ""}${a.revision > 1 ? ` · rev ${a.revision}` : ""}</div>
      ${tags && !member ? `<div class="tags">${tags}</div>` : ""}
    </div>
    <div class="actions"><button data-action="refetch-url" data-url="${esc(a.canonical_url || a.url)}">Re-fetch</button></div>
  </div>`;
}

function renderArticles() {
  const groups = new Map();  // newest first: a cluster sits where its newest member is
  for (const a of state.articles) {
    const key = a.cluster_id || a.id;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(a);
  }
  $("#articles-count").textContent = `${state.articles.length} articles in ${groups.size} clusters`;
  $("#articles-list").innerHTML = [...groups.values()].map((members) => {
    members.sort((a, b) => (a.duplicate_of ? 1 : 0) - (b.duplicate_of ? 1 : 0));
    const [first, ...rest] = members;
    return `<div class="cluster${rest.length ? " multi" : ""}" data-cluster="${esc(first.cluster_id || first.id)}">
      ${articleHtml(first, false)}
      ${rest.length ? `<div class="members-label">↓ ${rest.length} near-identical ${rest.length > 1 ? "copies" : "copy"}
        in this cluster</div>` : ""}
      ${rest.map((a) => articleHtml(a, true)).join("")}</div>`;
  }).join("") || '<div class="empty">No articles stored yet.</div>';
}

function renderFailures() {
  const rows = state.failures;
  $("#failures-count").textContent = `${rows.length} kept`;
  $("#failures-table tbody").innerHTML = rows.map((f) => `<tr data-failure="${f.id}">
    <td>${f.id}</td><td>${ago(f.at)}</td><td>${iso(f.source)}</td><td class="url">${iso(f.url)}</td>
    <td class="error">${iso(f.error_kind)}${f.status ? " " + esc(f.status) : ""}: ${iso(f.message)}</td>
    <td class="num">${f.attempts}</td>
    <td class="actions"><button data-action="retry" data-failure="${f.id}">Retry</button>
      <button data-action="drop" data-failure="${f.id}">Drop</button></td></tr>`).join("")
    || '<tr><td colspan="7" class="empty">Nothing failed for good.</td></tr>';
}

function renderBadge(count) {
  const badge = $("#failures-badge");
  badge.hidden = !count;
  badge.textContent = count;
}

// --- polling: only what the visible page needs, plus the status every page's header uses ----------------
async function refresh() {
  try {
    const status = await api("/api/status");
    state.status = status;
    renderBadge(status.failures);
    if (state.page === "overview") renderOverview(status);
    if (state.page === "sources") renderSources(status);
    if (state.page === "articles") {
      const params = new URLSearchParams({ limit: "100", brief: "true" });
      if (state.q) params.set("q", state.q);
      if (state.source) params.set("source", state.source);
      state.articles = await api(`/api/articles?${params}`);
      renderSources(status);
      renderArticles();
    }
    if (state.page === "failures") { state.failures = await api("/api/failures"); renderFailures(); }
    state.lastOk = Date.now();
    $("#updated").textContent = `updated ${new Date().toLocaleTimeString("en-GB")}`;
  } catch (error) {
    $("#updated").textContent = error.status === 401 ? "read calls need the token" : `API unreachable (${error.message})`;
  }
  $("#live").classList.toggle("stale", Date.now() - state.lastOk > POLL_MS * 3);
}

function show(page) {
  state.page = ["overview", "sources", "articles", "failures"].includes(page) ? page : "overview";
  document.querySelectorAll(".page").forEach((el) => { el.hidden = el.id !== `page-${state.page}`; });
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.dataset.page === state.page));
  refresh();
}

function showToken() {
  $("#token-state").textContent = token() ? "token saved" : "read-only";
  $("#token-clear").hidden = !token();
}

$("#token-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const value = $("#token-input").value.trim();
  if (!value) return;
  localStorage.setItem(TOKEN_KEY, value);
  try {
    await api("/api/auth");
    toast("Token accepted; the buttons work now");
    $("#token-input").value = "";
  } catch (error) {
    localStorage.removeItem(TOKEN_KEY);
    toast(error.status === 401 ? "That token was refused" : error.message, true);
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
  const key = event.target.dataset.sort;
  if (!key) return;
  state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
  renderSources(state.status);
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (button) act(button);
});
$("#retry-all").dataset.action = "retry-all";
window.addEventListener("hashchange", () => show(location.hash.slice(1)));
showToken();
show(location.hash.slice(1));
setInterval(refresh, POLL_MS);
