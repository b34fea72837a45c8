"""The README's code layout names every module and folder of ``lms/``, and nothing else."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_code_layout_table_matches_the_tree():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Code layout") :]
    layout = layout[: layout.find("\n## ", 5) if "\n## " in layout[5:] else len(layout)]
    named = {name.rstrip("/").split("/")[0] for name in re.findall(r"`lms/([\w.]+/?)", layout)}
    lms = ROOT / "lms"
    present = {path.name for path in lms.glob("*.py")}
    present |= {
        path.name for path in lms.iterdir() if path.is_dir() and not path.name.startswith("_")
    }
    assert named == present
