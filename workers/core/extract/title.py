"""The headline without site name or section: learned from og:site_name, <title> and the page's <h1>."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from workers.core.arabic import normalize_arabic
from workers.core.extract.casefree import CaseFree

# Separators between headline, section and site name in <title> and og:title.
# A separator needs white space on both sides («وزير الخارجية: لا تفاوض» is one headline), except the
# unambiguous ones («|», «::», «»», «·»), which sites also write tight.
_SEPARATOR = re.compile(r"\s+(?:[|\-–—«»·•:/]{1,2}|::)\s+|\s*(?:\||::|»|·)\s*")
# Where a page names itself outside its metadata: the logo's alt/title, the copyright line.
_LOGO = CaseFree(r"logo|brand|site-?name")
_HOME = re.compile(r"^\s*(?:(?:https?:)?//[^/]+)?/?(?:index\.\w+|default\.\w+)?\s*$", re.I)
_COPYRIGHT = re.compile(r"(?:©|حقوق\s+(?:ال)?(?:نشر|طبع)|جميع\s+الحقوق\s+محفوظة)\s*(?:ل|لـ|ل\s*ـ|©)?\s*"
                        r"(?:\d{4}\s*[-–]?\s*(?:\d{4})?)?\s*(?:ل|لـ|©)?\s*([^\d©.|،,\n]{3,40})")
_SPACE = re.compile(r"\s+")


def clean_space(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def title_separated(title: str) -> bool:
    """Whether a title still holds a separator (a segment the site may have joined to it)."""
    return bool(_SEPARATOR.search(title))


def site_names(url: str, declared: list[str]) -> set[str]:
    """Normalised names the site goes by: declared names plus the host's brand («youm7»)."""
    names = {normalize_arabic(n) for n in declared if n and not n.startswith("http")}
    try:
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    except ValueError:  # a page's own claims (canonical, og:url) may be mangled: «http://[::1»
        host = ""
    if host:
        names.add(host.split(".")[0])
        names.add(normalize_arabic(host))
    return {n for n in names if n}


def page_names(root: HtmlElement) -> list[str]:
    """Names the page gives itself outside its metadata: the logo's alt or title, the copyright line."""
    found: list[str] = []
    for img in root.iter("img"):
        holder = img.getparent()
        where = f"{img.get('class') or ''} {img.get('id') or ''} {img.get('src') or ''}"
        if holder is not None:
            where += f" {holder.get('class') or ''} {holder.get('id') or ''}"
        home = holder is not None and holder.tag == "a" and _HOME.match(holder.get("href") or "")
        if _LOGO.search(where) or home:  # the logo, or the banner that links to the home page
            found += [clean_space(img.get(a)) for a in ("alt", "title") if clean_space(img.get(a))]
        if len(found) >= 4:
            break
    for footer in root.iter("footer"):
        match = _COPYRIGHT.search(clean_space(footer.text_content()))
        if match:
            found.append(clean_space(match.group(1)))
    return [n for n in found if 1 <= len(n.split()) <= 5 and "logo" not in n.lower() and "شعار" not in n]


def _is_site_segment(segment: str, names: set[str], sections: set[str]) -> bool:
    folded = normalize_arabic(segment)
    if not folded:
        return True
    if folded in sections:
        return True
    compact = folded.replace(" ", "").lower()
    latin = compact.isascii()
    for name in names:
        if folded == name or compact == name.replace(" ", "").lower():
            return True
        # «بوابة أخبار اليوم الإلكترونية» vs og:site_name «بوابة اخبار اليوم»; a part of the name only when it
        # is most of it («اليوم» alone is no name for «اليوم السابع»)
        if len(name) >= 4 and name in folded and len(folded.split()) <= len(name.split()) + 2:
            return True
        if len(folded) >= 4 and folded in name and len(folded) >= 0.6 * len(name):
            return True
        # a Latin brand in a Latin segment: «youm7.com», «CNN Arabic», «Al Arabiya English»
        if latin and name.isascii() and len(name) >= 3 and name.replace(" ", "") in compact:
            return True
        # a Latin brand's first word alone: «Assabah» for «Assabah News»
        if latin and name.isascii() and len(compact) >= 4 and name.lower().startswith(folded.lower() + " "):
            return True
    return False


