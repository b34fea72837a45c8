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


def programme_rows() -> list[str]:
    """The README's table of programmes as the programme files give it, grouped as the
    programmes page groups them; to print it:
    ``python -c "from tests.test_docs import *; print(*programme_rows(), sep=chr(10))"``."""
    from lms.programmes.definitions import grouped_by_audience
    from lms.programmes.loader import load_programmes

    def hours(value: float) -> str:
        return f"{value:g}"

    rows = []
    for audience, members in grouped_by_audience(load_programmes(ROOT)):
        for programme in members:
            practice = "no log"
            if programme.practice_logged:
                practice = (
                    f"{hours(programme.practice_hours)} h" if programme.practice_hours else "log"
                )
                if programme.practice_clients:
                    clients = programme.practice_clients
                    practice += f", {clients} client{'s' if clients > 1 else ''}"
            if programme.renews:
                certificate = f"renews `{programme.renews}`"
            elif programme.certificate_valid_months:
                certificate = f"{programme.certificate_valid_months} months"
            else:
                certificate = "none"
            unit = "" if programme.hour_minutes == 60 else f" x {programme.hour_minutes} min"
            rows.append(
                f"| {audience.title_for('en') if audience else 'other'} "
                f"| {programme.title_for('en')} | `{programme.slug}` "
                f"| {hours(programme.hours)}{unit} | {practice} | {certificate} |"
            )
    return rows


def test_the_readme_lists_every_programme_as_its_file_gives_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Programmes") :]
    section = section[: section.index("\n## ", 5)]
    listed = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
    assert listed == programme_rows()
