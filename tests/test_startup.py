"""Start-up stays cheap: content is checked but not rendered, heavy libraries are imported only
by the pages that use them, and a broken content file is still reported when the app starts."""

import logging
import os
import subprocess
import sys
import uuid

from lms import rendering
from lms.config import REPOSITORY_ROOT
from tests.conftest import make_app
from tests.test_content import COURSE_YAML, lesson

#: imported only inside the functions that make PDFs, spreadsheets, QR codes, calendars, read
#: phone numbers or logos, sign credentials, or compare an address that is not plain ASCII
HEAVY = (
    "fpdf", "xlsxwriter", "segno", "icalendar", "phonenumbers", "PIL", "jwt", "cryptography",
    "confusable_homoglyphs.confusables",
)  # fmt: skip


def _course(tmp_path, lessons: dict[str, str]):
    folder = tmp_path / "courses" / "test-course"
    folder.mkdir(parents=True)
    (folder / "course.yaml").write_text(COURSE_YAML)
    for name, text in lessons.items():
        (folder / name).write_text(text)
    return tmp_path


def test_start_up_checks_every_lesson_and_renders_none_until_it_is_read(tmp_path, database_url):
    token = uuid.uuid4().hex  # text no earlier test rendered, so the render cache cannot hide it
    content = _course(
        tmp_path,
        {"01-first.md": lesson("First", 1, f"First {token}."), "02-second.md": lesson("Second", 2)},
    )
    before = rendering.render_count
    app = make_app(database_url, CONTENT_DIR=content)
    with app.app_context():
        first = app.extensions["tugi_catalog"].get().course("test-course").lessons[0]
    assert rendering.render_count == before
    assert token in first.source.body.text
    assert rendering.render_count == before + 1
    assert first.source.body is first.source.body  # kept: the second read renders nothing
    assert rendering.render_count == before + 1


def test_a_broken_lesson_is_still_reported_when_the_app_starts(tmp_path, database_url, caplog):
    content = _course(
        tmp_path, {"01-fine.md": lesson("Fine", 1), "02-broken.md": "---\ntitle: [broken\n---\n"}
    )
    with caplog.at_level(logging.ERROR):
        make_app(database_url, CONTENT_DIR=content)
    logged = [r.getMessage() for r in caplog.records if "course file problem" in r.getMessage()]
    assert len(logged) == 1
    assert "courses/test-course/02-broken.md:2: malformed YAML" in logged[0]


#: the schema's tools (some 11 MB per worker), loaded only by ``lms init``/``demo`` and ``db``
MIGRATIONS = ("flask_migrate", "alembic", "mako")

#: PyICU's module, whose import reads 9 MB of ICU's data (``lms.collation`` calls ICU's
#: collators through ctypes); PostgreSQL's dialect and drivers on SQLite (``partial_index``)
NOT_NEEDED = ("icu", "sqlalchemy.dialects.postgresql")


def test_starting_the_app_imports_no_heavy_library():
    script = (
        "import sys\n"
        "from lms import create_app\n"
        "create_app()\n"
        f"print(sorted(m for m in {HEAVY + MIGRATIONS + NOT_NEEDED!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY_ROOT), "LMS_DATABASE_URL": "sqlite://"}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=REPOSITORY_ROOT, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_start_that_finds_its_content_kept_reads_no_yaml(tmp_path):
    """PyYAML (about 2 MB a worker) is imported only where a content file is read."""
    script = (
        "import sys\n"
        "from lms import create_app\n"
        "app = create_app()\n"
        "app.test_client().get('/healthz')\n"
        "print('yaml' in sys.modules)\n"
    )
    env = {
        **os.environ, "PYTHONPATH": str(REPOSITORY_ROOT), "LMS_DATABASE_URL": "sqlite://",
        "LMS_INSTANCE_PATH": str(tmp_path),
    }  # fmt: skip
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], env=env, cwd=REPOSITORY_ROOT, capture_output=True,
            text=True, check=True,
        ).stdout.strip().splitlines()[-1]
        for _ in range(2)
    ]  # fmt: skip
    assert runs == ["True", "False"]  # the first start reads the files and keeps what it read


def test_on_sqlite_postgresqls_dialect_is_never_imported(tmp_path):
    """Not by the partial indexes (they get SQLite's condition), nor by counting a login."""
    script = (
        "import sys\n"
        "import sqlalchemy as sa\n"
        "from lms import create_app\n"
        "from lms.extensions import db\n"
        "from lms.quizzes.models import QuizAttempt\n"
        "app = create_app({'WTF_CSRF_ENABLED': False})\n"
        "with app.app_context():\n"
        "    db.create_all()\n"
        "    index, = [i for i in QuizAttempt.__table__.indexes if i.info]\n"
        "    print(sa.schema.CreateIndex(index).compile(db.engine))\n"
        "data = {'email': 'nobody@example.org', 'password': 'wrong'}\n"
        "print(app.test_client().post('/login', data=data).status_code)\n"
        "print(sorted(m for m in sys.modules if m.startswith('sqlalchemy.dialects.postgresql')))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(REPOSITORY_ROOT),
        "LMS_DATABASE_URL": f"sqlite:///{tmp_path / 'lms.sqlite3'}",
        "LMS_INSTANCE_PATH": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=REPOSITORY_ROOT, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    *_, ddl, status, modules = out.stdout.strip().splitlines()
    assert ddl.endswith("WHERE submitted_at IS NULL")
    assert status == "200"
    assert modules == "[]"


def test_before_forking_the_master_loads_every_languages_data_and_collator():
    from babel import localedata

    import lms
    from lms import collation
    from lms.config import LANGUAGES

    lms.load_shared_before_fork()
    assert set(LANGUAGES) <= set(localedata._cache)
    assert set(LANGUAGES) <= set(collation._collators.by_language)


def test_lms_init_and_the_db_commands_still_migrate(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(REPOSITORY_ROOT),
        "LMS_DATABASE_URL": f"sqlite:///{tmp_path / 'lms.sqlite3'}",
        "LMS_INSTANCE_PATH": str(tmp_path),
    }

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "lms", *args], env=env,
            cwd=REPOSITORY_ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout

    assert "(head)" not in run("db", "current")  # an empty database
    assert "up to date" in run("init")
    heads = run("db", "heads").split()
    assert heads[1:] == ["(head)"]
    assert run("db", "current").split() == heads


def test_markdown_never_imports_pygments_for_highlighting_it_never_does():
    """Markdown's fenced_code imports codehilite, which imports Pygments where it is installed
    (here, through pytest): 3 MB of every worker. Code blocks come out the same without it, and
    Pygments can still be imported by anything that wants it."""
    script = (
        "import sys\n"
        "from lms import rendering\n"
        "html = rendering.render_markdown('```python\\nx = 1 < 2\\n```\\n').html\n"
        "print('pygments' in sys.modules, str(html).strip())\n"
        "import pygments\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY_ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=REPOSITORY_ROOT, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    assert out.stdout.strip().splitlines()[0] == "False <pre><code>x = 1 &lt; 2"
