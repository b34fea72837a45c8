"""WTForms' own validation messages, in our catalogs' words where WTForms' differ.

WTForms ships a translation of "This field is required." and its other messages. The Ukrainian
one writes a straight apostrophe (обов'язковим), which docs/glossary.md rules out; the messages
listed here are taken from our catalogs instead, every other one from WTForms' as before."""

from functools import lru_cache

from babel.support import Translations
from flask import Flask, request
from flask_babel import get_locale, get_translations
from wtforms.i18n import messages_path

from lms.i18n import N_

#: WTForms messages our pages show, translated in our catalogs (same message ids as WTForms'). Its
#: other apostrophes are in messages a person never meets: a form's own mistake, or a choice that
#: was never offered.
OURS = frozenset({N_("This field is required.")})


@lru_cache(maxsize=8)
def _wtforms_catalog(locale: str) -> Translations:
    """WTForms' own catalog for ``locale``, read once."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


class FormMessages:
    """The gettext object Flask-WTF asks for WTForms' messages: ours for ``OURS``, else WTForms'.
    The language is that of the request at the moment a message is wanted."""

    def _catalog(self, message: str):
        if message in OURS:
            return get_translations()
        return _wtforms_catalog(str(get_locale()))

    def ugettext(self, message: str) -> str:
        return self._catalog(message).ugettext(message)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog(singular).ungettext(singular, plural, n)


MESSAGES = FormMessages()


def init_app(app: Flask) -> None:
    """Hand Flask-WTF our messages for each request (it keeps its catalog on the request)."""

    @app.before_request
    def use_our_form_messages():
        request.wtforms_translations = MESSAGES
