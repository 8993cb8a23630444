"""HTTPS keeps the host name (SNI, certificate, Host) while connecting to the checked IP;
the settings build the fetcher, loopback refused unless BADGEFORGE_OUTBOUND_ALLOW_LOOPBACK."""

import datetime
import ssl
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from badgeforge.core.fetching import RefusedAddress, Unreachable
from badgeforge.outbound import OutboundFetcher, fetcher_from_settings
from badgeforge.settings import Settings

from .conftest import PUBLIC_V4, LoopbackOnly, ScriptedDns, Server

HOST = "badges.partner.example"


def self_signed(tmp: Path, name: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class TlsServer:
    def __init__(self, tmp: Path) -> None:
        self.cert, key = self_signed(tmp, HOST)
        self.sni: list[str | None] = []
        self.hosts: list[str] = []
        seen = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.hosts.append(self.headers.get("Host", ""))
                body = b'{"tls": true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, key)

        def remember_sni(sock: ssl.SSLObject, name: str | None, ctx: ssl.SSLContext) -> None:
            seen.sni.append(name)

        context.sni_callback = remember_sni  # type: ignore[assignment]
        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[TlsServer]:
    running = TlsServer(tmp_path)
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


class TestHttps:
    def test_sni_certificate_and_host_keep_the_name(
        self,
        tls_server: TlsServer,
        network: LoopbackOnly,
        make_fetcher: Callable[..., OutboundFetcher],
    ) -> None:
        trust = ssl.create_default_context(cafile=str(tls_server.cert))
        dns = ScriptedDns({HOST: [[PUBLIC_V4]]})
        fetcher = make_fetcher(resolver=dns, ssl_context=trust)
        fetched = fetcher.get(f"https://{HOST}:{tls_server.port}/key", accept="application/json")
        assert fetched.body == b'{"tls": true}'
        assert network.connected == [PUBLIC_V4]  # the checked address, not the name
        assert tls_server.sni == [HOST]
        assert tls_server.hosts == [f"{HOST}:{tls_server.port}"]

    def test_certificate_for_another_name_is_refused(
        self, tls_server: TlsServer, make_fetcher: Callable[..., OutboundFetcher]
    ) -> None:
        trust = ssl.create_default_context(cafile=str(tls_server.cert))
        dns = ScriptedDns({"impostor.example": [[PUBLIC_V4]]})
        fetcher = make_fetcher(resolver=dns, ssl_context=trust)
        with pytest.raises(Unreachable, match="certificate"):
            fetcher.get(f"https://impostor.example:{tls_server.port}/", accept="application/json")
        assert tls_server.hosts == []


class TestSettings:
    def test_loopback_refused_by_default(self, server: Server) -> None:
        settings = Settings(_env_file=None)  # type: ignore[call-arg]
        assert settings.outbound_allow_loopback is False
        fetcher = fetcher_from_settings(settings)
        with pytest.raises(RefusedAddress):
            fetcher.get(server.url("/json"), accept="application/json")

    def test_environment_allows_loopback(
        self, server: Server, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("BADGEFORGE_OUTBOUND_ALLOW_LOOPBACK", "true")
        fetcher = fetcher_from_settings(Settings(_env_file=None))  # type: ignore[call-arg]
        assert fetcher.backend.allow_loopback is True
        assert fetcher.get(server.url("/json"), accept="application/json").status == 200
        with pytest.raises(RefusedAddress, match="private"):
            fetcher.get("http://10.1.2.3/", accept="application/json")

    def test_limits_come_from_settings(self) -> None:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            outbound_max_bytes=1234,
            outbound_max_redirects=2,
            outbound_total_timeout_seconds=3,
            outbound_cache_entries=0,
        )
        fetcher = fetcher_from_settings(settings)
        assert (fetcher.max_bytes, fetcher.max_redirects, fetcher.total_timeout) == (1234, 2, 3)
        assert fetcher.cache is None
        assert fetcher_from_settings(Settings(_env_file=None)).cache is not None  # type: ignore[call-arg]

    @pytest.mark.parametrize("redirects", [-1, 6])
    def test_redirects_cannot_exceed_five(self, redirects: int) -> None:
        with pytest.raises(ValueError, match="outbound_max_redirects"):
            Settings(_env_file=None, outbound_max_redirects=redirects)  # type: ignore[call-arg]
