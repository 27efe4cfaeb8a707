// Every label the dashboard shows, in Arabic (the default) and English, and the formats the operator chose:
// language, digits (Arabic-Indic or Western) and time zone (UTC, the browser's, or a fixed IANA zone).

const KEYS = { lang: "akhbar.lang", digits: "akhbar.digits", zone: "akhbar.zone" };

const AR = {
  title: "أخبار — لوحة المشغّلين", brand: "أخبار", "brand.sub": "لوحة المشغّلين", "nav.label": "الصفحات",
  "nav.overview": "نظرة عامة", "nav.sources": "المصادر", "nav.articles": "المقالات", "nav.failures": "الإخفاقات",
  settings: "الإعدادات", "set.lang": "اللغة", "set.digits": "الأرقام", "set.zone": "المنطقة الزمنية",
  "digits.arab": "عربية (٠١٢)", "digits.latn": "غربية (012)", "zone.utc": "UTC (التوقيت العالمي)",
  "zone.local": "توقيت المتصفح ({zone})", "zone.fixed": "منطقة ثابتة",
  "token.label": "رمز الواجهة البرمجية", "token.placeholder": "الصق الرمز", "token.save": "احفظ",
  "token.forget": "انسَ الرمز", "token.none": "للقراءة فقط", "token.saved": "الرمز محفوظ",
  "token.accepted": "قُبل الرمز؛ الأزرار تعمل الآن", "token.refused": "رُفض هذا الرمز",
  "token.needed": "الصق رمز الواجهة البرمجية (في الإعدادات) لتعمل الأزرار",
  "token.refused401": "رُفض الرمز (401)؛ الصق الرمز الصحيح",
  live: "يتجدّد كل ثلاث ثوانٍ", updated: "حُدّث {time}", "api.down": "تعذّر الوصول إلى الواجهة البرمجية ({error})",
  "api.needsToken": "القراءة تتطلّب الرمز",
  "card.workers": "عمّال متّصلون", "card.outstanding": "مهام معلّقة", "card.jpm": "مهمة في الدقيقة (آخر ٥ د)",
  "card.lastHour": "مقالات الساعة الأخيرة", "card.stored": "مقالات مخزّنة", "card.sourcesOk": "مصادر سليمة",
  "card.backoff": "مصادر متمهّلة", "card.failures": "إخفاقات محفوظة", "of": "{a} من {b}",
  queues: "الطوابير", "q.queue": "الطابور", "q.outstanding": "معلّقة", "q.waiting": "في الوسيط",
  "q.running": "قيد التنفيذ", "q.retrying": "تنتظر الإعادة", "q.oldest": "أقدم مهمة",
  "q.region": "جدول الطوابير",
  "q.hint": "«معلّقة» تعدّ كل مهمة من قبل إرسالها حتى تنتهي: تنتظر في الوسيط، أو يحملها عامل، أو تعدّ تنازليًا لإعادة المحاولة.",
  "queue.manual": "يدوي", "queue.feeds": "الخلاصات", "queue.pages": "الصفحات",
  throughput: "الإنتاجية", "tp.window": "آخر {n} دقيقة، لكل دقيقة", "tp.jobs": "مهام منتهية (آخر ٥ دقائق: {n})",
  "tp.articles": "مقالات مخزّنة", "tp.jobsShort": "مهام منتهية", comma: "، ", "tp.peak": "الذروة {n} في الدقيقة", "tp.yaxis": "في الدقيقة",
  "tp.xaxis": "الوقت ({zone})", "tp.chart": "مهام منتهية ومقالات مخزّنة في كل دقيقة من آخر {n} دقيقة",
  workers: "العمّال", "w.count": "المتّصلون: {n}", "w.name": "الاسم", "w.queues": "الطوابير", "w.active": "نشطة",
  "w.processed": "أُنجزت", "w.now": "يعمل الآن على", "w.seen": "آخر ظهور", "w.idle": "خامل",
  "w.none": "لم يبلّغ أي عامل خلال آخر ٣٠ ثانية.", "w.region": "جدول العمّال",
  sources: "المصادر", "s.count": "العدد: {n}، غير السليمة: {bad}", "s.source": "المصدر", "s.state": "الحالة",
  "s.lastSuccess": "آخر نجاح", "s.nextDue": "الموعد التالي", "s.fails": "إخفاقات متتالية", "s.24h": "آخر ٢٤ ساعة",
  "s.total": "الإجمالي", "s.lastError": "آخر خطأ", actions: "إجراءات", "s.region": "جدول المصادر",
  "s.sortBy": "رتّب حسب {col}",
  "state.ok": "سليم", "state.backoff": "متمهّل", "state.disabled": "معطّل",
  refetch: "أعد الجلب", enable: "فعّل", disable: "عطّل", disabled: "معطّل",
  articles: "المقالات", "a.search": "بحث (بالعربية المطبّعة)", "a.placeholder": "ابحث في العناوين والنصوص",
  "a.source": "المصدر", "a.every": "كل المصادر", "a.go": "ابحث", "a.count": "العدد: {n}، العناقيد: {c}",
  "a.noDate": "بلا تاريخ", "a.original": "المصدر الأصلي: {name}", "a.rev": "النسخة {n}",
  "a.members": "↓ نسخ شبه مطابقة في هذا العنقود: {n}", "a.none": "لا مقالات مخزّنة بعد.",
  "a.sameStory": "قد تكون القصة نفسها ({n}):", "a.sameStoryAway": "{n} خارج هذه الصفحة",
  failures: "الإخفاقات", "f.count": "المحفوظة: {n}", "f.retryAll": "أعد الكل",
  "f.hint": "المهام التي استنفدت محاولاتها تبقى هنا حتى تُعاد أو تُحذف.", "f.id": "الرقم", "f.when": "متى",
  "f.source": "المصدر", "f.url": "الرابط", "f.error": "الخطأ", "f.tries": "المحاولات", retry: "أعد المحاولة",
  drop: "احذف", "f.none": "لا شيء فشل نهائيًا.", "f.region": "جدول الإخفاقات",
  "done.refetch-source": "جُدولت إعادة جلب {source} على المسار اليدوي",
  "done.refetch-url": "جُدولت إعادة جلب الصفحة على المسار اليدوي", "done.enable": "فُعّل {source}؛ موعده الآن",
  "done.disable": "عُطّل {source}", "done.retry": "أُعيد الإخفاق {failure} إلى الطابور",
  "done.drop": "حُذف الإخفاق {failure}", "done.retry-all": "أُعيدت كل الإخفاقات إلى الطابور",
};

