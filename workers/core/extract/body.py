"""Turn the article container's blocks into body paragraphs, peeling off boilerplate by Arabic wording
and collecting what it reveals: attribution, bylines, read-also links, tags, date lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from workers.core.arabic import normalize_arabic
from workers.core.extract import boilerplate as bp
from workers.core.extract.blocks import HEADING_TAGS, Block
from workers.core.extract.dates import parse_human, relative_line

_AGENCY = "|".join(re.escape(a) for a in sorted(bp.AGENCIES, key=len, reverse=True))
_AGENCY_LINE = re.compile(rf"^[\s\-–—.]*\(?\s*({_AGENCY})\s*\)?[\s.]*$", re.I)
_AGENCY_TAIL = re.compile(rf"\s*[-–—]*\s*\(\s*({_AGENCY})\s*\)[\s.]*$", re.I)
_WAKALAT_TAIL = re.compile(r"\s+[-–—]\s*(وكالات)[\s.]*$")
# A wire dateline opening the lead: «عمان 16 تشرين الثاني (بترا) - …», «القاهرة (أ ش أ) – …».
_AGENCY_HEAD = re.compile(rf"^\s*[^\s()\d][^()]{{0,50}}?\(\s*({_AGENCY})\s*\)\s*[-–—:]+\s*", re.I)
_CAPTION_TAIL = re.compile(r"\((?:[^()]{0,25}(?:تصوير|رويترز|أ ف ب|ا ف ب|AFP|Reuters|Getty|AP|أرشيفية|"
                           r"ارشيفية|الصورة|صورة)[^()]{0,25})\)\s*$", re.I)
_LETTER = re.compile(r"\w")
_VERBS = "|".join(sorted(bp.BYLINE_VERBS, key=len, reverse=True))  # longest first: «كتبت» before «كتب»
_BYLINE = re.compile(r"^(?:" + _VERBS + r")\s*[:：\-–—]?\s*(.+)$", re.I)
_SENTENCE_END = re.compile(r"[.!?؟…»\"”]\s*$")
_AUTHOR_NOTE = re.compile(r"^\s*(?:\(\s*\*\s*\)|\*+)\s*")
_APP_WORD = re.compile(r"(?<!\w)(?:ال)?تطبيق(?:نا|ات)?(?!\w)")


@dataclass(slots=True)
class BodyResult:
    """Body paragraphs and the side findings made while cleaning them."""

    paragraphs: list[str] = field(default_factory=list)
    attribution: str | None = None
    bylines: list[str] = field(default_factory=list)
    read_also: list[tuple[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    date_lines: list[str] = field(default_factory=list)


# Over the C90 limit on purpose: one pass whose rules apply in order of precedence, with the state a label
# leaves for the next block; split up, that order would be spread over functions. tests/core golden pages hold it.
def clean_blocks(blocks: list[Block], *, title: str = "", subtitle: str = "",  # noqa: C901
                 fetched_at: datetime) -> BodyResult:
    """Keep article paragraphs in order; stop at the end-of-article furniture and any embedded second article."""
    result = BodyResult()
    skip_texts = {normalize_arabic(t) for t in (title, subtitle) if t}
    closing = False  # after المصدر/tags at the end: nothing more is this article's prose
    after_label = False  # after a standalone read-also or related heading
    links_after_label = 0
    read_also_label = False  # after a bare «اقرأ أيضاً:» label
    source_label = False
    chars = 0
    for block in blocks:
        text = block.text
        folded = normalize_arabic(text)
        if not folded or not _LETTER.search(text):
            continue
        has_body = chars >= 150
        words = folded.split()
        link_heavy = block.link_density > 0.6
        if after_label:
            if link_heavy or (block.links and len(words) <= 20 and block.tag != "p"):
                result.read_also.extend(block.links)
                links_after_label += 1
                continue
            after_label = False
            # One headline then prose is an embedded article (the seed page); a list of links was a widget.
            if has_body and links_after_label <= 1:
                break
        if read_also_label:
            read_also_label = False
            # A headline under the label after this article's text — in a heading tag, or unlinked — starts
            # an embedded second article; a linked line in a paragraph is a read-also teaser.
            if has_body and (block.tag in HEADING_TAGS or (
                    not block.links and len(words) <= 15 and not _SENTENCE_END.search(text))):
                result.read_also.extend(block.links)
                break
            if link_heavy:
                result.read_also.extend(block.links)
                continue
        if source_label:
            source_label = False
            if len(words) <= 8:
                result.attribution = result.attribution or text.strip()
                continue
        phrase = bp.starts_with_phrase(folded, bp.READ_ALSO) if len(words) <= 3 and not block.links else None
        if phrase and len(phrase.split()) > 1:
            read_also_label = True  # the label alone; the next block says what follows it
            continue
        if folded in skip_texts or (len(words) <= 3 and text.rstrip().endswith(":")):
            continue  # the title again, or a bare label («التاريخ:») whose value is not prose
        phrase = bp.starts_with_phrase(folded, bp.SOURCE_LABELS)
        if phrase and len(words) <= 12 and (":" in text[:12] or len(words) <= 4):
            rest = text.split(":", 1)[1].strip() if ":" in text else ""
            if rest:
                result.attribution = result.attribution or rest
            else:
                source_label = True
            closing = closing or has_body
            continue
        if bp.starts_with_phrase(folded, bp.COMMENTS) and (len(words) <= 12 or has_body):
            if has_body:
                break
            continue
        phrase = bp.starts_with_phrase(folded, bp.TAG_LABELS)
        if phrase and _is_heading_of(folded.rstrip(" :"), bp.RELATED_HEADINGS, words):
            phrase = None  # «مواضيع ذات صلة» heads a related list, not a keyword list
        if phrase and (":" in text[:25] or len(words) <= 3 or block.links):
            tags = [t for t, _ in block.links] or re.split(r"[,،\s]{2,}|[,،]", text.split(":", 1)[-1])
            result.tags.extend(t.strip() for t in tags if t.strip() and normalize_arabic(t) != phrase)
            closing = closing or has_body
            continue
        if closing:
            continue
        if folded in bp.AD_LABELS:
            continue
        if _is_heading_of(folded, bp.RELATED_HEADINGS + bp.UNRELATED_HEADINGS, words):
            after_label, links_after_label = True, 0
            continue
        phrase = bp.starts_with_phrase(folded, bp.READ_ALSO)
        if phrase and _is_read_also(block, folded, phrase, words):
            if has_body and _announces_article(block, phrase, words):
                break  # «اقرأ أيضاً: عنوان» unlinked after this article's text: the next article follows
            result.read_also.extend(block.links)
            continue
        if _AGENCY_LINE.match(text) or (len(words) <= 2 and "وكالات" in folded):
            result.attribution = result.attribution or _AGENCY_LINE.sub(r"\1", text).strip() or text.strip()
            continue
        if _is_promo(folded, words, text) or _is_share_bar(words) or _is_pager(words) \
                or _is_credit(text, folded, words, block):
            continue
        if link_heavy and (block.tag in ("li", "p", "div", *HEADING_TAGS) and len(words) <= 25):
            continue  # a teaser link or a row of links inside the body
        byline = _byline(text, words, len(result.paragraphs))
        if byline:
            result.bylines.append(byline)
            continue
        if len(words) <= 20 and _is_date_line(text, words, fetched_at):
            result.date_lines.append(text)
            continue
        if not result.paragraphs:
            text = _strip_agency_head(text, result)
        text = _strip_agency_tail(text, result)
        if result.paragraphs and result.paragraphs[-1] == text:
            continue
        result.paragraphs.append(text)
        chars += len(text)
    if len(result.paragraphs) > 1 and _is_author_note(result.paragraphs[-1]):
        result.paragraphs.pop()  # «* كاتب وأكاديمي …» closing a column is the writer's bio, not the column
    return result


def _is_author_note(text: str) -> bool:
    """The asterisked line under an opinion column that says who the writer is («* كاتب صحفي أردني»)."""
    match = _AUTHOR_NOTE.match(text)
    if not match or len(text.split()) > 30:
        return False
    return any(w in bp.WRITER_WORDS for w in normalize_arabic(text[match.end():]).split()[:6])


def _is_heading_of(folded: str, phrases: tuple[str, ...], words: list[str]) -> bool:
    """A short block that is one of the list headings («مقالات مشابهة», «الأكثر قراءة»)."""
    if len(words) > 5:
        return False
    if any(folded == p or (folded.startswith(p + " ") and len(words) <= len(p.split()) + 1) for p in phrases):
        return True
    # «فيديوهات ذات صلة», «حوارات أخرى», «صور مشابهة»: a plural noun and a relating word close the heading
    return 2 <= len(words) <= 3 and folded.endswith(bp.RELATED_TAILS)


def _is_read_also(block: Block, folded: str, phrase: str, words: list[str]) -> bool:
    """«اقرأ أيضا: …» lines; bare verbs (شاهد, طالع) only when a colon or link shows they are labels."""
    explicit = len(phrase.split()) > 1 or phrase in ("read also", "read more")
    if explicit:
        return len(words) <= 40
    return len(words) <= 25 and (block.link_density > 0.4 or ":" in block.text[:len(phrase) + 3])


def _announces_article(block: Block, phrase: str, words: list[str]) -> bool:
    """The label and a headline in one unlinked line («اقرأ أيضاً: الحكومة تقر الموازنة»): the same sign as the
    label alone over an unlinked headline, where the page goes on with that other article's text."""
    headline = words[len(phrase.split()):]
    explicit = len(phrase.split()) > 1 or phrase in ("read also", "read more")
    return explicit and not block.links and 2 <= len(headline) <= 15 and not _SENTENCE_END.search(block.text)


