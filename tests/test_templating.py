"""Templates compiled once into the instance folder and read back by every later process."""

import jinja2
import pytest

from lms import create_app
from lms.templating import CACHE_FOLDER, use_template_cache
from tests.conftest import TEST_CONFIG


@pytest.fixture
def instance(tmp_path, monkeypatch):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def _app():
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def _cached(instance) -> list:
    return [path for path in (instance / CACHE_FOLDER).rglob("*") if path.is_file()]


def test_init_compiles_every_template_and_a_later_app_reads_them(instance, monkeypatch):
    app = _app()
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert len(_cached(instance)) == len(app.jinja_env.list_templates())

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    later = _app()
    monkeypatch.setattr(later.jinja_env, "compile", no_compiling)
    with later.test_request_context():
        assert "<html" in later.jinja_env.get_template("base.html").render()


def _render_from(folder) -> str:
    app = _app()
    app.jinja_env.loader = jinja2.FileSystemLoader(folder)
    return app.jinja_env.get_template("page.html").render()


def test_an_edited_template_is_compiled_again(instance, tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    (folder / "page.html").write_text("first {{ 1 + 1 }}")
    assert _render_from(folder) == "first 2"
    assert len(_cached(instance)) == 1  # compiled into the cache
    (folder / "page.html").write_text("edited {{ 2 + 2 }}")
    assert _render_from(folder) == "edited 4"


def test_other_jinja_options_never_read_code_compiled_for_others(instance):
    plain = _app()
    trimmed = _app()
    trimmed.jinja_env.trim_blocks = False
    use_template_cache(trimmed)
    assert plain.jinja_env.bytecode_cache.directory != trimmed.jinja_env.bytecode_cache.directory


def test_a_cache_it_cannot_write_does_not_fail_the_page(instance, tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    (folder / "page.html").write_text("still {{ 'served' }}")
    app = _app()
    app.jinja_env.loader = jinja2.FileSystemLoader(folder)
    app.jinja_env.bytecode_cache.directory = str(instance / "no-such-folder")
    assert app.jinja_env.get_template("page.html").render() == "still served"
