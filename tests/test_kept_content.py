"""Content kept from one start for the next: read back only while everything it was made from is
the same, never stale, and never in the way when its file is damaged or cannot be written."""

import logging
import os
import shutil
import time
from pathlib import Path

import pytest

from lms import filecache
from lms.config import REPOSITORY_ROOT
from lms.filecache import FolderCache
from tests.conftest import ErrorRecorder, make_app


class _Counting:
    """A loader that reads the folder's files and counts its calls."""

    def __init__(self, folder: Path):
        self.folder, self.calls = folder, 0

    def __call__(self, previous):
        self.calls += 1
        return {p.name: p.read_text() for p in sorted(self.folder.iterdir()) if p.is_file()}


@pytest.fixture
def folder(tmp_path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("first")
    return content


def _start(folder: Path, kept: Path, depends_on=tuple) -> tuple[dict, _Counting]:
    """One start: a new cache over ``folder``; its value and how often it loaded."""
    load = _Counting(folder)
    value = FolderCache(folder, load, keep_as=kept, depends_on=depends_on).get()
    return value, load


def test_a_second_start_reads_the_kept_content_instead_of_loading_it(folder, tmp_path):
    kept = tmp_path / "instance" / "content.pickle"
    first, load = _start(folder, kept)
    assert load.calls == 1 and kept.is_file()

    again, load = _start(folder, kept)
    assert load.calls == 0
    assert again == first == {"a.md": "first"}


def test_a_changed_added_or_removed_file_is_loaded_again(folder, tmp_path):
    kept = tmp_path / "content.pickle"
    _start(folder, kept)

    (folder / "a.md").write_text("second version")
    value, load = _start(folder, kept)
    assert load.calls == 1 and value == {"a.md": "second version"}

    (folder / "b.md").write_text("new")
    value, load = _start(folder, kept)
    assert load.calls == 1 and value["b.md"] == "new"

    (folder / "b.md").unlink()
    value, load = _start(folder, kept)
    assert load.calls == 1 and "b.md" not in value


def test_what_the_loader_depends_on_besides_the_files_is_part_of_the_key(folder, tmp_path):
    kept = tmp_path / "content.pickle"
    _start(folder, kept, depends_on=lambda: ("en", "et"))
    _, load = _start(folder, kept, depends_on=lambda: ("en", "et"))
    assert load.calls == 0
    _, load = _start(folder, kept, depends_on=lambda: ("en", "et", "uk"))
    assert load.calls == 1


def test_other_code_or_libraries_never_read_content_kept_by_the_old(folder, tmp_path, monkeypatch):
    kept = tmp_path / "content.pickle"
    _start(folder, kept)
    original = filecache._code_key()
    monkeypatch.setattr(filecache, "_code_key", lambda: (*original, "upgraded"))
    _, load = _start(folder, kept)
    assert load.calls == 1


def test_the_code_signature_sees_a_module_edited_in_place_and_a_changed_library_folder(
    tmp_path, monkeypatch
):
    code = tmp_path / "lms"
    code.mkdir()
    module = code / "rules.py"
    module.write_text("MAX_KEY_LENGTH = 120\n")
    monkeypatch.setattr(filecache, "CODE_FOLDER", code)
    before = filecache._code_signature()
    stat = module.stat()
    module.write_text("MAX_KEY_LENGTH = 150\n")  # the same size, and the same time below
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    edited = filecache._code_signature()
    assert edited != before

    library = tmp_path / "site-packages"
    library.mkdir()
    monkeypatch.setattr(filecache.sysconfig, "get_path", lambda name: str(library))
    with_library = filecache._code_signature()
    assert with_library != edited
    (library / "newer-1.1.dist-info").mkdir()
    assert filecache._code_signature() != with_library


def test_a_new_empty_folder_is_loaded_again(folder, tmp_path):
    kept = tmp_path / "content.pickle"
    _start(folder, kept)
    (folder / "new-course").mkdir()  # the course loader reports a course folder without course.yaml
    _, load = _start(folder, kept)
    assert load.calls == 1


def test_a_file_that_cannot_be_read_leaves_the_loading_to_the_loader(folder, tmp_path, monkeypatch):
    kept = tmp_path / "content.pickle"
    (folder / "swap.tmp").write_text("someone else's")
    read_bytes = Path.read_bytes

    def refuse(path):
        if path.name == "swap.tmp":
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    value = FolderCache(folder, lambda _: {"a.md": "first"}, keep_as=kept).get()
    assert value == {"a.md": "first"}
    assert not kept.exists()


@pytest.mark.parametrize(
    "damage", [b"", b"not a pickle at all", b"\x80\x05\x95\x10\x00\x00\x00"], ids=repr
)
def test_a_damaged_kept_file_is_ignored_and_written_again(folder, tmp_path, damage, caplog):
    kept = tmp_path / "content.pickle"
    _start(folder, kept)
    kept.write_bytes(damage)
    with caplog.at_level(logging.WARNING, logger="lms.filecache"):
        value, load = _start(folder, kept)
    assert load.calls == 1 and value == {"a.md": "first"}
    _, load = _start(folder, kept)
    assert load.calls == 0


def test_content_that_cannot_be_kept_is_served_all_the_same(folder, tmp_path, caplog):
    not_a_folder = tmp_path / "instance"
    not_a_folder.write_text("a file where the folder should be")
    with caplog.at_level(logging.WARNING, logger="lms.filecache"):
        value, load = _start(folder, not_a_folder / "content-cache" / "content.pickle")
    assert load.calls == 1 and value == {"a.md": "first"}
    assert "cannot be kept" in caplog.text


def test_a_value_that_fails_half_way_through_writing_leaves_no_file(folder, tmp_path, caplog):
    kept = tmp_path / "content-cache" / "content.pickle"
    with caplog.at_level(logging.WARNING, logger="lms.filecache"):
        value = FolderCache(folder, lambda _: {"a.md": lambda: "not picklable"}, keep_as=kept).get()
    assert "a.md" in value and "cannot be kept" in caplog.text
    assert list(kept.parent.iterdir()) == []


def test_files_left_half_written_by_a_killed_worker_are_removed_once_old(folder, tmp_path):
    cache_folder = tmp_path / "content-cache"
    cache_folder.mkdir()
    abandoned, writing_now = cache_folder / ".writing-abc", cache_folder / ".writing-def"
    abandoned.write_bytes(b"half")
    writing_now.write_bytes(b"half")
    an_hour_ago = time.time() - 3600
    os.utime(abandoned, (an_hour_ago, an_hour_ago))
    _start(folder, cache_folder / "content.pickle")
    assert not abandoned.exists() and writing_now.exists()


def test_an_app_started_again_serves_the_kept_content_and_still_reports_its_problems(
    database_url, tmp_path, monkeypatch
):
    content = tmp_path / "content"
    for part in ("courses", "programmes", "quizzes"):
        shutil.copytree(REPOSITORY_ROOT / part, content / part)
    lesson = sorted((content / "courses" / "support-role").glob("*.md"))[0]
    lesson.write_text("---\ntitle: [not closed\n---\nText\n", encoding="utf-8")
    programme = content / "programmes" / "support-person.yaml"
    programme.write_text(programme.read_text(encoding="utf-8") + "hours: [not closed\n")
    instance = tmp_path / "instance"
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(instance))

    logged = ErrorRecorder()
    logging.getLogger("lms").addHandler(logged)
    try:
        first = make_app(database_url, CONTENT_DIR=content)
        problems_at_first_start = list(logged.messages)
        logged.messages.clear()

        def no_loading(*args, **kwargs):
            raise AssertionError("the content was loaded again")

        monkeypatch.setattr("lms.courses.services.load_catalog", no_loading)
        monkeypatch.setattr("lms.quizzes.translations.load_all", no_loading)
        monkeypatch.setattr("lms.programmes.services.load_programmes", no_loading)
        second = make_app(database_url, CONTENT_DIR=content)
    finally:
        logging.getLogger("lms").removeHandler(logged)

    assert any(lesson.name in message for message in problems_at_first_start)
    assert any(programme.name in message for message in problems_at_first_start)
    assert logged.messages == problems_at_first_start
    for name in ("tugi_catalog", "tugi_quizzes", "tugi_programmes"):
        assert (instance / "content-cache").is_dir()
        kept, loaded = second.extensions[name].get(), first.extensions[name].get()
        assert type(kept) is type(loaded)
    catalog = second.extensions["tugi_catalog"].get()
    assert [c.slug for c in catalog.courses] == [
        c.slug for c in first.extensions["tugi_catalog"].get().courses
    ]
    assert len(second.extensions["tugi_quizzes"].get().quizzes) == len(
        first.extensions["tugi_quizzes"].get().quizzes
    )
    assert sorted(second.extensions["tugi_programmes"].get().programmes) == sorted(
        first.extensions["tugi_programmes"].get().programmes
    )


def test_a_file_rewritten_with_the_same_size_and_time_is_loaded_again(folder, tmp_path):
    kept = tmp_path / "content.pickle"
    lesson = folder / "a.md"
    _start(folder, kept)
    before = lesson.stat()
    lesson.write_text("fresh")  # as long as "first"
    os.utime(lesson, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert lesson.stat().st_mtime_ns == before.st_mtime_ns

    value, load = _start(folder, kept)
    assert load.calls == 1 and value == {"a.md": "fresh"}


def test_content_that_changed_while_it_was_loaded_is_not_kept(folder, tmp_path):
    kept = tmp_path / "content.pickle"

    def load_while_edited(previous):
        value = {"a.md": (folder / "a.md").read_text()}
        (folder / "a.md").write_text("edited while loading")
        return value

    FolderCache(folder, load_while_edited, keep_as=kept).get()
    assert not kept.exists()
    value, load = _start(folder, kept)
    assert load.calls == 1 and value == {"a.md": "edited while loading"}
