"""The one Markdown door: features render, hostile input never survives."""

import re
from html.parser import HTMLParser

import pytest

from lms import rendering
from lms.rendering import render_markdown, rewrite_link

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    '<img src="x" onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">x</a>',
    '<div onmouseover="alert(1)">hover</div>',
    "<svg><script>alert(1)</script></svg>",
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    "<style>body{display:none}</style>",
    '<p style="position:fixed;top:0">overlay</p>',
    "<!-- <script>alert(1)</script> -->",
    "<!--><script>alert(1)</script>-->",
    "<b>unclosed <i>tags <script>alert(1)",
    '<form action="https://evil.example"><input name="password"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<details open ontoggle=alert(1)>",
]
DANGEROUS_TAGS = {
    "script", "iframe", "object", "embed", "style", "svg", "math", "form", "input", "meta", "base",
    "link", "details", "frame", "frameset", "applet",
}  # fmt: skip
SAFE_URL = re.compile(r"^(https?:|mailto:|/|#|[\w./-]+$)", re.I)


class _Inspector(HTMLParser):
    """Collects what a browser would act on: tags, event handlers, styles, URLs."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in {"href", "src", "action", "xlink:href"} and not SAFE_URL.match(
                (value or "").strip()
            ):
                self.problems.append(f"url {value!r}")

    def handle_comment(self, data):
        self.problems.append("comment")


def assert_safe(html: str) -> None:
    """Fail when ``html`` holds anything a browser would run or that could restyle the page."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    assert inspector.problems == [], f"{inspector.problems} in {html}"


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markdown_is_sanitised(payload):
    assert_safe(str(render_markdown(f"Some text.\n\n{payload}\n\nMore text.").html))


def test_the_inspector_catches_what_it_should():
    for bad in ['<a href="javascript:x">', '<p onclick="x">', "<script>", '<p style="x">']:
        with pytest.raises(AssertionError):
            assert_safe(bad)


def test_callouts_tables_footnotes_and_toc():
    source = (
        "## First part\n\nText with a note.[^1]\n\n"
        '!!! case "Olena arrives"\n    She has two children.\n\n'
        '!!! key-point "Remember"\n    Help the client do it.\n\n'
        '!!! check "Check before teaching"\n    Child helpline 116 111.\n\n'
        "### Detail\n\n| does | does not |\n| --- | --- |\n| accompany | decide |\n\n"
        "[^1]: The note.\n"
    )
    rendered = render_markdown(source)
    html = str(rendered.html)
    assert '<div class="admonition case">' in html and "Olena arrives" in html
    assert '<div class="admonition key-point">' in html
    assert '<div class="admonition check">' in html and "116 111" in html
    assert "<table>" in html and "<td>accompany</td>" in html
    assert 'class="footnote"' in html and 'href="#fn:1"' in html
    assert [(h.level, h.anchor, h.title) for h in rendered.toc] == [
        (2, "first-part", "First part"),
        (3, "detail", "Detail"),
    ]
    assert "Olena arrives" in rendered.text and "<" not in rendered.text


def test_unknown_classes_are_dropped():
    html = str(render_markdown('!!! danger "X"\n    text\n').html)
    assert "danger" not in html


def test_lesson_links_become_lesson_addresses():
    base = "/courses/support-role/"
    assert rewrite_link("02-boundaries.md", base) == "/courses/support-role/boundaries"
    assert rewrite_link("02-boundaries.md#why", base) == "/courses/support-role/boundaries#why"
    assert (
        rewrite_link("../care-methodology/01-recovery.md", base)
        == "/courses/care-methodology/recovery"
    )
    assert rewrite_link("https://example.org/a.md", base) == "https://example.org/a.md"
    html = str(
        render_markdown("See [this](02-boundaries.md) and ![a](img/p.png)", base_url=base).html
    )
    assert 'href="/courses/support-role/boundaries"' in html
    assert 'src="/courses/support-role/media/img/p.png"' in html


def test_rendering_is_cached_by_content():
    source = "A paragraph that is rendered once: " + str(id(object()))
    before = rendering.render_count
    first = render_markdown(source)
    second = render_markdown(source)
    assert first is second and rendering.render_count == before + 1
    render_markdown(source + " changed")
    assert rendering.render_count == before + 2


def test_toc_and_search_text_are_not_escaped_twice():
    rendered = render_markdown("## Q&A\n\nWilken & den Hollander\n")
    assert rendered.toc[0].title == "Q&A"
    assert "Wilken & den Hollander" in rendered.text and "&amp;" not in rendered.text


def test_check_callouts_are_cut_out_of_what_trainees_read():
    source = (
        '## Before\n\nA [link](https://example.org "</div><p>") stays.\n\n'
        '!!! check "Check the law"\n    Section 27 of the Act.\n\n'
        '    !!! check "Inside"\n        The number 116 111.\n\n'
        '!!! case "A case"\n    Kept.\n\n'
        '!!! check "Heading inside"\n    ### A heading in a check\n\n'
        "## After\n\nThe end.\n"
    )
    rendered = render_markdown(source)
    staff, trainee = rendered.for_reader(staff=True), rendered.for_reader(staff=False)
    assert staff is rendered and str(staff.html).count('class="admonition check"') == 3
    html = str(trainee.html)
    assert "admonition check" not in html and "Section 27" not in html and "116 111" not in html
    assert '<div class="admonition case">' in html and "Kept." in html
    assert "stays." in html and "The end." in html and html.count("<div") == html.count("</div>")
    assert "Section 27" not in trainee.text and "The end" in trainee.text
    assert [h.anchor for h in trainee.toc] == ["before", "after"]
    assert "a-heading-in-a-check" in [h.anchor for h in staff.toc]
    assert "source_html" not in vars(trainee)  # cut when read, not kept as a second copy
    plain = render_markdown("No callout to check here.")
    assert plain.without_checks is None and plain.for_reader(staff=False) is plain
