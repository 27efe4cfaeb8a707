"""Choose published_at / updated_at from every date the page gives, weighing sources against each other."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from lxml import etree
from lxml.html import HtmlElement

from workers.core.extract.casefree import CaseFree
from workers.core.extract.dates import FoundDate, parse_date, relative_line, split_labelled
from workers.core.extract.metadata import PageMeta, ld_text
from workers.core.extract.zones import get_zone, settle

PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
                  "publish_date", "publish-date", "dc.date.issued", "dc.date", "dcterms.created", "dcterms.date",
                  "sailthru.date", "dc:date", "dcterms:created", "dcterms:issued", "dc:date:issued",
                  "parsely-pub-date", "article.published", "publication_date", "datecreated",
                  "og:pubdate", "date", "created", "article:published", "release_date", "article_date_original")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified",
                 "article.updated", "lastmod", "dc.date.modified")
_URL_DATES = (re.compile(r"/((?:19|20)\d\d)/(?:[a-z_\-]+/)?(\d{1,2})/(\d{1,2})(?:/|$)", re.I),
              re.compile(r"(?<!\d)((?:19|20)\d\d)[-_/](\d{2})[-_/](\d{2})(?!\d)"),
              re.compile(r"/((?:19|20)\d\d)(\d{2})(\d{2})\d{0,12}(?:[/\-_.]|$)"))
# «ago» is the class timeago widgets give a relative date («منذ ساعتين»): <span class="ago">, "timeago"
_DATE_CLASS = CaseFree(r"date|time|publish|posted|pubdate|timestamp|created|article-?info|meta|byline|"
                       r"tarikh|entry-?date|(?<![a-z])ago(?![a-z])")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One date the page states, where it came from (weight) and how precise it is."""

    value: datetime
    has_time: bool
    weight: float


def _candidate(text: str | None, weight: float, fetched_at: datetime, zone: str | None = None
               ) -> Candidate | None:
    found = parse_date(text or "", fetched_at, zone)
    return Candidate(found.value, found.has_time, weight) if found else None


def url_date(url: str) -> FoundDate | None:
    """A date written in the URL path (/2020/8/24/, 2020-06-03, 20200317…)."""
    path = url.split("?", 1)[0]
    for pattern in _URL_DATES:
        for match in pattern.finditer(path):
            try:
                return FoundDate(datetime(int(match.group(1)), int(match.group(2)), int(match.group(3))), False)
            except ValueError:
                continue
    return None


def visible_dates(scope: HtmlElement, limit: int = 4) -> list[str]:
    """Texts of <time> elements and date-classed elements in the article's area, in page order."""
    found: list[str] = []
    for element in scope.iter(etree.Element):
        if element.tag == "time":
            found.append(element.get("datetime") or element.text_content())
        elif _DATE_CLASS.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
            text = " ".join(element.text_content().split())
            # a date has a digit, or is a relative line alone: «منذ ساعتين», «قبل أسبوع», «أمس»
            if 4 <= len(text) <= 120 and (re.search(r"\d", text) or relative_line(text)):
                found.append(text)
        if len(found) >= limit:
            break
    return found


def published_candidates(page: PageMeta, url: str, visible: list[str], fetched_at: datetime,
                         zone: str | None = None) -> list[Candidate]:
    """Every publication date the page gives, weighted: metadata 3, URL 2.5, microdata 2, page text 1.5.
    A visible line's «آخر تحديث» part is left to updated_at, wherever it stands in the line."""
    out: list[Candidate | None] = [_candidate(ld_text(page, "datePublished") or ld_text(page, "dateCreated"), 3,
                                              fetched_at)]
    for key in PUBLISHED_META:
        value = page.first(key)
        if value:
            out.append(_candidate(value, 3 if key == "article:published_time" else 2, fetched_at))
            break
    out += [_candidate(v, 2, fetched_at) for v in page.microdata.get("datepublished", [])[:1]]
    found = url_date(url)
    if found:
        out.append(Candidate(found.value, False, 2.5))
    for text in visible:
        candidate = _candidate(split_labelled(text)[0], 1.5, fetched_at, zone)
        if candidate:
            out.append(candidate)
            break
    return [c for c in out if c and _plausible(c.value, fetched_at)]


def _plausible(value: datetime, fetched_at: datetime) -> bool:
    naive = value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
    return datetime(1995, 1, 1) <= naive <= fetched_at.astimezone(UTC).replace(tzinfo=None) + timedelta(days=2)


def choose_date(candidates: list[Candidate], zone_name: str | None) -> datetime | None:
    """The day most sources agree on (by weight), then its most precise statement, as an aware datetime."""
    if not candidates:
        return None
    zone: tzinfo | None = get_zone(zone_name)
    if zone is None:
        # No named zone: the offset the page's own aware dates use is the best guess for its naive ones.
        offsets = [c.value.utcoffset() for c in candidates if c.value.tzinfo and c.has_time]
        nonzero = [o for o in offsets if o]
        if nonzero:
            zone = timezone(nonzero[0])
    settled = [(settle(c.value, zone), c) for c in candidates]
    by_day: dict[object, float] = defaultdict(float)
    for value, candidate in settled:
        by_day[value.date()] += candidate.weight
    best_day = max(by_day, key=lambda d: by_day[d])
    on_day = [(v, c) for v, c in settled if v.date() == best_day]
    value, chosen = max(on_day, key=lambda vc: (vc[1].has_time, vc[1].value.tzinfo is not None, vc[1].weight))
    # A date the page states with its own local offset is kept as written (same instant); UTC values,
    # including relative dates computed from fetched_at, are shown in the page's or source's zone.
    explicit = chosen.value.tzinfo is not None and chosen.has_time and bool(chosen.value.utcoffset())
    return chosen.value if explicit else value


def modified_date(page: PageMeta, fetched_at: datetime, zone_name: str | None,
                  published: datetime | None, visible: list[str] | None = None) -> datetime | None:
    """updated_at from JSON-LD or meta, else a visible «آخر تحديث» line; dropped when it is before
    publication (a site-wide value)."""
    values = [ld_text(page, "dateModified"), *(page.first(k) for k in MODIFIED_META),
              *page.microdata.get("datemodified", [])[:1]]
    values += [updated for updated in (split_labelled(text)[1] for text in visible or []) if updated]
    for value in values:
        candidate = _candidate(value, 1, fetched_at, zone_name)
        if candidate and _plausible(candidate.value, fetched_at):
            zone = get_zone(zone_name) or (published.tzinfo if published else None)
            result = settle(candidate.value, zone)
            if published and result < published:
                return None
            return result
    return None
