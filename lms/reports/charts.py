"""Bar charts drawn on the server as SVG: no script, readable on a phone, printable.

A chart only repeats its data table (which the page always gives for screen readers and
exports), so the drawing is hidden from assistive technology.
"""

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 300  # the narrowest chart (a phone): labels are shortened to fit it
LABEL_SIZE = 12
BAR_HEIGHT = 14
ROW_GAP = 12
#: the longest bar's share of the chart's width; the rest is room for its value. Bars are drawn
#: in percent of the width the card gives (no viewBox), so the chart fills a wide card while
#: its text keeps its size on a phone.
LONGEST = 80
#: one colour per series, dark enough for white-background contrast (WCAG 3:1 for graphics)
COLOURS = ("#1d6f72", "#b45309", "#6d28d9")


@dataclass(frozen=True)
class Row:
    """One labelled row of bars, one value per series, with the values as printed."""

    label: str
    values: tuple[float, ...]
    texts: tuple[str, ...]


def _fit(label: str) -> str:
    """A label short enough for the chart's width (the data table keeps it whole)."""
    most = int(WIDTH / (LABEL_SIZE * 0.58))
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def bar_chart(rows: list[Row], series: tuple[str, ...] = ()) -> Markup:
    """Horizontal bars, the label above its bars so long names fit a narrow screen."""
    count = max((len(row.values) for row in rows), default=1)
    top = max((value for row in rows for value in row.values), default=0) or 1
    row_height = LABEL_SIZE + 4 + count * (BAR_HEIGHT + 2) + ROW_GAP
    # one legend line per series: a name of any length fits a narrow screen
    legend = 18 * len(series) + 4 if len(series) > 1 else 0
    height = legend + len(rows) * row_height
    parts = [
        f'<svg class="chart" width="100%" height="{height}" aria-hidden="true" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="inherit" font-size="{LABEL_SIZE}">'
    ]
    if legend:
        for number, name in enumerate(series):
            y = 18 * number
            parts.append(
                f'<rect x="0" y="{y + 3}" width="12" height="12" fill="{COLOURS[number % 3]}"/>'
                f'<text x="18" y="{y + 13}" fill="#1f2933">{escape(name)}</text>'
            )
    y = legend
    for row in rows:
        parts.append(
            f'<text x="0" y="{y + LABEL_SIZE}" fill="#1f2933">{escape(_fit(row.label))}</text>'
        )
        bar_y = y + LABEL_SIZE + 4
        for number, (value, text) in enumerate(zip(row.values, row.texts, strict=True)):
            length = round(LONGEST * value / top, 2) if value > 0 else 0
            # a value above nothing still shows a sliver, so it is not read as none
            width = f"{length}%" if length >= 0.4 or not value else "2"
            parts.append(
                f'<rect x="0" y="{bar_y}" width="{width}" '
                f'height="{BAR_HEIGHT}" rx="2" fill="{COLOURS[number % 3]}"/>'
                f'<text x="{length}%" dx="6" y="{bar_y + BAR_HEIGHT - 2}" fill="#1f2933">'
                f"{escape(text)}</text>"
            )
            bar_y += BAR_HEIGHT + 2
        y += row_height
    parts.append("</svg>")
    return Markup("".join(parts))
