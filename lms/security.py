"""Response headers that every page carries, and cookies that are Secure over HTTPS.

Caching is denied by default: every response says ``Cache-Control: no-store`` (people's pages,
password links, logbooks, exports and certificates must never sit in a shared or browser cache),
unless its view declares itself cacheable with ``@cacheable(...)`` (and does not mark one
response ``no_store``, as the privacy notice does for coordinators). Static files keep Flask's
own revalidation headers.
"""

import base64
import json
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf

View = TypeVar("View", bound=Callable)

#: No inline script or style anywhere: every asset comes from /static.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def cacheable(policy: str) -> Callable[[View], View]:
    """Let a view's successful responses be cached with the ``Cache-Control`` value ``policy``."""

    def decorate(view: View) -> View:
        view.cache_policy = policy
        return view

    return decorate


def set_cache_control(response: Response) -> Response:
    """``no-store`` unless the view declared a cache policy (and the answer is a success)."""
    if request.endpoint == "static":
        return response
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    policy = getattr(view, "cache_policy", None)
    if policy and response.status_code in (200, 304) and not response.cache_control.no_store:
        response.headers["Cache-Control"] = policy
    else:
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def add_security_headers(response: Response) -> Response:
    """Set the security headers, and mark cookies Secure when the request came over HTTPS."""
    headers = response.headers
    present = {name.lower() for name in headers.keys()}  # one pass, not one for each header
    for name, value in HEADERS.items():
        if name.lower() not in present:  # a view that set one of its own keeps it
            headers.add(name, value)
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


class SecureCookiesOverHttps:
    """WSGI middleware: every cookie of a response to an HTTPS request is marked Secure.

    It works on the finished response, so it covers the session cookie (saved after every
    ``after_request`` hook) and flask-login's "remember me" cookie alike.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def start_secure_response(status, headers, exc_info=None):
            headers = [
                (name, value + "; Secure")
                if name.lower() == "set-cookie" and "; secure" not in value.lower()
                else (name, value)
                for name, value in headers
            ]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_secure_response)


class KeptSerializerSessions(SecureCookieSessionInterface):
    """Flask's signed session cookie, with its serializer made once per set of keys: Flask
    makes one for every request, and making one encodes a trial value as JSON."""

    _kept: tuple = ((), None)

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept_keys, serializer = self._kept
        if kept_keys != keys:
            serializer = super().get_signing_serializer(app)
            self._kept = (keys, serializer)
        return serializer


class SignedCsrfTokens:
    """``csrf_token()`` for templates: the signed form of the session's CSRF token, kept for a
    minute and reused.

    Flask-WTF signs the session's token anew on every page that shows it (the layout's own
    sign-out and language forms are on every page), about a twentieth of a lesson page's CPU. A
    signed token carries the time it was signed and is accepted for ``WTF_CSRF_TIME_LIMIT``;
    reused for at most a tenth of that (and a minute), it expires at most that much sooner and
    proves no more than before. It is looked up when a page asks for it, with the session's
    token as it is then, and kept only when it is the signature of that token (a token another
    request left in a shared ``g`` is not). Kept per process, for the ``LIMIT`` tokens signed
    last."""

    SECONDS = 60
    LIMIT = 4096

    def __init__(self) -> None:
        self._signed: OrderedDict[tuple, tuple[str, float]] = OrderedDict()

    def token(self) -> str:
        field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        signed = g.get(field)
        if signed is not None:  # signed already for this request (by a form, say)
            return signed
        raw = session.get(field)
        secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        kept = self._signed.get((secret, field, raw)) if raw is not None else None
        if kept is not None and time.monotonic() - kept[1] < self._reuse_seconds():
            setattr(g, field, kept[0])
            return kept[0]
        began = time.monotonic()  # the token's own time is no later than this
        signed = generate_csrf()
        raw = session.get(field)  # generate_csrf makes one when the session had none
        if _signs(signed, raw):
            self._keep((secret, field, raw), (signed, began))
        return signed

    def _keep(self, key: tuple, value: tuple) -> None:
        """Keep ``value`` as the newest; each step is one dict operation, so threads of a
        worker can keep tokens at once (one may evict a token too many, never fail)."""
        kept = self._signed
        kept.pop(key, None)
        kept[key] = value
        while len(kept) > self.LIMIT:
            try:
                kept.popitem(last=False)
            except KeyError:  # another thread emptied it meanwhile
                break

    def _reuse_seconds(self) -> float:
        limit = current_app.config.get("WTF_CSRF_TIME_LIMIT", 3600)
        return self.SECONDS if limit is None else min(self.SECONDS, limit / 10)


def _signs(signed: str, raw) -> bool:
    """Whether ``signed`` is a signature of ``raw`` (its payload, not its signature: the
    signature is Flask-WTF's to check when the form comes back)."""
    payload = signed.split(".", 1)[0]
    if not isinstance(raw, str) or not payload:  # "" or a compressed payload (".")
        return False
    try:
        return (
            base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            == json.dumps(raw).encode()
        )
    except ValueError:
        return False


def _use_kept_csrf_tokens(app: Flask) -> None:
    """Templates' ``csrf_token`` from the kept signatures: Flask-WTF offers its own both as a
    global and by a context processor (which would win), so that processor is taken out."""
    tokens = SignedCsrfTokens()
    app.jinja_env.globals["csrf_token"] = tokens.token
    processors = app.template_context_processors[None]
    for processor in list(processors):
        if getattr(processor, "__module__", "") == "flask_wtf.csrf":
            processors.remove(processor)


def init_app(app: Flask) -> None:
    """Install the header hooks, the session cookie's kept serializer, the kept CSRF signatures
    and the Secure-cookie middleware."""
    app.session_interface = KeptSerializerSessions()
    _use_kept_csrf_tokens(app)
    app.after_request(add_security_headers)
    app.after_request(set_cache_control)
    app.wsgi_app = SecureCookiesOverHttps(app.wsgi_app)