def _is_promo(folded: str, words: list[str], text: str = "") -> bool:
    if len(words) > 30:
        return False
    if bp.starts_with_phrase(folded, bp.PROMO):
        return True
    if any(k in folded for k in ("جوجل نيوز", "غوغل نيوز", "google news", "قناتنا على")):
        return len(words) <= 20
    # «حمّل تطبيق…», «تابعونا على التطبيق»: the word itself, not «بتطبيق» in a sentence; prose (a comma
    # inside, a full stop at the end) that mentions an app is not a promotion
    return bool(_APP_WORD.search(folded)) and len(words) <= 20 and not ("،" in text and text.rstrip().endswith("."))


def _is_share_bar(words: list[str]) -> bool:
    return len(words) <= 12 and all(w in bp.SHARE_WORDS or w.isdigit() for w in words)


def _is_pager(words: list[str]) -> bool:
    """«الصفحات: 1 2 3 التالي», «الصفحة 1 من 3»: the page list of an article split over pages."""
    return len(words) <= 16 and any(w.isdigit() for w in words) and \
        all(w.strip(":.") in bp.PAGER_WORDS or w.isdigit() for w in words)


def _is_credit(text: str, folded: str, words: list[str], block: Block) -> bool:
    """Photo credits and captions that sit in the text flow."""
    if len(words) <= 8 and bp.starts_with_phrase(folded, bp.CREDIT) and not _SENTENCE_END.search(text):
        return True
    return len(words) <= 30 and bool(_CAPTION_TAIL.search(text))


