"""Server HTML with part of the article and the whole of it in the framework's JSON state (Next.js)."""

from __future__ import annotations

import json

from workers.core.extract import extract_article

SHOWN = ["أعلنت وزارة الزراعة، صباح اليوم، عن برنامج لدعم مزارعي القمح في المناطق الشمالية بقروض ميسرة وبذور محسنة "
         "تتحمل الجفاف، في خطوة تهدف إلى رفع الإنتاج المحلي خلال الموسم المقبل.",
         "وقال وزير الزراعة إن البرنامج يشمل نحو اثني عشر ألف مزارع، وإن التسجيل يبدأ الأسبوع المقبل عبر مديريات "
         "الزراعة في المحافظات."]
MORE = ["وأضاف أن الوزارة ستوفر مرشدين زراعيين لمتابعة الحقول، وتدريب المزارعين على أساليب الري الحديثة التي "
        "توفر المياه وتزيد الإنتاجية في الأراضي البعلية.",
        "ورحب اتحاد المزارعين بالبرنامج، مطالباً بتوسيعه ليشمل مزارعي الشعير والعدس في السنوات المقبلة."]
OTHER = ("تقرير آخر تماماً عن افتتاح معرض للكتاب في العاصمة بمشاركة مئات من دور النشر العربية والأجنبية، "
         "مع برنامج ثقافي يضم ندوات وأمسيات شعرية وتوقيعات لكتب جديدة على مدى عشرة أيام متتالية. ") * 3


def _page(state_body: str) -> bytes:
    data = {"props": {"pageProps": {"article": {"title": "برنامج لدعم مزارعي القمح", "body": state_body}}},
            "page": "/[slug]", "buildId": "x1"}
    shown = "".join(f"<p>{p}</p>" for p in SHOWN)
    return (f'<html lang="ar"><head><title>برنامج لدعم مزارعي القمح</title></head><body><div id="__next"><main>'
            f'<article><h1>برنامج لدعم مزارعي القمح</h1><div class="article-body">{shown}</div></article></main></div>'
            f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data, ensure_ascii=False)}</script>'
            f'</body></html>').encode()


def test_the_whole_article_in_the_state_completes_a_partial_page() -> None:
    body = "".join(f"<p>{p}</p>" for p in SHOWN + MORE)
    assert extract_article(_page(body), "https://example.com/a").body.split("\n\n") == SHOWN + MORE


def test_a_long_state_string_without_the_shown_paragraphs_is_not_taken() -> None:
    assert extract_article(_page(OTHER), "https://example.com/a").body.split("\n\n") == SHOWN
