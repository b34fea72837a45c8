"""QR codes drawn as inline SVG, for addresses people open on their phone."""

import io

from markupsafe import Markup


def qr_svg(url: str, title: str, scale: int = 6) -> Markup:
    import segno  # here, not at start: only the pages showing a QR code pay for it

    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        scale=scale,
        border=4,
        svgclass="qr",
        title=title,
    )
    return Markup(buffer.getvalue().decode())  # noqa: S704 - segno's own SVG of our URL
