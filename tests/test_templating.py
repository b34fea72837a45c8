"""Templates compiled once into the instance folder and read back by every later process."""

import jinja2
import pytest

from lms import create_app
from lms.templating import CACHE_FOLDER
from tests.conftest import TEST_CONFIG


@pytest.fixture
def instance(tmp_path, monkeypatch):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def _app():
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_init_compiles_every_template_and_a_later_app_reads_them(instance, monkeypatch):
    app = _app()
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert len(list((instance / CACHE_FOLDER).iterdir())) == len(app.jinja_env.list_templates())

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    later = _app()
    monkeypatch.setattr(later.jinja_env, "compile", no_compiling)
    with later.test_request_context():
        assert "<html" in later.jinja_env.get_template("base.html").render()


def test_an_edited_template_is_compiled_again(instance, tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    page = folder / "page.html"

    def render() -> str:
        app = _app()
        app.jinja_env.loader = jinja2.FileSystemLoader(folder)
        return app.jinja_env.get_template("page.html").render()

    page.write_text("first {{ 1 + 1 }}")
    assert render() == "first 2"
    assert len(list((instance / CACHE_FOLDER).iterdir())) == 1  # compiled into the cache
    page.write_text("edited {{ 2 + 2 }}")
    assert render() == "edited 4"
