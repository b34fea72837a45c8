"""Configuration from the environment."""

import os
import stat

import pytest

from lms import create_app
from lms.config import ConfigError, from_environment, normalise_database_url


def test_secret_key_is_generated_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("LMS_SECRET_KEY", raising=False)
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"]
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"]
    assert first == second and len(first) >= 40
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("LMS_SECRET_KEY", "from-env")
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"] == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("LMS_DATABASE_URL", raising=False)
    assert (
        from_environment(tmp_path)["SQLALCHEMY_DATABASE_URI"]
        == f"sqlite:///{tmp_path}/tugi.sqlite3"
    )


def test_plain_postgresql_urls_use_psycopg3():
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"


def test_a_bad_value_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("LMS_SECURE_COOKIES", "perhaps")
    with pytest.raises(ConfigError, match="LMS_SECURE_COOKIES"):
        from_environment(tmp_path)
    monkeypatch.setenv("LMS_SECURE_COOKIES", "yes")
    monkeypatch.setenv("LMS_PASSWORD_RESET_HOURS", "two days")
    with pytest.raises(ConfigError, match="LMS_PASSWORD_RESET_HOURS"):
        from_environment(tmp_path)


def test_content_dir_defaults_to_the_repository(tmp_path, monkeypatch):
    monkeypatch.delenv("LMS_CONTENT_DIR", raising=False)
    assert (from_environment(tmp_path)["CONTENT_DIR"] / "courses").is_dir()
