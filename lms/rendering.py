"""The one door for Markdown: every piece of Markdown in Tugi is rendered and sanitised here.

Lessons now; practice reflections, feedback and comments later. The source is rendered with
Python-Markdown and the HTML then goes through one explicit allow-list (nh3), so the sanitiser
can be swapped in this module alone. Rendered HTML is cached by a hash of its input.

The few words Markdown writes itself (a callout's title when the author gave none, a footnote's
back-link title) are rendered as placeholders and put in the reader's language each time the
HTML is read, so one cached rendering serves every language.
"""

import hashlib
import html as html_module
import importlib
import posixpath
import re
import sys
from collections import OrderedDict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from threading import Lock
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.admonition import AdmonitionProcessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from lms.i18n import N_
from lms.markdown_limits import MAX_BLOCK_LINES, ScanLimitExtension, longest_block


def _load_fenced_code_without_pygments() -> None:
    """Load Markdown's ``fenced_code`` as if Pygments were not installed.

    It imports ``codehilite``, which imports Pygments wherever it is installed (pytest brings it
    into a development environment) for highlighting Tugi never asks for: 3 MB of every worker.
    Pygments is hidden only while that module loads; anything else may import it as usual."""
    if "markdown.extensions.fenced_code" in sys.modules:
        return
    hidden = "pygments" not in sys.modules
    if hidden:
        sys.modules["pygments"] = None  # an import of it now raises ImportError
    try:
        importlib.import_module("markdown.extensions.fenced_code")
    finally:
        if hidden and sys.modules.get("pygments", False) is None:
            del sys.modules["pygments"]


_load_fenced_code_without_pygments()

#: The callout boxes lesson authors may use: ``!!! case "Title"``. ``check`` marks a fact (a law, a
#: phone number, an office) that a trainer checks against the current source before teaching.
CALLOUTS = ("case", "reflection", "key-point", "check")
#: a callout's title when its author gave none, in the reader's language
CALLOUT_TITLES = {
    "case": N_("Case"),
    "reflection": N_("Reflection"),
    "key-point": N_("Key point"),
    "check": N_("Check before teaching"),
}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"},
    "sup": {"id"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
}  # fmt: skip
ALLOWED_CLASSES = {
    "div": {"admonition", "footnote", *CALLOUTS},
    "p": {"admonition-title"},
    "a": {"footnote-ref", "footnote-backref", "headerlink"},
    "sup": set(),
}
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
    clean_content_tags={"script", "style"},
)

_LESSON_LINK = re.compile(r"^(?P<path>(?:\.\./[a-z0-9-]+/)?[^/#?]+)\.md(?P<fragment>#[\w-]*)?$")
_CACHE_SIZE = 2048


@dataclass(frozen=True)
class Heading:
    """A heading of the table of contents."""

    level: int
    anchor: str
    title: str


#: words Markdown writes itself stand in the cached HTML as ``\ue000kind:value\ue001``
#: (characters of Unicode's private use area, which no lesson or quiz text means to contain)
_GENERATED = re.compile("\ue000([a-z-]+):([^\ue000\ue001]*)\ue001")


def _generated(kind: str, value: str) -> str:
    return f"\ue000{kind}:{value}\ue001"


def _say(match: re.Match) -> str:
    """The words a placeholder stands for, in the reader's language, escaped for HTML."""
    from flask_babel import gettext

    kind, value = match.groups()
    if kind == "footnote-back":
        return str(escape(gettext("Back to footnote %(number)s in the text", number=value)))
    title = CALLOUT_TITLES.get(value)
    return str(escape(gettext(title) if title else value.capitalize()))


def localize_generated(text: str) -> str:
    """``text`` with the words Markdown wrote itself in the reader's language."""
    return _GENERATED.sub(_say, text) if "\ue000" in text else text


