"""Class rules of issue 12 on pages they must leave alone, and their edge forms: live coverage, flat pages,
<br>-only text and the bare «اقرأ أيضاً:» label."""

from __future__ import annotations

from datetime import datetime

from workers.core.extract import extract_article

FETCHED = datetime.fromisoformat("2026-04-12T18:00:00+00:00")
P = ["أعلنت وزارة الزراعة اليوم عن خطة لدعم صغار المزارعين في المناطق الجبلية، تشمل توزيع بذور محسنة وأسمدة بأسعار "
     "مخفضة.",
     "وقال المتحدث باسم الوزارة إن الخطة تستهدف نحو خمسة آلاف مزارع، وإن التسجيل يبدأ الأسبوع المقبل عبر المديريات.",
     "وأضاف أن الوزارة ستتابع تنفيذ الخطة ميدانياً، وستنشر تقريراً عن نتائجها في نهاية الموسم الزراعي الحالي.",
     "ورحب اتحاد المزارعين بالقرار، مطالباً بتوسيع الدعم ليشمل تكاليف الري والنقل إلى الأسواق المركزية."]


def _page(body: str, title: str = "وزارة الزراعة تطلق خطة لدعم صغار المزارعين") -> bytes:
    return (f'<html lang="ar"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:title" content="{title}">'
            f'<meta property="article:published_time" content="2026-04-12T10:00:00+03:00"></head>'
            f"<body>{body}</body></html>").encode()


def test_a_live_menu_link_and_a_timed_headline_list_do_not_make_an_article_live() -> None:
    sidebar = "".join(f'<li><time datetime="2026-04-12T0{i}:00:00+03:00">0{i}:00</time> <a href="/n/{i}">'
                      f"عنوان خبر آخر في القائمة الجانبية رقم {i} عن أحداث اليوم في المدينة</a></li>"
                      for i in range(1, 6))
    html = _page('<div class="menu"><span>بث مباشر</span></div><h1>وزارة الزراعة تطلق خطة لدعم صغار المزارعين</h1>'
                 f'<div class="article-body">{"".join(f"<p>{p}</p>" for p in P)}</div>'
                 f'<div class="latest"><h3>آخر الأخبار</h3><ul>{sidebar}</ul></div>')
    article = extract_article(html, "https://zira3a.example/n/77", fetched_at=FETCHED)
    assert article.body == "\n\n".join(P)
    assert article.updated_at is None


def test_live_clock_headings_in_arabic_indic_digits_with_pm() -> None:
    clocks = ("١:٠٥ م", "٢:٣٠ م", "٤:١٥ م")
    updates = "".join(f"<h4>{clock}</h4><p>{p}</p>" for clock, p in zip(clocks, P[1:], strict=True))
    html = _page(f'<h1>تغطية مباشرة: خطة دعم المزارعين</h1><div class="story"><p>{P[0]}</p>{updates}</div>',
                 title="تغطية مباشرة: خطة دعم المزارعين")
    article = extract_article(html, "https://zira3a.example/live/5", fetched_at=FETCHED)
    assert article.body == "\n\n".join(P)
    assert article.updated_at == datetime.fromisoformat("2026-04-12T16:15:00+03:00")


def test_an_article_box_holding_the_headline_keeps_a_closing_list() -> None:
    items = "<ul><li>توزيع البذور المحسنة</li><li>خفض أسعار الأسمدة</li><li>إرشاد زراعي مجاني</li></ul>"
    html = _page(f'<article class="post"><h1>وزارة الزراعة تطلق خطة لدعم صغار المزارعين</h1>'
                 f'{"".join(f"<p>{p}</p>" for p in P)}{items}</article>')
    article = extract_article(html, "https://zira3a.example/n/78", fetched_at=FETCHED)
    assert article.body.endswith("توزيع البذور المحسنة\n\nخفض أسعار الأسمدة\n\nإرشاد زراعي مجاني")


def test_a_bare_read_also_label_with_a_link_does_not_end_the_article() -> None:
    html = _page('<h1>وزارة الزراعة تطلق خطة لدعم صغار المزارعين</h1><div class="article-body">'
                 f"<p>{P[0]}</p><p>{P[1]}</p><p><strong>اقرأ أيضاً:</strong></p>"
                 '<p><a href="/n/70">ارتفاع أسعار الخضار في الأسواق المركزية</a></p>'
                 f"<p>{P[2]}</p><p>{P[3]}</p></div>")
    article = extract_article(html, "https://zira3a.example/n/79", fetched_at=FETCHED)
    assert article.body == "\n\n".join(P)
    assert any(link.url.endswith("/n/70") for link in article.related)


