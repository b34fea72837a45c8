"""Templates compiled once per deployment, not once per worker.

Jinja compiles a template to Python the first time a process renders it: about 25 ms each, 300 ms
for the first trainee home a new worker serves (12 templates), paid again by every worker after
every restart. Compiled code is kept in the instance folder (Jinja's bytecode cache, keyed on
each template's source, so an edited template is compiled again); ``lms init`` and ``lms demo``
compile every template into it, so a worker's first pages read ready code."""

import hashlib
import logging
import os

import jinja2
from flask import Flask
from jinja2 import FileSystemBytecodeCache

CACHE_FOLDER = "template-cache"

log = logging.getLogger(__name__)


class _BestEffortCache(FileSystemBytecodeCache):
    """A cache that never fails a page: compiled code it cannot write (a folder made by another
    user, a read-only disk) is logged once and the page is served from the compiled template."""

    _warned = False

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as error:
            if not _BestEffortCache._warned:
                _BestEffortCache._warned = True
                log.warning("compiled templates cannot be kept in %s: %s", self.directory, error)


def _compiler_key(app: Flask) -> str:
    """What compiled code depends on besides a template's source: Jinja's release and the
    environment's options. Each combination has its own folder, so an upgrade or a changed option
    never runs code compiled for another."""
    env = app.jinja_env
    settings = (
        jinja2.__version__,
        sorted(env.extensions),
        env.trim_blocks,
        env.lstrip_blocks,
        env.keep_trailing_newline,
        env.newline_sequence,
        env.optimized,
        getattr(env, "newstyle_gettext", None),
    )
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


def use_template_cache(app: Flask) -> None:
    """Keep compiled templates in the instance folder (written to a temporary file and renamed,
    so workers compiling at once never read a half-written one). Called once the app's Jinja
    options and extensions are set."""
    folder = os.path.join(app.instance_path, CACHE_FOLDER, _compiler_key(app))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as error:
        log.warning("compiled templates cannot be kept in %s: %s", folder, error)
        return
    app.jinja_env.bytecode_cache = _BestEffortCache(folder)


def compile_templates(app: Flask) -> int:
    """Compile every template of the app and its blueprints into the cache; how many."""
    names = app.jinja_env.list_templates(filter_func=lambda name: not name.startswith("."))
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)
