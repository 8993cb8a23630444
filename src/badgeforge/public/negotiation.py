"""Content negotiation for hosted badge documents: JSON unless JSON-LD is preferred.

Wallets (Open Badge Passport) send no Accept header or ``*/*`` and parse the body as JSON
only when Content-Type contains ``application/json``; the 1EdTech validator asks for
``application/ld+json`` first. Both are served the same bytes. A browser, which
prefers ``text/html``, is sent to the human award page instead.
"""

JSON = "application/json"
JSON_LD = "application/ld+json"


def _quality(accept: str) -> dict[str, float]:
    qualities: dict[str, float] = {}
    for item in accept.split(","):
        media_type, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        if media_type:
            qualities[media_type.lower()] = max(quality, qualities.get(media_type.lower(), 0.0))
    return qualities


def document_media_type(accept: str | None) -> str:
    """``application/ld+json`` when the client prefers it to plain JSON, else JSON."""
    if not accept:
        return JSON
    qualities = _quality(accept)
    json_ld = qualities.get(JSON_LD, 0.0)
    plain = qualities.get(JSON, qualities.get("application/*", qualities.get("*/*", 0.0)))
    return JSON_LD if json_ld > 0 and json_ld >= plain else JSON


def prefers_html(accept: str | None) -> bool:
    """Whether the client asks for ``text/html`` above any JSON (a browser's usual header).

    No header, ``*/*`` and JSON types keep JSON: only an explicit ``text/html`` (or
    ``text/*``) ranked strictly higher than every JSON form counts.
    """
    if not accept:
        return False
    qualities = _quality(accept)
    html = qualities.get("text/html", qualities.get("text/*", 0.0))
    json_forms = (qualities.get(name, 0.0) for name in (JSON, JSON_LD, "application/*", "*/*"))
    return html > 0 and html > max(json_forms)
