"""Boilerplate as data: Arabic phrases and CSS class/id words that mark what is not the article."""

from __future__ import annotations

from workers.core.arabic import normalize_arabic
from workers.core.extract.casefree import CaseFree


def _phrases(*items: str) -> tuple[str, ...]:
    """Phrases folded with normalize_arabic, so «إقرأ أيضاً» and «اقرا ايضا» are one entry."""
    return tuple(normalize_arabic(item) for item in items)


# A block starting with one of these is a pointer to other articles, not article text.
READ_ALSO = _phrases("اقرأ أيضا", "إقرأ أيضاً", "اقرأ ايضا", "إقرأ", "اقرأ", "اقرأ المزيد", "شاهد أيضا", "شاهد ايضا",
                     "شاهد", "طالع أيضا", "طالع", "انظر أيضا", "انظر ايضا", "يهمك أيضا", "قد يهمك", "اقرأ كذلك",
                     "للمزيد", "المزيد", "read also", "read more", "see also", "شاهد الفيديو", "شاهد بالفيديو")
# Headings of link lists that are related to this article (kept as `related`).
RELATED_HEADINGS = _phrases("مقالات مشابهة", "مقالات ذات صلة", "أخبار ذات صلة", "ذات صلة", "مواضيع ذات علاقة",
                            "موضوعات ذات صلة", "أخبار متعلقة", "مواضيع متعلقة", "اخبار مشابهة", "مقالات متعلقة",
                            "انظر أيضا", "اقرأ أيضا", "إقرأ أيضاً", "شاهد أيضا", "قد يهمك", "يهمك أيضا",
                            "related", "related articles", "related news", "read also")
# Last words of a short heading that make it a related list whatever it lists («فيديوهات ذات صلة»).
RELATED_TAILS = _phrases("ذات صلة", "ذات علاقة", "متعلقة", "مشابهة", "أخرى")
# Headings of link lists that are NOT related: popularity lists, tickers, sponsored blocks.
UNRELATED_HEADINGS = _phrases("الأكثر قراءة", "الأكثر مشاهدة", "الأكثر تداولا", "الأكثر تعليقا", "الأكثر شعبية",
                              "الأكثر قراءه", "الأحدث", "آخر الأخبار", "أحدث الأخبار", "عاجل", "شريط الأخبار",
                              "أخبار عاجلة", "محتوى مدفوع", "إعلان", "برعاية", "most read", "popular", "sponsored",
                              "trending", "latest news")
# An advertisement's label left in the text flow once its ad is gone («- إعلان -»): not a list heading, the
# article goes on after it.
AD_LABELS = _phrases("إعلان", "اعلان", "إعلانات", "مساحة إعلانية", "advertisement", "ad", "ads", "sponsored")
# Labels of keyword lists (the text after them is tags).
TAG_LABELS = _phrases("كلمات دلالية", "الكلمات الدالة", "كلمات مفتاحية", "الكلمات المفتاحية", "الوسوم", "وسوم",
                      "تاجز", "تاغز", "الكلمات الدلالية", "العلامات", "مواضيع", "tags", "keywords")
# Follow and subscribe promos.
PROMO = _phrases("تابعونا", "تابعوا", "تابع", "تابعنا", "اشترك", "اشتركوا", "للاشتراك", "للإشتراك", "حمل تطبيق",
                 "حملوا تطبيق", "انضم", "انضموا", "لمتابعة", "ليصلك", "سجل", "follow us", "subscribe")
# Comment sections and comment policies.
COMMENTS = _phrases("التعليقات", "تعليقات", "أضف تعليق", "أضف تعليقك", "إضافة تعليق", "اكتب تعليق", "ترحب شبكة",
                    "الآراء الواردة", "سوف يتم مراجعة تعليقك", "شروط التعليق", "سياسة التعليقات", "أرسل تعليق",
                    "لا توجد تعليقات", "comments", "leave a comment", "شارك برأيك")
# Share bars: a short block made only of these words.
SHARE_WORDS = frozenset(normalize_arabic(w) for w in (
    "شارك", "شاركها", "مشاركة", "المشاركة", "طباعة", "نسخ", "الرابط", "فيسبوك", "فيس", "بوك", "تويتر", "واتساب",
    "واتس", "آب", "تيليجرام", "تلغرام", "لينكدين", "لينكد", "إن", "البريد", "الإلكتروني", "ايميل", "ماسنجر",
    "facebook", "twitter", "whatsapp", "telegram", "linkedin", "email", "print", "share", "copy", "link", "x",
    "pinterest", "reddit", "messenger", "على", "عبر", "شارك الخبر", "حجم", "الخط", "تكبير", "تصغير",
    "التالي", "السابق", "الخبر", "الموضوع", "min", "دقيقة", "دقائق", "للقراءة", "قراءة", "وقت"))
# Page lists of an article split over pages: a short block made only of these words and numbers.
PAGER_WORDS = frozenset(normalize_arabic(w) for w in (
    "الصفحات", "الصفحة", "صفحة", "صفحات", "التالي", "التالية", "السابق", "السابقة", "الأولى", "الأخيرة", "من",
    "next", "previous", "prev", "page", "pages", "of", "«", "»", "‹", "›", "<", ">", "|"))