def _byline(text: str, words: list[str], position: int) -> str | None:
    """The name in «كتب: فلان» / «بقلم فلان» near the top of the body; None for ordinary sentences."""
    match = _BYLINE.match(text.strip())
    if not match or len(words) > 8 or position > 2:
        return None
    name = match.group(1).strip(" :-–—")
    return name if 1 <= len(name.split()) <= 6 else None


_DATE_WORDS = frozenset(normalize_arabic(w) for w in (
    "نشر", "نشر في", "في", "بتاريخ", "تاريخ", "التاريخ", "النشر", "آخر", "اخر", "تحديث", "التحديث", "الساعة",
    "ص", "م", "صباحا", "مساء", "بتوقيت", "منذ", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس",
    "الجمعة", "السبت", "هـ", "ه", "الموافق", "منذ", "قبل", "ساعات", "ساعة", "ساعتين", "دقائق", "دقيقة",
    "يوم", "يومين", "أيام", "مكة", "المكرمة", "القاهرة", "الرياض", "بيروت", "دبي", "غرينتش", "جرينتش",
    "نُشر", "محدث", "updated", "published", "am", "pm", "gmt"))


def _is_date_line(text: str, words: list[str], fetched_at: datetime) -> bool:
    """A block that is only a date (and perhaps a time, weekday, «نشر في», «آخر تحديث», «بتوقيت مكة»)."""
    if _SENTENCE_END.search(text):
        return False
    if not any(ch.isdigit() for ch in text) and not relative_line(text):
        return False  # without a digit only a relative date alone («منذ ساعتين», «أمس») is a date line
    if parse_human(text, fetched_at, fallback=False) is None:
        return False
    from workers.core.extract.dates import HIJRI_MONTHS, MONTHS

    known = _DATE_WORDS | {w for name in (*MONTHS, *HIJRI_MONTHS) for w in name.split()}
    leftovers = [w for w in words if not w.isdigit() and w not in known]
    return len(leftovers) <= 2


def _strip_agency_head(text: str, result: BodyResult) -> str:
    """The dateline before the lead names the agency (attribution) and the place and day (not body text)."""
    match = _AGENCY_HEAD.match(text)
    if match and len(text) > match.end() + 40:
        result.attribution = result.attribution or match.group(1)
        result.date_lines.append(text[:match.end()].strip(" -–—:"))
        return text[match.end():]
    return text


def _strip_agency_tail(text: str, result: BodyResult) -> str:
    """«… (بترا)» / «… - وكالات» closing a paragraph is attribution, not text."""
    for pattern in (_AGENCY_TAIL, _WAKALAT_TAIL):
        match = pattern.search(text)
        if match and match.start() > 0:
            result.attribution = result.attribution or match.group(1)
            return text[:match.start()].rstrip()
    return text
