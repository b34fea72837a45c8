"""Bar charts drawn on the server as SVG: no script, readable on a phone, printable.

A chart only repeats its data table (which the page always gives for screen readers and
exports), so the drawing is hidden from assistive technology.
"""

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 420
LABEL_SIZE = 13
BAR_HEIGHT = 14
ROW_GAP = 12
VALUE_ROOM = 64  # right of the longest bar, for its value
#: one colour per series, dark enough for white-background contrast (WCAG 3:1 for graphics)
COLOURS = ("#1d6f72", "#b45309", "#6d28d9")


@dataclass(frozen=True)
class Row:
    """One labelled row of bars, one value per series, with the values as printed."""

    label: str
    values: tuple[float, ...]
    texts: tuple[str, ...]


def bar_chart(rows: list[Row], series: tuple[str, ...] = ()) -> Markup:
    """Horizontal bars, the label above its bars so long names fit a narrow screen."""
    count = max((len(row.values) for row in rows), default=1)
    top = max((value for row in rows for value in row.values), default=0) or 1
    room = WIDTH - VALUE_ROOM
    row_height = LABEL_SIZE + 4 + count * (BAR_HEIGHT + 2) + ROW_GAP
    legend = 22 if len(series) > 1 else 0
    height = legend + len(rows) * row_height
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="inherit" font-size="{LABEL_SIZE}">'
    ]
    if legend:
        x = 0
        for number, name in enumerate(series):
            parts.append(
                f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[number % 3]}"/>'
                f'<text x="{x + 16}" y="15" fill="#1f2933">{escape(name)}</text>'
            )
            x += 24 + 8 * len(name)
    y = legend
    for row in rows:
        parts.append(f'<text x="0" y="{y + LABEL_SIZE}" fill="#1f2933">{escape(row.label)}</text>')
        bar_y = y + LABEL_SIZE + 4
        for number, (value, text) in enumerate(zip(row.values, row.texts, strict=True)):
            length = round(room * value / top, 1) if value > 0 else 0
            parts.append(
                f'<rect x="0" y="{bar_y}" width="{max(length, 1 if value else 0)}" '
                f'height="{BAR_HEIGHT}" rx="2" fill="{COLOURS[number % 3]}"/>'
                f'<text x="{length + 6}" y="{bar_y + BAR_HEIGHT - 2}" fill="#1f2933">'
                f"{escape(text)}</text>"
            )
            bar_y += BAR_HEIGHT + 2
        y += row_height
    parts.append("</svg>")
    return Markup("".join(parts))