def test_single_br_between_sentences_and_double_br_split_paragraphs() -> None:
    text = f"{P[0]}<br><br>{P[1]}<br>{P[2]}<br><br>{P[3]}"
    html = _page(f'<h1>وزارة الزراعة تطلق خطة لدعم صغار المزارعين</h1><div class="news-text">{text}</div>')
    article = extract_article(html, "https://zira3a.example/n/80", fetched_at=FETCHED)
    assert article.body.split("\n\n") == P


def test_live_paragraphs_opening_with_a_bold_time_keep_the_intro_beside_them() -> None:
    updates = "".join(f"<p><strong>{clock}</strong> - {p}</p>"
                      for clock, p in zip(("10:05", "11:30", "12:45"), P[1:], strict=True))
    html = _page(f'<h1>لحظة بلحظة: خطة دعم المزارعين</h1><div class="entry"><p>{P[0]}</p>{updates}</div>',
                 title="لحظة بلحظة: خطة دعم المزارعين")
    article = extract_article(html, "https://zira3a.example/live/6", fetched_at=FETCHED)
    assert article.body == "\n\n".join(P)
    assert article.updated_at == datetime.fromisoformat("2026-04-12T12:45:00+03:00")


def test_a_flat_page_dateline_printed_under_the_text_keeps_its_time() -> None:
    html = (f'<html lang="ar"><head><meta charset="utf-8"><title>خطة لدعم المزارعين</title></head><body>'
            f'<div><a href="/">الرئيسية</a> | <a href="/agri">زراعة</a> | <a href="/eco">اقتصاد</a></div>'
            f'<h1>خطة لدعم المزارعين</h1>{"".join(f"<p>{p}</p>" for p in P)}'
            f"<div>تاريخ النشر: 12/04/2026 - 09:20 م</div>"
            f'<div>جميع الحقوق محفوظة 2026 <a href="/about">من نحن</a></div></body></html>').encode()
    article = extract_article(html, "https://zira3a.example/n/81", fetched_at=FETCHED, timezone="Asia/Amman")
    assert article.body == "\n\n".join(P)
    assert article.published_at == datetime.fromisoformat("2026-04-12T21:20:00+03:00")


def test_live_updates_labelled_with_elapsed_times() -> None:
    labels = ("منذ 3 ساعات", "منذ ساعتين", "منذ 20 دقيقة")
    items = "".join(f'<div class="update"><span class="ago">{label}</span><p>{p}</p></div>'
                    for label, p in zip(labels, P[1:], strict=True))
    html = _page(f'<h1>أولاً بأول: خطة دعم المزارعين</h1><div class="intro"><p>{P[0]}</p></div>'
                 f'<div class="updates">{items}</div>', title="أولاً بأول: خطة دعم المزارعين")
    article = extract_article(html, "https://zira3a.example/live/7", fetched_at=FETCHED)
    assert article.body == "\n\n".join(P)
    assert article.updated_at == datetime.fromisoformat("2026-04-12T17:40:00+00:00")


def test_a_read_also_heading_then_one_linked_headline_and_prose_is_an_embedded_article() -> None:
    second = "سجلت أسعار الذهب في السوق المحلية مستوى قياسياً جديداً اليوم، مدفوعة بارتفاع الأسعار العالمية."
    html = _page('<h1>وزارة الزراعة تطلق خطة لدعم صغار المزارعين</h1><div class="article-body">'
                 f'{"".join(f"<p>{p}</p>" for p in P)}<h3>اقرأ أيضاً</h3>'
                 f'<h2><a href="/n/71">أسعار الذهب تسجل مستوى قياسياً جديداً</a></h2><p>{second}</p></div>')
    article = extract_article(html, "https://zira3a.example/n/82", fetched_at=FETCHED)
    assert article.body == "\n\n".join(P)


def test_live_bare_time_labels_between_the_paragraphs() -> None:
    clocks = ("09:10", "10:25", "11:40")
    updates = "".join(f'<span class="t">{clock}</span><p>{p}</p>' for clock, p in zip(clocks, P[1:], strict=True))
    html = _page(f'<h1>تغطية مباشرة: خطة دعم المزارعين</h1><div class="feed"><p>{P[0]}</p>{updates}</div>',
                 title="تغطية مباشرة: خطة دعم المزارعين")
    article = extract_article(html, "https://zira3a.example/live/8", fetched_at=FETCHED)
    assert article.body == "\n\n".join(P)
    assert article.updated_at == datetime.fromisoformat("2026-04-12T11:40:00+03:00")
