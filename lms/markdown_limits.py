"""Keep hostile Markdown from stalling a worker.

Python-Markdown looks for the ``]`` and ``)`` that close a link by scanning the rest of the
paragraph from every ``[`` and every ``](``. Text such as 20,000 ``[`` or ``[a](`` repeated makes
that quadratic: minutes for one trainee's reflection. This extension gives each rendering an
allowance of characters that link parsing may scan. Real text never comes near it (a link is
closed a few characters on); past it, the remaining brackets are shown as typed, which is what
Markdown shows for a bracket it cannot close anyway.
"""

import re

from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteInlineProcessor
from markdown.extensions.tables import TableProcessor

#: Characters link parsing may scan in one rendering: about 0.2 s in the worst case.
SCAN_ALLOWANCE = 400_000
#: Lines one block (a paragraph, a list, a table) may have. Block parsing re-reads the rest of a
#: block after each heading or rule it finds in it, so 10,000 lines of "a" and "=" take seconds.
MAX_BLOCK_LINES = 1000

_BRACKET = re.compile(r"[\[\]]")
_LINK_PROCESSORS = (
    "reference",
    "link",
    "image_link",
    "image_reference",
    "short_reference",
    "short_image_ref",
)


def longest_block(source: str) -> int:
    """The number of lines of the longest run without a blank line."""
    longest = current = 0
    for line in source.split("\n"):
        current = current + 1 if line.strip() else 0
        longest = max(longest, current)
    return longest


class _TableProcessor(TableProcessor):
    """The tables extension's processor, which no longer splits every block it is asked about.

    A table's first line has a pipe; without one the answer is no, as the original finds after
    splitting the whole block into rows (once for every heading in a long block).
    """

    def test(self, parent, block: str) -> bool:
        first, newline, _ = block.partition("\n")
        if not newline or "|" not in first:
            return False
        return super().test(parent, block)


class ScanAllowance:
    """What is left of one rendering's allowance."""

    def __init__(self, characters: int = SCAN_ALLOWANCE):
        self.left = characters

    def take(self, characters: int) -> None:
        self.left = max(self.left - characters, 0)


def bounded_get_text(allowance: ScanAllowance):
    """``getText`` that finds the closing ``]`` at C speed and within the allowance."""

    def get_text(data: str, index: int) -> tuple[str, int, bool]:
        close = data.find("]", index)
        if close != -1 and data.find("[", index, close) == -1:
            # The usual case, [text]: no nesting, no Python loop.
            return data[index:close], close + 1, True
        limit = min(len(data), index + allowance.left)
        depth = 1
        for match in _BRACKET.finditer(data, index, limit):
            depth += 1 if match.group() == "[" else -1
            if depth == 0:
                allowance.take(match.end() - index)
                return data[index : match.start()], match.end(), True
        allowance.take(limit - index)
        if limit < len(data):
            return "", index, False
        return data[index:], len(data), False

    return get_text


def bounded_get_link(allowance: ScanAllowance, unbounded_get_link):
    """Python-Markdown's ``getLink``, given only as much of the text as the allowance covers."""

    def get_link(data: str, index: int):
        if len(data) - index <= allowance.left:
            href, title, end, handled = unbounded_get_link(data, index)
            allowance.take((end - index) if handled else (len(data) - index))
            return href, title, end, handled
        allowance.take(allowance.left)
        return "", None, index, False

    return get_link


class ScanLimitExtension(Extension):
    """Bound the link processors of one ``markdown.Markdown`` instance (one rendering)."""

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        if "table" in md.parser.blockprocessors:
            original = md.parser.blockprocessors["table"]
            md.parser.blockprocessors.register(
                _TableProcessor(md.parser, original.config), "table", 75
            )
        if "footnote" in md.inlinePatterns:
            # "[^" repeated: the unbounded id made each try read to the end of the paragraph.
            footnotes = md.inlinePatterns["footnote"].footnotes
            md.inlinePatterns.register(
                FootnoteInlineProcessor(r"\[\^([^\]\n]{1,200})\]", footnotes), "footnote", 175
            )
        allowance = ScanAllowance()
        for name in _LINK_PROCESSORS:
            if name in md.inlinePatterns:
                processor = md.inlinePatterns[name]
                processor.getText = bounded_get_text(allowance)
                if hasattr(processor, "getLink"):
                    processor.getLink = bounded_get_link(allowance, processor.getLink)
