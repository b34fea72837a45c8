"""Templates compiled once per deployment, not once per worker.

Jinja compiles a template to Python the first time a process renders it: about 25 ms each, 300 ms
for the first trainee home a new worker serves (12 templates), paid again by every worker after
every restart. Compiled code is kept in the instance folder (Jinja's bytecode cache, keyed on
each template's source, so an edited template is compiled again); ``lms init`` and ``lms demo``
compile every template into it, so a worker's first pages read ready code."""

import os

from flask import Flask
from jinja2 import FileSystemBytecodeCache

CACHE_FOLDER = "template-cache"


def use_template_cache(app: Flask) -> None:
    """Keep compiled templates in the instance folder (written to a temporary file and renamed,
    so workers compiling at once never read a half-written one)."""
    folder = os.path.join(app.instance_path, CACHE_FOLDER)
    os.makedirs(folder, exist_ok=True)
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(folder)


def compile_templates(app: Flask) -> int:
    """Compile every template of the app and its blueprints into the cache; how many."""
    names = app.jinja_env.list_templates(filter_func=lambda name: not name.startswith("."))
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)
