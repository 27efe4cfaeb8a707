"""Body-cleaning rules found with the structure fixtures (issue 12), each on its own invented blocks."""

from __future__ import annotations

from datetime import UTC, datetime

from workers.core.extract.blocks import Block
from workers.core.extract.body import clean_blocks

FETCHED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

PROSE = ["أعلنت الهيئة العامة للنقل، صباح الاثنين، عن خطة لتوسيع شبكة الحافلات في العاصمة خلال العامين المقبلين، "
         "بما يشمل خطوطاً جديدة تربط الأحياء الطرفية بوسط المدينة.",
         "وقال المتحدث باسم الهيئة إن الخطة تتضمن شراء مئة وخمسين حافلة تعمل بالكهرباء، وإنشاء محطات انتظار مظللة "
         "ومكيفة على امتداد الخطوط الرئيسية.",
         "ويتوقع مسؤولون أن تخفف الخطة الازدحام المروري في ساعات الذروة، وأن تقلل الاعتماد على السيارات الخاصة "
         "في التنقل اليومي إلى العمل والجامعات."]


def _link(text: str, tag: str = "p") -> Block:
    return Block(text, tag, len(text), [(text, "/news/1")])


def test_an_ad_label_left_in_the_text_does_not_end_the_article() -> None:
    blocks = [Block(PROSE[0]), Block(PROSE[1]), Block("- إعلان -", "div"), Block(PROSE[2])]
    assert clean_blocks(blocks, fetched_at=FETCHED).paragraphs == PROSE


def test_a_related_heading_named_by_its_last_words_and_its_linked_card_titles_are_not_body() -> None:
    blocks = [Block(PROSE[0]), Block(PROSE[1]), Block("فيديوهات ذات صلة", "h2"),
              _link("ملخص مباراة نصف النهائي الأول في البطولة", "h3"), _link("تصريحات المدرب بعد الفوز", "h3")]
    assert clean_blocks(blocks, fetched_at=FETCHED).paragraphs == PROSE[:2]


def test_a_related_heading_starting_like_a_tag_label_is_not_the_keyword_list() -> None:
    blocks = [Block(PROSE[0]), Block(PROSE[1]), Block("مواضيع ذات صلة", "h4"), _link("خبر أول عن النقل", "li"),
              _link("خبر ثان عن الحافلات", "li"), Block(PROSE[2])]
    result = clean_blocks(blocks, fetched_at=FETCHED)
    assert result.paragraphs == PROSE and result.tags == []


def test_the_page_list_of_an_article_split_over_pages_is_not_body() -> None:
    for pager in ("الصفحات: 1 2 3 التالي", "الصفحة 1 من 3", "« السابق 1 2 3 التالي »"):
        blocks = [Block(PROSE[0]), Block(PROSE[1]), Block(pager, "div"), Block(PROSE[2])]
        assert clean_blocks(blocks, fetched_at=FETCHED).paragraphs == PROSE, pager


def test_prose_that_ends_in_a_relating_word_is_still_body() -> None:
    line = "وقد تكررت الأعطال مرات أخرى"
    blocks = [Block(PROSE[0]), Block(line), Block(PROSE[1])]
    assert clean_blocks(blocks, fetched_at=FETCHED).paragraphs == [PROSE[0], line, PROSE[1]]


def test_the_writers_bio_line_closing_a_column_is_not_body() -> None:
    for note in ("* كاتب وأكاديمي متخصص في الاقتصاد السياسي", "(*) باحثة في شؤون الطاقة"):
        blocks = [Block(PROSE[0]), Block(PROSE[1]), Block(note)]
        assert clean_blocks(blocks, fetched_at=FETCHED).paragraphs == PROSE[:2], note


def test_an_asterisked_line_that_names_no_writer_stays() -> None:
    note = "* الأرقام الواردة في التقرير تقديرية وقابلة للتعديل بعد صدور البيانات النهائية"
    blocks = [Block(PROSE[0]), Block(PROSE[1]), Block(note)]
    assert clean_blocks(blocks, fetched_at=FETCHED).paragraphs == [*PROSE[:2], note]


def test_a_box_of_one_photo_and_a_short_line_is_a_caption_and_a_long_paragraph_beside_a_photo_is_not() -> None:
    import lxml.html

    from workers.core.extract.blocks import is_photo_box

    caption = lxml.html.fragment_fromstring('<div><a href="/p.jpg"><img src="/p.jpg"></a><p>زوار في الساحة الكبرى '
                                            'خلال العرض الافتتاحي للمهرجان</p></div>')
    prose = lxml.html.fragment_fromstring(f'<div><img src="/p.jpg"><p>{PROSE[0]} {PROSE[1]}</p></div>')
    two = lxml.html.fragment_fromstring('<div><img src="/a.jpg"><img src="/b.jpg"><p>صورتان من الحفل</p></div>')
    assert is_photo_box(caption) and not is_photo_box(prose) and not is_photo_box(two)
