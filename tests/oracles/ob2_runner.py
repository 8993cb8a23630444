"""Run the 1EdTech Open Badges 2.0 validator (PyPI ``badgecheck``) offline.

This script is executed by ``ob2_validator.py`` with the interpreter of the oracle virtualenv
(``.oracles/ob2-venv``). It must only import the standard library and what that venv holds: never
badgeforge or anything from the project venv.

Protocol. stdin is one JSON object::

    {"contexts": {"<context URL>": "<path of a local copy>", ...},
     "jobs": [{"text": "<URL | JSON | JWS>", "recipient_profile": {...} | null}
              | {"image_b64": "<base64 PNG/SVG>", "name": "badge.png", "recipient_profile": ...}]}

stdout is a JSON list with one entry per job: the dict returned by
``openbadges.verifier.verify()`` (``{"graph", "input", "report"}``). A job whose call raises
(the validator has Python-2-era crash paths, e.g. an image without badge data) gets an invalid
report whose single ERROR message is named ``ORACLE_RUNNER_EXCEPTION``. Validator logs go to
stderr.

Offline operation (set up before the validator is imported):

* every ``requests.Session`` (including ``requests_cache.CachedSession``, a subclass, which the
  validator creates for every fetch and for its JSON-LD document loader) gets ``OfflineAdapter``
  mounted for ``http://`` and ``https://``. It answers the configured context URLs from local
  files, sends loopback URLs (127.0.0.0/8, ::1, localhost) to the real transport without proxies,
  and refuses everything else at once with ``requests.ConnectionError``;
* PyLD's default document loader (urllib based) is replaced by a requests-based one;
* ``socket.getaddrinfo`` refuses non-loopback hosts, so no other path can reach the network.
"""

from __future__ import annotations

import base64
import contextlib
import io
import ipaddress
import json
import socket
import sys
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import requests.adapters
import urllib3

# A fetch from the test server that stalls must not hang the oracle (the validator sets no timeout).
LOOPBACK_TIMEOUT_SECONDS = 30.0
EXCEPTION_MESSAGE_NAME = "ORACLE_RUNNER_EXCEPTION"


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _document_key(url: str) -> str:
    """Compare context URLs without scheme, fragment, query or trailing slash."""
    parts = urlsplit(url)
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}"


class OfflineAdapter(requests.adapters.HTTPAdapter):
    """Serve known documents locally, pass loopback through, refuse the rest of the network."""

    def __init__(self, documents: dict[str, bytes]) -> None:
        super().__init__()
        self.documents = documents

    def send(  # type: ignore[override]
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        url = request.url or ""
        body = self.documents.get(_document_key(url))
        if body is not None:
            raw = urllib3.HTTPResponse(
                body=io.BytesIO(body),
                headers={"Content-Type": "application/ld+json; charset=utf-8"},
                status=200,
                reason="OK",
                preload_content=False,
                decode_content=False,
                request_method=request.method,
                request_url=url,
            )
            return self.build_response(request, raw)
        if _is_loopback(urlsplit(url).hostname):
            return super().send(
                request,
                stream=stream,
                timeout=timeout if timeout is not None else LOOPBACK_TIMEOUT_SECONDS,
                verify=verify,
                cert=cert,
                proxies={},
            )
        raise requests.ConnectionError(
            f"offline OB2 oracle: network access refused for {url}", request=request
        )


_real_getaddrinfo = socket.getaddrinfo


def _loopback_only_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else host
    if name is not None and not _is_loopback(str(name)):
        raise OSError(f"offline OB2 oracle: name resolution refused for {name!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def install_offline_transport(contexts: dict[str, str]) -> None:
    documents = {_document_key(url): Path(path).read_bytes() for url, path in contexts.items()}
    original_init = requests.Session.__init__

    def init_with_offline_adapter(self: requests.Session, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        adapter = OfflineAdapter(documents)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    requests.Session.__init__ = init_with_offline_adapter  # type: ignore[method-assign]
    socket.getaddrinfo = _loopback_only_getaddrinfo


class _NamedBytesIO(io.BytesIO):
    """A file-like baked image; the validator reads ``.name`` on some error paths."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


def _exception_result(badge_input: Any) -> dict[str, Any]:
    message = {
        "name": EXCEPTION_MESSAGE_NAME,
        "success": False,
        "result": traceback.format_exc(),
        "messageLevel": "ERROR",
    }
    report = {"valid": False, "errorCount": 1, "warningCount": 0, "messages": [message]}
    return {"graph": [], "input": {"value": badge_input}, "report": report}


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, set | tuple):
        return list(value)
    return repr(value)


def main() -> int:
    request = json.load(sys.stdin)
    install_offline_transport(request["contexts"])

    # Imported only now, so that every session the validator creates gets the offline adapter.
    from openbadges.verifier import verify
    from openbadges.verifier.utils import CachableDocumentLoader
    from pyld import jsonld

    jsonld.set_document_loader(CachableDocumentLoader(use_cache=False))

    results = []
    for job in request["jobs"]:
        profile = job.get("recipient_profile")
        badge_input: Any
        if "image_b64" in job:
            badge_input = _NamedBytesIO(base64.b64decode(job["image_b64"]), job.get("name", ""))
            shown_input: Any = job.get("name", "image")
        else:
            badge_input = shown_input = job["text"]
        # Anything the validator prints must not corrupt the JSON on stdout.
        with contextlib.redirect_stdout(sys.stderr):
            try:
                results.append(verify(badge_input, recipient_profile=profile))
            except Exception:
                results.append(_exception_result(shown_input))

    sys.stdout.write(json.dumps(results, default=_json_default))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
