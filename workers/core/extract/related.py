"""Related links: explicit related sections and inline read-also links, merged by URL and near-identical title."""

from __future__ import annotations

from collections.abc import Iterable

from lxml.html import HtmlElement

from workers.core.arabic import normalize_arabic
from workers.core.dedupe import compare
from workers.core.domains import site_of
from workers.core.extract import boilerplate as bp
from workers.core.extract.canonical import canonicalize_url, http_url
from workers.core.extract.casefree import CaseFree
from workers.core.extract.classindex import ClassIndex
from workers.core.fingerprint import Fingerprint, fingerprint_text
from workers.core.models import RelatedLink

_RELATED_CLASS = CaseFree(r"related|read-?also|readalso|similar|more-?from|also-?read|see-?also|mawad")
_UNRELATED_CLASS = CaseFree(r"popular|most|trend|ticker|breaking|sponsor|taboola|outbrain|trc_|promoted|"
                            r"\bads?\b|advert|latest|newest|footer|header|menu|nav")
_SOCIAL = CaseFree(r"facebook\.|twitter\.|x\.com|whatsapp|t\.me|telegram|linkedin|instagram|youtube|"
                   r"mailto:|javascript:|google\.com")
_HEADING_TAGS = ("h2", "h3", "h4", "h5", "div", "span", "p", "strong", "b", "header", "li")


def _heading_kind(text: str) -> str | None:
    """'related' or 'unrelated' when a short text is a list heading, else None."""
    folded = normalize_arabic(text)
    if not folded or len(folded.split()) > 5:
        return None
    for phrase in bp.UNRELATED_HEADINGS:
        if folded == phrase or folded.startswith(phrase + " "):
            return "unrelated"
    for phrase in bp.RELATED_HEADINGS:
        if folded == phrase or folded.startswith(phrase + " "):
            return "related"
    return None


# Each related heading's first word once folded: a text whose first word is any other is no such heading,
# which spares reading and folding every short text of the page (most of this pass's time).
_HEADING_FIRST_WORDS = frozenset(phrase.split()[0] for phrase in bp.RELATED_HEADINGS)


def _may_be_related_heading(text: str) -> bool:
    words = text.split(None, 1)
    if not words:
        return False
    first = normalize_arabic(words[0]).split()  # short: folded from the cache
    return not first or first[0] in _HEADING_FIRST_WORDS  # punctuation first («• اقرأ أيضاً»): the whole decides


def _sections(root: HtmlElement, classes: ClassIndex) -> list[HtmlElement]:
    """Containers of related lists: found by their heading's wording or by a related-like class."""
    found: list[HtmlElement] = []
    for element in root.iter(*_HEADING_TAGS):
        if len(element) > 3:
            continue
        if len(element):
            lead = element.text
            # the text starts here: its first word, when whole (a space follows it), already says it is no
            # heading, before the children's text is read
            if lead and not lead.isspace() and (len(lead.split(None, 1)) > 1 or lead[-1].isspace()) \
                    and not _may_be_related_heading(lead):
                continue
            own = element.text_content()
        else:
            own = element.text or ""  # a leaf's text is all of it: one check below
        if not 4 <= len(own) <= 80 or not _may_be_related_heading(own):
            continue  # headings are short; skipping long texts early keeps this pass cheap
        if _heading_kind(" ".join(own.split())) == "related":
            container = element.getparent()
            # Climb until the container holds links besides the heading itself.
            for _ in range(3):
                if container is None or len(container.xpath(".//a[@href]")) >= 1 + len(element.xpath(".//a")):
                    break
                container = container.getparent()
            if container is not None and not _UNRELATED_CLASS.search(_names(container)):
                found.append(container)
    for element, names in classes.by_class(_RELATED_CLASS):
        if not _UNRELATED_CLASS.search(names) and not any(f is element or element in f.iterancestors()
                                                          for f in found):
            found.append(element)
    return found


def _names(element: HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _inside_unrelated(element: HtmlElement, stop: HtmlElement) -> bool:
    """A link inside a most-read, ticker or sponsored block nested in a related section."""
    for ancestor in element.iterancestors():
        if ancestor is stop:
            return False
        if _UNRELATED_CLASS.search(_names(ancestor)):
            return True
    return False


def collect_related(root: HtmlElement, page_url: str, inline: Iterable[tuple[str, str]],
                    classes: ClassIndex | None = None) -> list[RelatedLink]:
    """Inline read-also links first, then the related sections' links; merged, the page itself left out."""
    candidates: list[tuple[str, str]] = list(inline)
    for section in _sections(root, classes or ClassIndex(root)):
        for link in section.iter("a"):
            title = " ".join(link.text_content().split()) or (link.get("title") or "").strip()
            if link.get("href") and not _inside_unrelated(link, section):
                candidates.append((title, link.get("href")))
    return merge_related(candidates, page_url)


def merge_related(candidates: Iterable[tuple[str, str]], page_url: str) -> list[RelatedLink]:
    """De-duplicate by canonical URL and by near-identical title, as the duplicate index decides for titles alone.

    One rule for a related entry here and a title-only item in the index, so «… المحتجزين» and «… المحتجزين
    فوراً» are one entry in both places, and «الرحلة الرابعة» / «الرحلة السادسة» two in both.
    """
    page = canonicalize_url(page_url)
    owner = site_of(page_url)
    kept: list[tuple[Fingerprint, RelatedLink]] = []
    urls: set[str] = set()
    for title, href in candidates:
        if not href or _SOCIAL.search(href) or href.startswith("#"):
            continue
        if len(normalize_arabic(title).split()) < 3:
            continue  # «المزيد», a bare date: no title to show (tested first: canonical URLs are costly)
        url = http_url(href, page_url)  # javascript:, data:, file: and mangled hrefs are no link to keep
        if url is None or url == page or url in urls:
            continue
        if owner and site_of(url) != owner:
            continue  # links to other sites in a related box are ads (a suffix match let «evilexample.com» in)
        fp = fingerprint_text(title)
        # every pair, not only those sharing an index key: a page's list is short
        if any(compare(fp, other).duplicate for other, _ in kept):
            continue
        urls.add(url)
        kept.append((fp, RelatedLink(title=" ".join(title.split()), url=url)))
    return [link for _, link in kept]