def strip_site_name(title: str, names: set[str], sections: set[str], trailing: set[str] | None = None) -> str:
    """Drop leading/trailing segments of a title that name the site or the section; `trailing` sections (its
    menus' labels, which may be a country or a city) only at the end, where sites put them."""
    title = clean_space(title)
    parts = _SEPARATOR.split(title)
    if len(parts) == 1:
        return title
    seps = _SEPARATOR.findall(title)
    while len(parts) > 1 and _is_site_segment(parts[-1], names, sections | (trailing or set())):
        parts.pop()
        seps.pop()
    while len(parts) > 1 and _is_site_segment(parts[0], names, sections):
        parts.pop(0)
        seps.pop(0)
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=False):
        out += sep + part
    return out.strip()


def _edges(title: str) -> set[str]:
    """The first and last segments of a title, each only when shorter than the rest (a name is no headline)."""
    parts = [normalize_arabic(p) for p in _SEPARATOR.split(clean_space(title))]
    if len(parts) < 2:
        return set()
    first, last = parts[0], parts[-1]
    rest_first, rest_last = " ".join(parts[1:]), " ".join(parts[:-1])
    return {e for e, rest in ((first, rest_first), (last, rest_last)) if len(e) < len(rest)}


def _repeated_edges(titles: list[str], page_headings: list[str]) -> set[str]:
    """Segments at the edge of two differently written declared titles (<title> and og:title) that the page's
    heading lacks: the site's name however it is spelled, even when no metadata names the site."""
    written = list(dict.fromkeys(clean_space(t) for t in titles if clean_space(t)))
    folded_headings = [normalize_arabic(h) for h in page_headings]
    if len(written) < 2 or not folded_headings:
        return set()
    counts: dict[str, int] = {}
    for title in written:
        for edge in _edges(title):
            counts[edge] = counts.get(edge, 0) + 1
    return {edge for edge, n in counts.items()
            if n >= 2 and edge and not any(edge in h for h in folded_headings) and len(edge.split()) <= 6}


def headings(root: HtmlElement) -> list[str]:
    """Texts of the page's <h1> elements, then of title-classed h2s, in page order."""
    found = [clean_space(h.text_content()) for h in root.iter("h1")]
    found += [clean_space(h.text_content()) for h in root.iter("h2") if "title" in (h.get("class") or "").lower()]
    return [t for t in found if len(t.split()) >= 2]


def choose_title(meta_titles: list[str], title_tag: str, page_headings: list[str], names: set[str],
                 sections: set[str], trailing: set[str] | None = None) -> str:
    """The headline: the <h1> that the page's own metadata confirms, else the cleaned declared title."""
    names = names | _repeated_edges([*meta_titles, title_tag], page_headings)
    declared = [strip_site_name(t, names, sections, trailing) for t in meta_titles if clean_space(t)]
    tag_title = strip_site_name(title_tag, names, sections, trailing) if title_tag else ""
    evidence = [normalize_arabic(t) for t in (*meta_titles, title_tag) if t]
    for heading in page_headings:
        folded = normalize_arabic(heading)
        if not folded or (names and _is_site_segment(heading, names, set())):
            continue  # «<h1 class="logo">» names the site, not the story
        for clean in declared:
            if normalize_arabic(clean) == folded:
                return clean  # same words: the declared form is free of display punctuation
        if any(folded in e for e in evidence) or any(e and folded.startswith(e[:60]) for e in evidence
                                                      if len(e) >= 60):
            return heading
    for candidate in (*declared, tag_title):
        if candidate:
            return candidate
    real = [h for h in page_headings if not _is_site_segment(h, names, set())]
    return real[0] if real else ""
