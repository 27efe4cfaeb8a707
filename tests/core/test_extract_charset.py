"""Charset handling: header, BOM, <meta>, and detection for undeclared or mis-declared Arabic code pages."""

from __future__ import annotations

import codecs

import pytest

from workers.core.extract import decode_html, extract_article

# Invented text using only letters that ISO-8859-6 can hold (no guillemets, no Persian letters).
TEXT = ("قالت البلدية إن أعمال صيانة الطريق الساحلي ستنتهي قبل نهاية الشهر، وإن حركة المرور ستعود إلى طبيعتها "
        "بعد افتتاح الجسر الجديد الذي يربط الحي القديم بالميناء.")
SECOND = "وأضافت أن فرق العمل تواصل الليل بالنهار، وأن السكان مدعوون إلى استخدام الطرق البديلة حتى ذلك الحين."


def page(meta: str = "") -> str:
    return (f"<html><head>{meta}<title>صيانة الطريق الساحلي</title></head><body><h1>صيانة الطريق الساحلي</h1>"
            f"<div class='content'><p>{TEXT}</p><p>{SECOND}</p></div></body></html>")


@pytest.mark.parametrize("label, body, headers", [
    ("utf-8 declared", page('<meta charset="utf-8">').encode("utf-8"), None),
    ("utf-8 undeclared", page().encode("utf-8"), None),
    ("utf-8 BOM, meta says cp1256", codecs.BOM_UTF8 + page('<meta charset="windows-1256">').encode("utf-8"), None),
    ("cp1256 undeclared", page().encode("cp1256"), None),
    ("cp1256 declared in meta", page('<meta charset="windows-1256">').encode("cp1256"), None),
    ("cp1256 declared in header", page().encode("cp1256"), {"content-type": "text/html; charset=windows-1256"}),
    ("iso-8859-6 undeclared", page().encode("iso8859_6"), None),
    ("iso-8859-6 declared", page('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">')
     .encode("iso8859_6"), None),
    ("says utf-8, is cp1256", page('<meta charset="utf-8">').encode("cp1256"), None),
    ("header says utf-8, is cp1256", page().encode("cp1256"), {"content-type": "text/html; charset=utf-8"}),
    ("says latin-1, is cp1256", page('<meta charset="iso-8859-1">').encode("cp1256"), None),
    ("says cp1256, is utf-8", page('<meta charset="windows-1256">').encode("utf-8"), None),
    ("says cp1256, is iso-8859-6", page('<meta charset="windows-1256">').encode("iso8859_6"), None),
    ("utf-16 BOM", codecs.BOM_UTF16_LE + page().encode("utf-16-le"), None),
])
def test_decode_reads_what_the_bytes_are(label, body, headers):
    text = decode_html(body, headers)
    assert TEXT in text, label


def test_extract_from_undeclared_cp1256_page():
    article = extract_article(page().encode("cp1256"), "https://road.example.com/a")
    assert article.title == "صيانة الطريق الساحلي"
    assert article.body == f"{TEXT}\n\n{SECOND}"


def test_truncated_utf8_still_utf8():
    body = page('<meta charset="utf-8">').encode("utf-8")
    cut = body.replace("الجسر".encode(), "الجسر".encode()[:-1], 1)  # one broken multi-byte sequence
    assert "حركة المرور" in decode_html(cut)


def test_ascii_and_latin_pages_still_decode():
    assert decode_html(b"<html><body>plain</body></html>") == "<html><body>plain</body></html>"
    french = "<html><body><p>Le café est très célèbre à Paris, déjà réputé.</p></body></html>"
    assert "café" in decode_html(french.encode("cp1252"), {"content-type": "text/html; charset=windows-1252"})
