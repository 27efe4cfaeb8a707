"""The headline without site name or section: learned from og:site_name, <title> and the page's <h1>."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from workers.core.arabic import normalize_arabic

# Separators between headline, section and site name in <title> and og:title.
_SEPARATOR = re.compile(r"\s+[|\-–—«»·•:]{1,2}\s+|\s*\|\s*|\s*::\s*")
_SPACE = re.compile(r"\s+")


def clean_space(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def site_names(url: str, declared: list[str]) -> set[str]:
    """Normalised names the site goes by: declared names plus the host's brand («youm7»)."""
    names = {normalize_arabic(n) for n in declared if n and not n.startswith("http")}
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    if host:
        names.add(host.split(".")[0])
        names.add(normalize_arabic(host))
    return {n for n in names if n}


def _is_site_segment(segment: str, names: set[str], sections: set[str]) -> bool:
    folded = normalize_arabic(segment)
    if not folded:
        return True
    if folded in sections:
        return True
    compact = folded.replace(" ", "")
    for name in names:
        if folded == name or compact == name.replace(" ", ""):
            return True
        # «بوابة أخبار اليوم الإلكترونية» vs og:site_name «بوابة اخبار اليوم»
        if len(name) >= 4 and (name in folded or folded in name) and len(folded.split()) <= len(name.split()) + 2:
            return True
        if name.isascii() and name in compact.lower():
            return True
    return False


def strip_site_name(title: str, names: set[str], sections: set[str]) -> str:
    """Drop leading/trailing segments of a title that name the site or the section."""
    title = clean_space(title)
    parts = _SEPARATOR.split(title)
    if len(parts) == 1:
        return title
    seps = _SEPARATOR.findall(title)
    while len(parts) > 1 and _is_site_segment(parts[-1], names, sections):
        parts.pop()
        seps.pop()
    while len(parts) > 1 and _is_site_segment(parts[0], names, sections):
        parts.pop(0)
        seps.pop(0)
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=False):
        out += sep + part
    return out.strip()


def headings(root: HtmlElement) -> list[str]:
    """Texts of the page's <h1> elements, then of title-classed h2s, in page order."""
    found = [clean_space(h.text_content()) for h in root.iter("h1")]
    found += [clean_space(h.text_content()) for h in root.iter("h2") if "title" in (h.get("class") or "").lower()]
    return [t for t in found if len(t.split()) >= 2]


def choose_title(meta_titles: list[str], title_tag: str, page_headings: list[str], names: set[str],
                 sections: set[str]) -> str:
    """The headline: the <h1> that the page's own metadata confirms, else the cleaned declared title."""
    declared = [strip_site_name(t, names, sections) for t in meta_titles if clean_space(t)]
    tag_title = strip_site_name(title_tag, names, sections) if title_tag else ""
    evidence = [normalize_arabic(t) for t in (*meta_titles, title_tag) if t]
    for heading in page_headings:
        folded = normalize_arabic(heading)
        if not folded:
            continue
        for clean in declared:
            if normalize_arabic(clean) == folded:
                return clean  # same words: the declared form is free of display punctuation
        if any(folded in e for e in evidence) or any(e and folded.startswith(e[:60]) for e in evidence
                                                      if len(e) >= 60):
            return heading
    for candidate in (*declared, tag_title):
        if candidate:
            return candidate
    return page_headings[0] if page_headings else ""
