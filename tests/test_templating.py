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


def test_an_edited_template_is_compiled_again(instance):
    _app().jinja_env.get_template("base.html")  # compiled into the cache
    assert len(list((instance / CACHE_FOLDER).iterdir())) == 1
    later = _app()
    later.jinja_env.loader = jinja2.DictLoader({"base.html": "edited {{ 1 + 1 }}"})
    assert later.jinja_env.get_template("base.html").render() == "edited 2"