# Words that open a writer's bio line under a column («* كاتب وأكاديمي …», «(*) باحثة في …»).
WRITER_WORDS = frozenset(normalize_arabic(w) for w in (
    "كاتب", "كاتبة", "باحث", "باحثة", "أكاديمي", "أكاديمية", "أستاذ", "أستاذة", "صحفي", "صحفية", "صحافي", "صحافية",
    "محلل", "محللة", "خبير", "خبيرة", "مستشار", "مستشارة", "روائي", "روائية", "شاعر", "شاعرة", "دبلوماسي",
    "سفير", "وزير", "نائب", "رئيس", "مدير", "مديرة", "إعلامي", "إعلامية", "ناشط", "ناشطة", "طبيب", "محامي",
    "محام", "أديب", "مفكر", "اقتصادي", "عميد", "د", "دكتور", "الكاتب", "الكاتبة"))
# Bylines: the verb or label before an author's name.
BYLINE_VERBS = ("كتب", "كتبت", "بقلم", "إعداد", "اعداد", "حوار", "تقرير", "تحرير", "كتبه", "كتبها", "بواسطة",
                "المحرر", "تصوير", "ترجمة", "by")
# Photo credits and captions written as text.
CREDIT = _phrases("تصوير", "صورة", "صور", "الصورة", "أرشيفية", "صورة أرشيفية", "مصدر الصورة", "photo", "credit",
                  "getty", "رويترز", "أ ف ب", "فيديو")
# The attribution label whose text is original_source.
SOURCE_LABELS = _phrases("المصدر", "مصدر الخبر", "source")
# News agencies whose bracketed name after a story is its attribution.
AGENCIES = ("بترا", "وام", "واس", "قنا", "كونا", "بنا", "سانا", "أ ش أ", "أ.ش.أ", "وكالات", "رويترز", "أ ف ب",
            "أ.ف.ب", "فرانس برس", "د ب أ", "د.ب.أ", "الأناضول", "سبوتنيك", "RT", "AFP", "Reuters", "AP",
            "وفا", "معا", "قنا", "العمانية", "الألمانية", "شينخوا", "كونا", "واج", "ماب", "تاب", "وكالة الأنباء")

# Class or id words of blocks that are never article text; matched as whole words of the attribute.
DROP_CLASS = CaseFree(
    r"(^|[\s_-])(share|sharing|social|socials|sharer|comment|comments|disqus|related|relatedposts|"
    r"read-?also|readmore|also|more-?news|tags?|tagcloud|keywords|caption|figcaption|credit|ads?|advert\w*|"
    r"adsbygoogle|banner|promo|sponsor\w*|outbrain|taboola|newsletter|subscribe|follow|breadcrumbs?|"
    r"(?<!elementor-)widget|sidebar|popular|most-?read|trending|ticker|breaking|embed|twitter-tweet|instagram-media|"
    r"tiktok-embed|fb-post|fb-like|copy|video-?player|player|jw-?player|author-?bio|bio|rating|"
    r"pagination|pager|page-?links|page-?numbers|nav|navbar|menu|footer|copyright|modal|popup|cookie|gallery-?caption|"
    r"wp-caption-text|inline-?related|related-?articles|jeg_share|jeg_ad|jnews_inline_related_post|"
    r"next-?prev|post-?nav|recommend\w*)($|[\s_-])")
# Class or id fragments unambiguous enough to match inside longer names («uplCaption», «prev_next»).
DROP_CLASS_ANY = CaseFree(r"caption|copyright|taboola|outbrain|advert|sponsor|newsletter|breadcrumb|prev_?next|"
                          r"prevnext|related|time_?to_?read|readtime|read-time|inject|social-?share|sharebar|"
                          r"share-?buttons|share-?icons|sharethis|addthis|comment-?form|disqus")
# Class or id words of containers that usually hold the article text.
GOOD_CLASS = CaseFree(r"article|body|content|entry|main|post|story|text|detail|news|blog|matn|nstext|"
                      r"artical|single|column|itemfulltext|prose")
BAD_CLASS = CaseFree(r"comment|related|sidebar|footer|header|share|social|widget|promo|menu|nav|most|popular|"
                     r"ticker|breaking|banner|sponsor|outbrain|taboola|caption|(?<![a-z])tags?(?![a-z])|ad-|ads|advert|aside|"
                     r"recommend|latest|more|list|teaser|card|thumb|slider|carousel|ticker")
# Elements that never carry article text.
DROP_TAGS = ("script", "style", "noscript", "iframe", "svg", "button", "input", "select", "textarea",
             "template", "object", "embed", "video", "audio", "canvas", "nav", "aside", "figcaption", "link",
             "meta", "head", "dialog",
             # AMP's embeds and widgets: their placeholder, fallback and «overflow» children are UI, not text
             "amp-iframe", "amp-ad", "amp-embed", "amp-sticky-ad", "amp-twitter", "amp-instagram", "amp-facebook",
             "amp-youtube", "amp-video", "amp-social-share", "amp-analytics", "amp-consent", "amp-user-notification")


def starts_with_phrase(text: str, phrases: tuple[str, ...]) -> str | None:
    """The phrase a (normalised) text starts with as whole words, or None."""
    for phrase in phrases:
        if text == phrase or text.startswith(phrase + " "):
            return phrase
    return None