@dataclass
class Rendered:
    """Sanitised HTML with its table of contents and plain text (for search); both are read in
    the reader's language (``source_html`` and ``source_text`` hold the placeholders)."""

    source_html: str
    toc: list[Heading] = field(default_factory=list)
    #: None until ``text`` is first read (only search reads it), then made from the HTML
    source_text: str | None = None
    #: the same without its ``check`` callouts (they are for trainers), or None when it has none
    without_checks: "Rendered | None" = None

    @property
    def html(self) -> Markup:
        return Markup(localize_generated(self.source_html))

    @property
    def text(self) -> str:
        if self.source_text is None:
            self.source_text = _plain_text(self.source_html)
        return localize_generated(self.source_text)

    def for_reader(self, staff: bool) -> "Rendered":
        """What a reader sees: all of it for trainers and coordinators (``staff``), and for
        anybody else the text without the ``check`` callouts."""
        return self if staff or self.without_checks is None else self.without_checks


class _CheckCallouts(HTMLParser):
    """Finds where each ``check`` callout of sanitised HTML starts and ends (offsets).

    A real parser, not a pattern: an attribute may hold ``</div>``, and callouts may nest."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", html)]
        self.depth, self.start, self.spans = 0, 0, []
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag != "div":
            return
        if self.depth:
            self.depth += 1
        elif {"admonition", "check"} <= set((dict(attrs).get("class") or "").split()):
            self.depth, self.start = 1, self._offset()

    def handle_endtag(self, tag):
        if tag == "div" and self.depth:
            self.depth -= 1
            if not self.depth:
                self.spans.append((self.start, self._offset() + len("</div>")))


class _ChecksCut(Rendered):
    """A ``Rendered`` without its ``check`` callouts, cut out of the whole HTML each time it is
    read: kept as offsets, not as a second copy of the lesson (0.9 MB in every worker that had
    served every lesson); cutting costs a few microseconds."""

    def __init__(self, whole: Rendered, spans: list[tuple[int, int]]):
        self.whole, self.spans = whole, spans
        self.source_text, self.without_checks = None, None
        html = self.source_html
        self.toc = [heading for heading in whole.toc if f'id="{heading.anchor}"' in html]

    @property
    def source_html(self) -> str:
        html, kept, position = self.whole.source_html, [], 0
        for start, end in self.spans:
            kept.append(html[position:start])
            position = end
        return "".join(kept) + html[position:]


def _without_checks(rendered: Rendered) -> Rendered | None:
    """``rendered`` with every ``check`` callout cut out; None when it has none."""
    spans = _CheckCallouts(rendered.source_html).spans
    return _ChecksCut(rendered, spans) if spans else None


def lesson_slug(filename: str) -> str:
    """``02-boundaries-and-ethics`` -> ``boundaries-and-ethics`` (the order prefix is dropped)."""
    return re.sub(r"^\d+-", "", filename)


def rewrite_link(href: str, base_url: str) -> str:
    """Turn a relative link to a lesson's ``.md`` file into the lesson's address; else keep it."""
    match = _LESSON_LINK.match(href)
    if not match:
        return href
    folder, _, name = match["path"].rpartition("/")
    target = posixpath.normpath(posixpath.join(base_url, folder, lesson_slug(name)))
    return target + (match["fragment"] or "")


class _LinkRewriter(Treeprocessor):
    """Point lesson links at lesson pages and relative images at the course's media."""

    def __init__(self, md, base_url: str):
        super().__init__(md)
        self.base_url = base_url

    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            if href and not re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", href, re.I):
                link.set("href", rewrite_link(href, self.base_url))
        for image in root.iter("img"):
            src = image.get("src", "")
            if src and not re.match(r"^[a-z][a-z0-9+.-]*:|^/", src, re.I):
                image.set("src", posixpath.join(self.base_url, "media", src))


class _CalloutTitles(AdmonitionProcessor):
    """Admonitions whose author gave no title get a placeholder for one in the reader's
    language, instead of Python-Markdown's English class name ("Case")."""

    def get_class_and_title(self, match: re.Match) -> tuple[str, str | None]:
        klass, title = super().get_class_and_title(match)
        if match.group(2) is None:
            title = _generated("callout", klass.split(" ", 1)[0])
        return klass, title


