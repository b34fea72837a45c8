"""The edges between features, read from the source: a new import that crosses one fails here."""

import ast
from pathlib import Path

import pytest

LMS = Path(__file__).resolve().parent.parent / "lms"
FEATURES = {path.name for path in LMS.iterdir() if (path / "__init__.py").is_file()}
#: the app factory and the command line wire every feature together
WIRING = {"__init__.py", "cli.py"}
#: the one feature the shared modules know, people: access rules are about their roles, and the
#: audit trail names who acted
SHARED_MAY_IMPORT = {("access.py", "lms.auth.models"), ("audit.py", "lms.auth.models")}


def _imports(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.module, node.lineno)]
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
    return [(name, line) for name, line in found if name.startswith("lms.")]


#: every feature, from the bottom up: a feature imports only features before it, and asks those
#: after it through ``lms.hooks``
LAYERS = (
    "auth",
    "organisation",
    "courses",
    "programmes",
    "users",
    "cohorts",
    "attendance",
    "quizzes",
    "interop",
    "practice",
    "certificates",
    "alumni",
    "reports",
    "privacy",
    "dashboard",
    "main",
    "demo",
)


def _is_routes(module: str) -> bool:
    last = module.split(".")[-1]
    return last == "routes" or last.endswith("_routes")


def test_no_module_imports_another_features_routes():
    crossings = []
    for path in sorted(LMS.rglob("*.py")):
        relative = path.relative_to(LMS)
        if relative.parts[0] in WIRING:
            continue
        own = relative.parts[0]
        for module, line in _imports(path):
            parts = module.split(".")
            if len(parts) > 2 and parts[1] != own and _is_routes(module):
                crossings.append(f"lms/{relative}:{line} imports {module}")
    assert crossings == [], "use the feature's api module instead:\n" + "\n".join(crossings)


def test_shared_modules_know_no_feature():
    crossings = []
    for path in sorted(LMS.glob("*.py")):
        if path.name in WIRING:
            continue
        for module, line in _imports(path):
            feature = module.split(".")[1]
            allowed = {known for name, known in SHARED_MAY_IMPORT if name == path.name}
            if feature in FEATURES and module.rsplit(".", 1)[0] not in allowed | {"lms"}:
                if module not in allowed:
                    crossings.append(f"lms/{path.name}:{line} imports {module}")
    assert crossings == [], "a feature registers itself instead:\n" + "\n".join(crossings)


def test_every_question_cohorts_asks_is_answered_once_the_app_is_built(app):
    from lms import hooks

    assert sorted(hooks._answers) == sorted(hooks.QUESTIONS)


def test_a_question_nobody_answers_fails_loudly(monkeypatch):
    from lms import hooks

    monkeypatch.setattr(hooks, "_answers", {})
    with pytest.raises(RuntimeError, match="no feature answers 'holds_certificate'"):
        hooks.ask("holds_certificate", None, 1, "support-person", None)


def test_every_feature_has_its_place_in_the_layers():
    assert sorted(LAYERS) == sorted(FEATURES)


def test_no_feature_imports_one_built_on_it():
    rank = {feature: place for place, feature in enumerate(LAYERS)}
    upward = []
    for path in sorted(LMS.rglob("*.py")):
        relative = path.relative_to(LMS)
        if len(relative.parts) == 1:
            continue
        own = relative.parts[0]
        for module, line in _imports(path):
            feature = module.split(".")[1]
            if feature in rank and rank[feature] > rank[own]:
                upward.append(f"lms/{relative}:{line} imports {module}")
    assert upward == [], "ask through lms.hooks, or move the page up:\n" + "\n".join(upward)


def test_features_meet_only_at_their_front_doors():
    """Another feature's ``api`` (what it offers) and ``models`` (shared tables), nothing else."""
    crossings = []
    for path in sorted(LMS.rglob("*.py")):
        relative = path.relative_to(LMS)
        if len(relative.parts) == 1 or relative.parts[0] == "demo":
            continue
        own = relative.parts[0]
        for module, line in _imports(path):
            parts = module.split(".")
            if len(parts) < 3 or parts[1] == own or parts[1] not in FEATURES:
                continue
            if parts[2] not in ("api", "models"):
                crossings.append(f"lms/{relative}:{line} imports {module}")
    assert crossings == [], "import the feature's api instead:\n" + "\n".join(crossings)


def test_no_module_outgrows_a_few_screens():
    """400 lines at most; the GIFT parser is one grammar and stays one file."""
    long = [
        f"lms/{path.relative_to(LMS)}: {lines} lines"
        for path in sorted(LMS.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
        and path.name != "gift.py"
    ]
    assert long == []
