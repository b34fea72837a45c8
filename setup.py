"""Build hook: a wheel carries everything an installed Tugi needs.

``static/``, ``migrations/`` and the shipped content (``courses/``, ``programmes/``,
``quizzes/``, the privacy notice in ``privacy/``) are copied into the package as ``lms/shipped/``,
and the message catalogs are compiled to ``.mo`` files, so that ``pip install .`` gives a Tugi
that serves its pages, migrates its database and speaks Estonian and Ukrainian. An editable
install (``make``) uses the repository's own folders and compiles the catalogs with
``make translations``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("static", "migrations", "courses", "programmes", "quizzes", "privacy")


class BuildWithData(build_py):
    """``build_py`` that also ships the data folders and compiles the translations."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        package = Path(self.build_lib) / "lms"
        for name in SHIPPED:
            target = package / "shipped" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(
                HERE / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        self._compile_catalogs(package / "translations")

    @staticmethod
    def _compile_catalogs(folder: Path) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(folder.glob("*/LC_MESSAGES/messages.po")):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog, use_fuzzy=False)


setup(cmdclass={"build_py": BuildWithData})
