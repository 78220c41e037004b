import pytest

from statements.models import Edition
from statements.richtext import html_to_text, sanitize_html
from tests.factories import EditionFactory

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src='https://evil.example'></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<p onclick="alert(1)">text</p>',
    '<p style="background:url(javascript:alert(1))">text</p>',
    "<style>body{display:none}</style>",
    "<object data='x.swf'></object>",
    "<embed src='x.swf'>",
    "<form action='https://evil.example'><input name=x></form>",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    "<body onload=alert(1)>",
    "<base href='https://evil.example/'>",
    "<meta http-equiv='refresh' content='0;url=https://evil.example'>",
    "<details open ontoggle=alert(1)>",
    "<!--<script>alert(1)</script>-->",
    '<a href="vbscript:msgbox(1)">x</a>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitiser_removes_every_script_vector(payload):
    cleaned = sanitize_html(f"<p>before</p>{payload}<p>after</p>").lower()

    for dangerous in (
        "<script",
        "javascript:",
        "vbscript:",
        "data:",
        "onerror",
        "onload",
        "onclick",
        "ontoggle",
        "<iframe",
        "<style",
        "<object",
        "<embed",
        "<form",
        "<base",
        "<meta",
        "<svg",
        "style=",
        "alert(1)</",
    ):
        assert dangerous not in cleaned, (payload, cleaned)
    assert "<p>before</p>" in cleaned and "<p>after</p>" in cleaned


def test_sanitiser_keeps_the_allowed_formatting():
    html = (
        "<h2>Heading</h2><h3>Sub</h3><h4>Subsub</h4><p><strong>bold</strong> <em>it</em><br>"
        "line</p><ul><li>a</li></ul><ol><li>b</li></ol><blockquote><p>q</p></blockquote>"
        '<p><a href="https://mfa.gov.az/en">site</a> '
        '<a href="mailto:press@example.org">mail</a></p>'
    )

    cleaned = sanitize_html(html)

    assert cleaned == html.replace(
        '<a href="https://mfa.gov.az/en">', '<a href="https://mfa.gov.az/en" rel="noopener">'
    ).replace(
        '<a href="mailto:press@example.org">', '<a href="mailto:press@example.org" rel="noopener">'
    )


def test_sanitiser_drops_disallowed_tags_but_keeps_their_text():
    assert sanitize_html("<h1>Title</h1><div><span>text</span></div>") == "Titletext"


@pytest.mark.django_db
def test_body_is_sanitised_on_every_save_not_only_in_forms():
    statement = EditionFactory(body='<p onclick="x()">Hi</p><script>alert(1)</script>')

    statement.refresh_from_db()
    assert statement.body == "<p>Hi</p>"
    assert Edition.objects.get(pk=statement.pk).body == "<p>Hi</p>"


def test_empty_paragraphs_count_as_an_empty_body():
    assert sanitize_html("<p></p><p> <br> </p>") == ""


def test_body_text_has_one_line_a_block():
    assert html_to_text("<p>One &amp; two</p><h2>Three</h2><ul><li>Four</li></ul>") == (
        "One & two\nThree\nFour"
    )