const EN = {
  title: "akhbar — operators' console", brand: "akhbar", "brand.sub": "operators' console", "nav.label": "Pages",
  "nav.overview": "Overview", "nav.sources": "Sources", "nav.articles": "Articles", "nav.failures": "Failures",
  settings: "Settings", "set.lang": "Language", "set.digits": "Digits", "set.zone": "Time zone",
  "digits.arab": "Arabic (٠١٢)", "digits.latn": "Western (012)", "zone.utc": "UTC",
  "zone.local": "Browser's zone ({zone})", "zone.fixed": "Fixed zone",
  "token.label": "API token", "token.placeholder": "paste API token", "token.save": "Save",
  "token.forget": "Forget token", "token.none": "read-only", "token.saved": "token saved",
  "token.accepted": "Token accepted; the buttons work now", "token.refused": "That token was refused",
  "token.needed": "Paste the API token (under Settings) to use the buttons",
  "token.refused401": "The token was refused (401); paste the right one",
  live: "updates every 3 seconds", updated: "updated {time}", "api.down": "API unreachable ({error})",
  "api.needsToken": "read calls need the token",
  "card.workers": "workers online", "card.outstanding": "jobs outstanding", "card.jpm": "jobs / min (last 5 min)",
  "card.lastHour": "articles last hour", "card.stored": "articles stored", "card.sourcesOk": "sources ok",
  "card.backoff": "in backoff", "card.failures": "failures kept", "of": "{a} / {b}",
  queues: "Queues", "q.queue": "queue", "q.outstanding": "outstanding", "q.waiting": "waiting",
  "q.running": "running", "q.retrying": "retrying", "q.oldest": "oldest job", "q.region": "Queues table",
  "q.hint": "Outstanding counts every job from before it is sent until it finishes: waiting in the broker, held by a worker, or counting down to a retry.",
  "queue.manual": "manual", "queue.feeds": "feeds", "queue.pages": "pages",
  throughput: "Throughput", "tp.window": "last {n} min, per minute", "tp.jobs": "jobs finished ({n} in 5 min)",
  "tp.articles": "articles stored", "tp.jobsShort": "jobs finished", comma: ", ", "tp.peak": "peak {n}/min", "tp.yaxis": "per minute", "tp.xaxis": "time ({zone})",
  "tp.chart": "Jobs finished and articles stored in each of the last {n} minutes",
  workers: "Workers", "w.count": "{n} online", "w.name": "name", "w.queues": "queues", "w.active": "active",
  "w.processed": "processed", "w.now": "running now", "w.seen": "last seen", "w.idle": "idle",
  "w.none": "No worker has reported in the last 30 s.", "w.region": "Workers table",
  sources: "Sources", "s.count": "{n} sources, {bad} not ok", "s.source": "source", "s.state": "state",
  "s.lastSuccess": "last success", "s.nextDue": "next due", "s.fails": "fails", "s.24h": "24 h", "s.total": "total",
  "s.lastError": "last error", actions: "actions", "s.region": "Sources table", "s.sortBy": "sort by {col}",
  "state.ok": "ok", "state.backoff": "backoff", "state.disabled": "disabled",
  refetch: "Re-fetch", enable: "Enable", disable: "Disable", disabled: "disabled",
  articles: "Articles", "a.search": "Search (normalised Arabic)", "a.placeholder": "search titles and text",
  "a.source": "Source", "a.every": "every source", "a.go": "Search", "a.count": "{n} articles in {c} clusters",
  "a.noDate": "no date", "a.original": "source: {name}", "a.rev": "rev {n}",
  "a.members": "↓ {n} near-identical copies in this cluster", "a.none": "No articles stored yet.",
  "a.sameStory": "Likely the same story ({n}):", "a.sameStoryAway": "{n} not on this page",
  failures: "Failures", "f.count": "{n} kept", "f.retryAll": "Retry all",
  "f.hint": "Jobs that exhausted their retries are kept here until retried or dropped.", "f.id": "id",
  "f.when": "when", "f.source": "source", "f.url": "url", "f.error": "error", "f.tries": "tries", retry: "Retry",
  drop: "Drop", "f.none": "Nothing failed for good.", "f.region": "Failures table",
  "done.refetch-source": "re-fetch of {source} queued on the manual lane",
  "done.refetch-url": "re-fetch of the page queued on the manual lane", "done.enable": "{source} enabled; due now",
  "done.disable": "{source} disabled", "done.retry": "failure {failure} queued again",
  "done.drop": "failure {failure} dropped", "done.retry-all": "every failure queued again",
};

