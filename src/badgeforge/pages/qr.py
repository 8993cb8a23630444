"""QR codes for printed badges: inline SVG, drawn by segno, labelled for screen readers."""

import segno
from markupsafe import Markup, escape


def qr_code(url: str) -> segno.QRCode:
    """The QR code of ``url`` (error correction M: survives a crease or a smudge)."""
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, label: str) -> Markup:
    """An inline ``<svg role="img">`` of the QR code of ``url``, sized by CSS (viewBox only)."""
    svg = qr_code(url).svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None)
    labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(labelled)  # noqa: S704 - segno's own markup; the label is escaped