class _CalloutExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        md.parser.blockprocessors.register(_CalloutTitles(md.parser), "admonition", 105)


class _LinkExtension(Extension):
    def __init__(self, base_url: str):
        super().__init__()
        self.base_url = base_url

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_LinkRewriter(md, self.base_url), "tugi_links", 5)


def _flatten_toc(tokens, into: list[Heading]) -> list[Heading]:
    for token in tokens:
        if token["level"] >= 2:
            title = html_module.unescape(nh3.clean(token["name"], tags=set()))
            into.append(Heading(token["level"], token["id"], title))
        _flatten_toc(token["children"], into)
    return into


def _render(source: str, base_url: str | None) -> Rendered:
    extensions = [
        "tables",
        "footnotes",
        _CalloutExtension(),
        "sane_lists",
        "fenced_code",
        "toc",
        ScanLimitExtension(),
    ]
    if base_url:
        extensions.append(_LinkExtension(base_url))
    md = markdown.Markdown(
        extensions=extensions,
        extension_configs={
            "toc": {"permalink": False, "toc_depth": "2-3"},
            "footnotes": {"BACKLINK_TITLE": _generated("footnote-back", "{}")},
        },
        output_format="html",
    )
    if longest_block(source) > MAX_BLOCK_LINES:
        return _as_typed(source)
    try:
        html = _cleaner.clean(md.convert(source))
    except RecursionError:
        # Thousands of nested lists or quotes: show the text as typed rather than fail the page.
        return _as_typed(source)
    rendered = Rendered(html, _flatten_toc(md.toc_tokens, []))
    rendered.without_checks = _without_checks(rendered)
    return rendered


def _plain_text(html: str) -> str:
    """The words of sanitised HTML, for search."""
    return re.sub(r"\s+", " ", html_module.unescape(nh3.clean(html, tags=set()))).strip()


def _as_typed(source: str) -> Rendered:
    """The source escaped, paragraph by paragraph, for text Markdown cannot nest that deep."""
    paragraphs = [part for part in re.split(r"\n\s*\n", source) if part.strip()]
    html = "".join(
        "<p>" + "<br>".join(html_module.escape(line) for line in part.split("\n")) + "</p>"
        for part in paragraphs
    )
    # as typed: a placeholder character in the source is the author's, and is not replaced
    html = html.replace("\ue000", "&#xe000;")
    return Rendered(html, [], re.sub(r"\s+", " ", source).strip().replace("\ue000", ""))


_cache: OrderedDict[str, Rendered] = OrderedDict()
_cache_lock = Lock()
render_count = 0  # how many times Markdown was actually rendered (tests read it)


def render_markdown(source: str, *, base_url: str | None = None) -> Rendered:
    """Render Markdown to sanitised HTML, cached by a hash of the source and the link base."""
    global render_count
    key = hashlib.sha256(f"{base_url}\0{source}".encode()).hexdigest()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    rendered = _render(source, base_url)
    with _cache_lock:
        render_count += 1
        _cache[key] = rendered
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return rendered


def render_text(text: str, text_format: str = "markdown", *, inline: bool = False) -> Markup:
    """Quiz text in one of GIFT's formats, sanitised like everything else.

    ``markdown`` goes through Markdown; ``html`` and ``moodle`` (Moodle's "auto-format": HTML
    allowed, line breaks kept) through the allow-list; ``plain`` is escaped. ``inline`` drops
    the paragraph around a one-paragraph result, for answers shown beside a radio button.
    """
    if text_format == "plain":
        return Markup("<br>".join(html_module.escape(line) for line in text.split("\n")))
    if text_format == "markdown":
        html = str(render_markdown(text).html)
    else:
        source = text.replace("\n", "<br>\n") if text_format == "moodle" else text
        html = _cleaner.clean(source)
    if inline:
        match = re.fullmatch(r"\s*<p>(.*)</p>\s*", html, re.DOTALL)
        if match and "<p>" not in match.group(1):
            html = match.group(1)
    return Markup(html)
