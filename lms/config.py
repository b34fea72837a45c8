"""Configuration read from the environment, with safe defaults.

Every variable is listed in the README's configuration table.
"""

import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PACKAGE_DIR = Path(__file__).resolve().parent
REPOSITORY_ROOT = PACKAGE_DIR.parent
#: Where ``static/``, ``migrations/`` and the shipped content live: beside the package in a
#: checkout, inside it as ``lms/shipped/`` in an installed wheel (see setup.py).
SHIPPED_ROOT = PACKAGE_DIR / "shipped" if (PACKAGE_DIR / "shipped").is_dir() else REPOSITORY_ROOT

#: The interface languages; English is the source language of every message.
LANGUAGES = {"en": "English", "et": "Eesti", "uk": "Українська", "ru": "Русский"}
#: Languages a person gets only by choosing them (the picker, their saved language), never
#: guessed from the browser: a Ukrainian whose browser also lists Russian is not served Russian.
CHOSEN_ONLY_LANGUAGES = frozenset({"ru"})


class ConfigError(RuntimeError):
    """A configuration value is missing or wrong; the message says which and how to fix it."""


def instance_secret_key(instance_path: str | Path) -> str:
    """Return the secret key kept in the instance folder, creating it (mode 0600) on first use."""
    instance_path = Path(instance_path)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}")


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None


def _timezone(name: str, default: str) -> str:
    value = os.environ.get(name) or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{name} must be a time zone such as Europe/Tallinn, not {value!r}"
        ) from None
    return value


def _languages(name: str, default: str) -> tuple[str, ...]:
    value = os.environ.get(name)
    codes = [code.strip().lower() for code in (default if value is None else value).split(",")]
    codes = [code for code in codes if code]
    if any(not code.isalpha() or not 2 <= len(code) <= 3 for code in codes):
        raise ConfigError(
            f"{name} must be language codes separated by commas, like 'ru', not {value!r}"
        )
    return tuple(codes)


def normalise_database_url(url: str) -> str:
    """Let a plain ``postgresql://`` URL use psycopg 3, the driver we install."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def from_environment(instance_path: str | Path) -> dict:
    """Build the Flask configuration from ``LMS_*`` environment variables."""
    database_url = os.environ.get("LMS_DATABASE_URL") or (
        f"sqlite:///{Path(instance_path) / 'tugi.sqlite3'}"
    )
    content_dir = Path(os.environ.get("LMS_CONTENT_DIR") or SHIPPED_ROOT)
    return {
        # None here means "generate one in the instance folder" (done lazily by create_app).
        "SECRET_KEY": os.environ.get("LMS_SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # pooled connections are checked before use only after this many idle seconds
        # (lms.db.ping_when_idle), not at every request as pool_pre_ping would
        "DATABASE_PING_IDLE_SECONDS": _int("LMS_DATABASE_PING_IDLE_SECONDS", 5),
        "CONTENT_DIR": content_dir,
        # Languages the content check does not require translations in (an interface language
        # whose course translations are still to come).
        "CONTENT_OPTIONAL_LANGUAGES": _languages("LMS_CONTENT_OPTIONAL_LANGUAGES", "ru"),
        # database:// counts in the app's own database, so every worker and host shares the limits.
        "RATELIMIT_STORAGE_URI": os.environ.get("LMS_RATELIMIT_STORAGE_URI") or "database://",
        "RATELIMIT_LOGIN": os.environ.get("LMS_RATELIMIT_LOGIN", "10 per minute;50 per hour"),
        "RATELIMIT_LOGIN_ADDRESS": os.environ.get(
            "LMS_RATELIMIT_LOGIN_ADDRESS", "60 per minute;300 per hour"
        ),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Behind a reverse proxy that sets X-Forwarded-Proto/For, trust this many proxies.
        "PROXY_COUNT": _int("LMS_PROXY_COUNT", 0),
        "SESSION_COOKIE_SECURE": _flag("LMS_SECURE_COOKIES", False),
        "REMEMBER_COOKIE_SECURE": _flag("LMS_SECURE_COOKIES", False),
        "PASSWORD_RESET_HOURS": _int("LMS_PASSWORD_RESET_HOURS", 48),
        "MAIL_SERVER": os.environ.get("LMS_MAIL_SERVER", ""),
        "MAIL_PORT": _int("LMS_MAIL_PORT", 587),
        "MAIL_USERNAME": os.environ.get("LMS_MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("LMS_MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _flag("LMS_MAIL_USE_TLS", True),
        "MAIL_SENDER": os.environ.get("LMS_MAIL_SENDER", "tugi@localhost"),
        "BASE_URL": os.environ.get("LMS_BASE_URL", ""),
        "TIMEZONE": _timezone("LMS_TIMEZONE", "Europe/Tallinn"),
        "CHECK_IN_EARLY_MINUTES": _int("LMS_CHECK_IN_EARLY_MINUTES", 15),
        "ISSUER_NAME": os.environ.get("LMS_ISSUER_NAME", "Tugi"),
        "CERTIFICATE_WARNING_DAYS": _int("LMS_CERTIFICATE_WARNING_DAYS", 90),
        "RATELIMIT_VERIFY": os.environ.get("LMS_RATELIMIT_VERIFY", "30 per minute;300 per hour"),
    }


#: Values that never come from the environment.
FIXED = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
    "LANGUAGES": LANGUAGES,
    "CHOSEN_ONLY_LANGUAGES": CHOSEN_ONLY_LANGUAGES,
    "SQLALCHEMY_RECORD_QUERIES": False,
    "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
    # werkzeug's default scrypt: deliberately slow. Tests lower the cost.
    "PASSWORD_HASH_METHOD": "scrypt",
}
