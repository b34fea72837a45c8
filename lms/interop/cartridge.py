"""A course as an IMS Common Cartridge 1.3 or 1.1 (``.imscc``): a zip with ``imsmanifest.xml``.

Each lesson becomes one web page (``webcontent``) of the HTML Tugi's renderer made, as a trainee
reads it (the trainers' ``check`` callouts left out), with the pictures it shows beside it; each
quiz becomes one QTI 1.2 assessment (``qti.py``). The organisation has one section per lesson
holding its page and its quizzes, then a section for the course's other quizzes, which is how
Moodle's cartridge import lays out a course. What could not be carried is listed in
``tugi-export-report.txt`` inside the cartridge.
"""

import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

from lms.courses.api import Course, Lesson
from lms.interop.qti import quiz_assessment
from lms.quizzes.api import Quiz

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True)
class Version:
    """A version of Common Cartridge: its number and the ``v1pN`` token of its names."""

    number: str
    token: str

    @property
    def cp_ns(self) -> str:
        return f"http://www.imsglobal.org/xsd/imscc{self.token}/imscp_v1p1"

    @property
    def lom_ns(self) -> str:
        return f"http://ltsc.ieee.org/xsd/imscc{self.token}/LOM/manifest"

    @property
    def profile(self) -> str:
        """Where IMS publishes this version's schemas."""
        return f"http://www.imsglobal.org/profile/cc/cc{self.token}"

    @property
    def schema_location(self) -> str:
        return (
            f"{self.cp_ns} {self.profile}/cc{self.token}_imscp_v1p2_v1p0.xsd "
            f"{self.lom_ns} {self.profile}/LOM/cc{self.token}_lommanifest_v1p0.xsd"
        )

    @property
    def assessment(self) -> str:
        return f"imsqti_xmlv1p2/imscc_xml{self.token}/assessment"

    @property
    def qti_xsd(self) -> str:
        return f"{self.profile}/cc{self.token}_qtiasiv1p2p1_v1p0.xsd"


#: 1.3 is the current version; 1.1 is the newest one Moodle's course restore recognises (its
#: ``backup/converter/imscc11`` looks for the 1.1 namespace), and holds the same content here
VERSIONS = {"1.3": Version("1.3", "v1p3"), "1.1": Version("1.1", "v1p1")}
REPORT_FILE = "tugi-export-report.txt"
_IMAGE = re.compile(r'src="/courses/(?P<course>[a-z0-9-]+)/media/(?P<file>[^"]+)"')
_LINK = re.compile(
    r'href="/courses/(?P<course>[a-z0-9-]+)/(?P<lesson>[a-z0-9-]+)(?P<hash>#[^"]*)?"'
)


@dataclass
class Cartridge:
    """The cartridge's bytes, and what could not be carried (also in its report file)."""

    filename: str
    data: bytes
    losses: list[str] = field(default_factory=list)


def _child(parent: ET.Element, tag: str, attributes: dict | None = None) -> ET.Element:
    """A child element in its parent's namespace."""
    namespace = parent.tag[: parent.tag.index("}") + 1]
    return ET.SubElement(parent, namespace + tag, attributes or {})


def _page(course: Course, lesson: Lesson, language: str, losses: list[str]) -> tuple[str, set]:
    """The lesson as a web page, with the names of the pictures it shows."""
    text = lesson.text_for(language)
    if text.language != language:
        losses.append(
            _(
                "Lesson '%(title)s' has no translation into %(language)s: its source is used.",
                title=text.title,
                language=language,
            )
        )
    body = str(text.body.for_reader(False).html)
    images = set()

    def image(match: re.Match) -> str:
        if match["course"] != course.slug:
            return match.group(0)
        images.add(html.unescape(match["file"]))
        return f'src="media/{match["file"]}"'

    def link(match: re.Match) -> str:
        if match["course"] == course.slug and course.lesson(match["lesson"]):
            return f'href="{match["lesson"]}.html{match["hash"] or ""}"'
        losses.append(
            _(
                "Lesson '%(title)s' links to %(target)s, which is not in this cartridge.",
                title=text.title,
                target=match.group(0)[6:-1],
            )
        )
        return match.group(0)

    body = _LINK.sub(link, _IMAGE.sub(image, body))
    objectives = "".join(f"<li>{html.escape(item)}</li>" for item in text.objectives)
    page = (
        f'<!DOCTYPE html>\n<html lang="{text.language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(text.title)}</title>\n</head>\n<body>\n"
        f"<h1>{html.escape(text.title)}</h1>\n<p>{html.escape(text.summary)}</p>\n"
        f"<h2>{html.escape(_('After this lesson you can'))}</h2>\n<ul>{objectives}</ul>\n"
        f"{body}\n</body>\n</html>\n"
    )
    return page, images


def _item(parent: ET.Element, ident: str, title: str, ref: str | None = None) -> ET.Element:
    item = _child(parent, "item", {"identifier": ident})
    if ref:
        item.set("identifierref", ref)
    _child(item, "title").text = title
    return item


