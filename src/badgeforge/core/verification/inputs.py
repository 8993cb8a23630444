"""What was given to verify: a URL, JSON, a compact JWS/JWT, or a baked PNG or SVG.

Everything untrusted is bounded before it is believed: input size, JSON nesting depth
and node count (a JSON "bomb" is refused, never recursed into), and baked images go
through the hardened baking readers. Failures are :class:`InvalidInput` with a message
code of :mod:`.messages`.
"""

import enum
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from badgeforge.core.baking import unbake_any
from badgeforge.core.errors import CoreError

MAX_INPUT_BYTES = 8 * 1024 * 1024
"""Largest input (a baked image); text and JSON are capped at MAX_TEXT_BYTES."""
MAX_TEXT_BYTES = 1_048_576
MAX_JSON_DEPTH = 64
MAX_JSON_NODES = 200_000

_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)

Document = dict[str, Any]


class InvalidInput(CoreError):
    """The input cannot be read as any kind of badge; ``code`` names the message."""

    def __init__(self, code: str, detail: str | None = None) -> None:
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


class InputKind(enum.StrEnum):
    URL = "url"
    JSON = "json"
    JWS = "jws"


@dataclass(frozen=True)
class Parsed:
    """The payload to verify and where it came from (``container``: png, svg or None)."""

    kind: InputKind
    value: str | Document
    container: str | None = None
    baked_version: str | None = None


def check_json_shape(value: Any) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH or with more than MAX_JSON_NODES."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    nodes = 0
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if nodes > MAX_JSON_NODES:
            raise InvalidInput("input.json_too_large", f"more than {MAX_JSON_NODES} JSON values")
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth >= MAX_JSON_DEPTH:
            raise InvalidInput("input.json_too_deep", f"nested deeper than {MAX_JSON_DEPTH}")
        stack.extend((child, depth + 1) for child in children)


def parse_json(data: str | bytes) -> Any:
    """Parse untrusted JSON text within the size, depth and node limits."""
    if len(data) > MAX_TEXT_BYTES:
        raise InvalidInput("input.too_large", f"more than {MAX_TEXT_BYTES} bytes of text")
    try:
        value = json.loads(data)
    except RecursionError as error:
        raise InvalidInput("input.json_too_deep", "JSON nested too deeply") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput("input.malformed_json", str(error)[:200]) from error
    check_json_shape(value)
    return value


def parse_document(data: str | bytes) -> Document:
    """Parse untrusted JSON that must be an object."""
    value = parse_json(data)
    if not isinstance(value, dict):
        raise InvalidInput("input.not_object", "the JSON is not an object")
    return value


def _classify_text(text: str, container: str | None, version: str | None) -> Parsed:
    stripped = text.strip().lstrip("\ufeff")
    if not stripped:
        raise InvalidInput("input.empty")
    if stripped[0] in "{[":
        return Parsed(InputKind.JSON, parse_document(stripped), container, version)
    if _COMPACT_JWS.fullmatch(stripped):
        return Parsed(InputKind.JWS, stripped, container, version)
    if _URL.fullmatch(stripped):
        return Parsed(InputKind.URL, stripped, container, version)
    raise InvalidInput("input.unrecognised")


def _from_image(data: bytes) -> Parsed:
    container = "png" if data.startswith(b"\x89PNG") else "svg"
    try:
        version, payload = unbake_any(data)
    except CoreError as error:
        raise InvalidInput("input.not_baked", str(error)[:300]) from error
    except (ValueError, RecursionError, MemoryError) as error:
        raise InvalidInput("input.not_baked", type(error).__name__) from error
    return _classify_text(payload, container, version)


def _looks_like_image(data: bytes) -> bool:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return True
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype"))


def read_input(data: bytes | str | Mapping[str, Any]) -> Parsed:
    """Classify and parse what a caller gave; raises InvalidInput."""
    if isinstance(data, Mapping):
        check_json_shape(data)
        try:
            return Parsed(InputKind.JSON, json.loads(json.dumps(data)))
        except (TypeError, ValueError) as error:
            raise InvalidInput("input.malformed_json", str(error)[:200]) from error
    if isinstance(data, str):
        if len(data) > MAX_TEXT_BYTES:
            raise InvalidInput("input.too_large", f"more than {MAX_TEXT_BYTES} characters")
        return _classify_text(data, None, None)
    if not isinstance(data, bytes | bytearray):
        raise InvalidInput("input.unrecognised", type(data).__name__)
    if len(data) > MAX_INPUT_BYTES:
        raise InvalidInput("input.too_large", f"more than {MAX_INPUT_BYTES} bytes")
    if _looks_like_image(bytes(data)):
        return _from_image(bytes(data))
    if len(data) > MAX_TEXT_BYTES:
        raise InvalidInput("input.too_large", f"more than {MAX_TEXT_BYTES} bytes of text")
    try:
        decoded = bytes(data).decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput("input.unrecognised", "neither an image nor UTF-8 text") from error
    return _classify_text(decoded, None, None)