const TABLES = { ar: AR, en: EN };
export const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const ZONES = new Set(typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : []);

function stored(key, allowed, fallback) {
  const value = localStorage.getItem(key);
  return value && allowed(value) ? value : fallback;
}

/** The operator's choices, read from localStorage (Arabic, Arabic-Indic digits and UTC by default). */
export const prefs = {
  lang: stored(KEYS.lang, (v) => v in TABLES, "ar"),
  digits: stored(KEYS.digits, (v) => v === "arab" || v === "latn", "arab"),
  zone: stored(KEYS.zone, (v) => v === "utc" || v === "local" || ZONES.has(v), "utc"),
};

export function choose(name, value) {
  prefs[name] = value;
  localStorage.setItem(KEYS[name], value);
}

export const zoneName = () => (prefs.zone === "utc" ? "UTC" : prefs.zone === "local" ? BROWSER_ZONE : prefs.zone);
export const locale = () => `${prefs.lang === "ar" ? "ar" : "en-GB"}-u-nu-${prefs.digits}`;
const digitsOf = (text) => (prefs.digits === "arab" ? String(text).replace(/\d/g, (d) => "٠١٢٣٤٥٦٧٨٩"[d])
  : String(text).replace(/[٠-٩]/g, (d) => d.charCodeAt(0) - 0x660));