def _resource(resources: ET.Element, ident: str, kind: str, files: list[str], href=None) -> None:
    resource = _child(resources, "resource", {"identifier": ident, "type": kind})
    if href:
        resource.set("href", href)
    for name in files:
        _child(resource, "file", {"href": name})


def _manifest(course: Course, language: str, version: Version):
    """The manifest with its metadata, the root item of its organisation, and its resources."""
    lom = version.lom_ns
    ET.register_namespace("lomimscc", lom)
    ET.register_namespace("xsi", XSI_NS)
    attributes = {
        "identifier": f"tugi-{course.slug}-{language}",
        f"{{{XSI_NS}}}schemaLocation": version.schema_location,
    }
    manifest = ET.Element(f"{{{version.cp_ns}}}manifest", attributes)
    metadata = _child(manifest, "metadata")
    _child(metadata, "schema").text = "IMS Common Cartridge"
    _child(metadata, "schemaversion").text = f"{version.number}.0"
    general = ET.SubElement(ET.SubElement(metadata, f"{{{lom}}}lom"), f"{{{lom}}}general")
    for tag, value in (
        ("title", course.title_for(language)),
        ("description", course.summary_for(language)),
    ):
        element = ET.SubElement(general, f"{{{lom}}}{tag}")
        ET.SubElement(element, f"{{{lom}}}string", {"language": language}).text = value
    ET.SubElement(general, f"{{{lom}}}language").text = language
    organization = _child(
        _child(manifest, "organizations"),
        "organization",
        {"identifier": "organization", "structure": "rooted-hierarchy"},
    )
    root = _child(organization, "item", {"identifier": "root"})
    return manifest, root, _child(manifest, "resources")


def build_cartridge(
    course: Course,
    quizzes: list[Quiz],
    language: str,
    media_dir: Path,
    version: Version = VERSIONS["1.3"],
) -> Cartridge:
    """The course in ``language`` (its source where a lesson or quiz is not translated) with
    ``quizzes`` (already in the language wanted), as a cartridge; ``media_dir`` holds the
    course's pictures."""
    manifest, root, resources = _manifest(course, language, version)
    losses: list[str] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        placed: set[str] = set()
        for lesson in course.lessons:
            files = _add_lesson(archive, course, lesson, language, media_dir, losses)
            _resource(resources, f"L-{lesson.slug}", "webcontent", files, files[0])
            title = lesson.text_for(language).title
            section = _item(root, f"S-{lesson.slug}", title)
            _item(section, f"I-{lesson.slug}", title, f"L-{lesson.slug}")
            for quiz in quizzes:
                if quiz.lesson == lesson.slug:
                    _add_quiz(archive, resources, section, quiz, version, losses)
                    placed.add(quiz.slug)
        others = [quiz for quiz in quizzes if quiz.slug not in placed]
        if others:
            section = _item(root, "S-quizzes", _("Quizzes of the course"))
            for quiz in others:
                _add_quiz(archive, resources, section, quiz, version, losses)
        archive.writestr(REPORT_FILE, _report(course, language, losses))
        _resource(resources, "REPORT", "webcontent", [REPORT_FILE], REPORT_FILE)
        ET.indent(manifest)
        ET.register_namespace("", version.cp_ns)  # the prefix this file's elements are written with
        archive.writestr(
            "imsmanifest.xml", ET.tostring(manifest, encoding="utf-8", xml_declaration=True)
        )
    name = f"{course.slug}-{language}-cc{version.number}.imscc"
    return Cartridge(name, buffer.getvalue(), losses)


def _add_lesson(archive, course, lesson, language, media_dir: Path, losses) -> list[str]:
    """Write the lesson's page and its pictures; the files written, the page first."""
    page, images = _page(course, lesson, language, losses)
    href = f"lessons/{lesson.slug}.html"
    archive.writestr(href, page)
    files = [href]
    for name in sorted(images):
        source = media_dir / name
        if source.resolve().parent != media_dir.resolve() or not source.is_file():
            losses.append(_("The picture %(name)s is missing.", name=name))
            continue
        archive.write(source, f"lessons/media/{name}")
        files.append(f"lessons/media/{name}")
    return files


def _add_quiz(archive, resources, section, quiz: Quiz, version: Version, losses) -> None:
    ident = f"Q-{quiz.slug}"
    data, lost = quiz_assessment(quiz, ident, version.qti_xsd)
    archive.writestr(f"{ident}/assessment.xml", data)
    _resource(resources, ident, version.assessment, [f"{ident}/assessment.xml"])
    _item(section, f"I-{quiz.slug}", quiz.title, ident)
    losses += [f"{quiz.title}: {loss}" for loss in lost]


def _report(course: Course, language: str, losses: list[str]) -> str:
    head = _(
        "What could not be carried into the cartridge of %(course)s (%(language)s)",
        course=course.title_for(language),
        language=language,
    )
    settings = _(
        "Quizzes: the pass mark, time limit, shuffling and review settings are not part of a "
        "cartridge; set them again in the system that imports it."
    )
    lines = [f"- {loss}" for loss in losses] or [_("Nothing else: everything was carried.")]
    return "\n".join([head, "", settings, "", *lines]) + "\n"
