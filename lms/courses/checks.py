"""Checks shared by every Markdown file of a course (lessons, their guides, translations):
reading the file, and the callouts, links and images of its body, each problem with its line."""

from pathlib import Path

from lms.courses.content import (
    CALLOUT_PATTERN,
    IMAGE_SUFFIXES,
    LESSON_FILE,
    LINK_PATTERN,
    SCHEME_PATTERN,
    split_front_matter,
)
from lms.rendering import CALLOUTS


def check_body(body: str, first_line: int, path: Path, courses_dir: Path, report) -> None:
    """Callouts must be of a known kind; links and images must resolve inside the content."""
    fenced = False
    for number, line in enumerate(body.split("\n"), start=first_line):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if fenced:
            continue
        callout = CALLOUT_PATTERN.match(line)
        if line.startswith("!!!"):
            if not callout or callout["kind"] not in CALLOUTS:
                kind = callout["kind"] if callout else line[3:].strip()
                report(path, number, f"unknown callout '{kind}' (use {', '.join(CALLOUTS)})")
            elif not callout["title"]:
                report(path, number, f"callout '{callout['kind']}' needs a title in quotes")
        for target in LINK_PATTERN.findall(line):
            _check_target(target, number, path, courses_dir, report)


def _check_target(target: str, line: int, path: Path, courses_dir: Path, report) -> None:
    scheme = SCHEME_PATTERN.match(target)
    if scheme:
        if scheme[1].lower() not in {"http", "https", "mailto"}:
            report(path, line, f"unsafe link '{target}'")
        return
    if target.startswith("#"):
        return
    if target.startswith("/"):
        report(path, line, f"link '{target}' must be relative to the lesson file")
        return
    file_part = target.split("#", 1)[0]
    resolved = (path.parent / file_part).resolve()
    if courses_dir.resolve() not in resolved.parents:
        report(path, line, f"link '{target}' points outside the courses folder")
    elif file_part.endswith(".md"):
        match = LESSON_FILE.match(resolved.name)
        if not resolved.is_file():
            report(path, line, f"broken link: '{target}' does not exist")
        elif not match or match["lang"]:
            report(path, line, f"link '{target}' must point at a lesson's source file")
    elif resolved.suffix.lower() in IMAGE_SUFFIXES:
        if not resolved.is_file():
            report(path, line, f"missing image '{target}'")
    else:
        report(path, line, f"link '{target}' is neither a lesson, an image nor a web address")


def read_front_matter(path: Path, report):
    """A content file's (front matter, body, the body's first line, the lines after the opening
    ``---``), or None when it cannot be read or its front matter is broken (reported)."""
    text = read_file(path, report)
    if text is None:
        return None
    data, body, body_line = split_front_matter(text, path, report)
    if data is None:
        return None
    return data, body, body_line, text.split("\n")[1:]


def read_file(path: Path, report) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        report(path, 1, f"not UTF-8 text ({error.reason})")
    except OSError as error:
        report(path, 1, f"cannot be read ({error.strerror})")
    return None