const VERBATIM = new Set(["digits.arab", "digits.latn"]);  // these show both kinds of digit on purpose

/** A label in the chosen language and digits; {name} filled from vars (numbers formatted, strings as they are). */
export function t(key, vars = {}) {
  const template = TABLES[prefs.lang][key] ?? EN[key] ?? key;
  return (VERBATIM.has(key) ? template : digitsOf(template)).replace(/\{(\w+)\}/g,
    (_, name) => (typeof vars[name] === "number" ? num(vars[name]) : String(vars[name] ?? "")));
}

let cache = {};
function cached(name, make) {
  const id = `${name}|${locale()}|${zoneName()}`;
  if (!cache[id]) cache[id] = make();
  return cache[id];
}
export function resetFormats() { cache = {}; }

/** A number in the chosen digits. */
export const num = (value) => (value == null ? "—"
  : cached("num", () => new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 })).format(value));

// ICU puts bidi marks (RLM, ALM) into some Arabic patterns (numeric dates): the dashboard shows no direction
// control it did not isolate, so the formats below avoid those patterns and drop any mark left.
const MARKS = /[\u200e\u200f\u061c]/g;
const bare = (text) => text.replace(MARKS, "");

/** An instant as date and time in the chosen zone: «٤ ديسمبر ٢٠٢٦، ٢٣:٤٥». */
export const when = (iso) => (iso ? bare(cached("when", () => new Intl.DateTimeFormat(locale(),
  { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    timeZone: zoneName() })).format(new Date(iso))) : "—");

/** An instant as hours and minutes (and seconds) in the chosen zone. */
export const clock = (date, seconds = false) => cached(`clock${seconds}`, () => new Intl.DateTimeFormat(locale(),
  { hour: "2-digit", minute: "2-digit", second: seconds ? "2-digit" : undefined, hourCycle: "h23",
    timeZone: zoneName() })).format(date).replace(MARKS, "");

const UNITS = [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];

/** «منذ ٣ دقائق» / "3 minutes ago" / "in 2 hours"; "—" for none. */
export function ago(iso) {
  if (!iso) return "—";
  const delta = (new Date(iso).getTime() - Date.now()) / 1000;
  const [unit, size] = UNITS.find(([, size]) => Math.abs(delta) >= size) || UNITS[3];
  const rtf = cached("rel", () => new Intl.RelativeTimeFormat(locale(), { numeric: "always" }));
  return bare(rtf.format(Math.trunc(delta / size), unit));
}

/** A duration in seconds as «٤٢ ث» / "42 sec", in its largest unit. */
export function duration(seconds) {
  if (seconds == null) return "—";
  const [unit, size] = UNITS.find(([, size]) => seconds >= size) || UNITS[3];
  return cached(`dur-${unit}`, () => new Intl.NumberFormat(locale(), { style: "unit", unit, unitDisplay: "short" }))
    .format(Math.floor(seconds / size)).replace(MARKS, "");
}

/** Apply the language to the document: lang, dir, title and every element carrying data-i18n*. */
export function applyLanguage(root = document) {
  const html = document.documentElement;
  html.lang = prefs.lang;
  html.dir = prefs.lang === "ar" ? "rtl" : "ltr";
  document.title = t("title");
  for (const el of root.querySelectorAll("[data-i18n]")) {
    const text = t(el.dataset.i18n);
    if (el.textContent !== text) el.textContent = text;
  }
  for (const attr of ["placeholder", "title", "aria-label"]) {
    for (const el of root.querySelectorAll(`[data-i18n-${attr}]`)) {
      el.setAttribute(attr, t(el.getAttribute(`data-i18n-${attr}`)));
    }
  }
}

/** Every fixed IANA zone the browser knows. */
export const zones = () => [...ZONES];
