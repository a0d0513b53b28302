"""`tajsec load` against Graph Store endpoints that want credentials or misbehave: a small HTTP
server here checks HTTP Basic and Digest (RFC 7616, MD5, qop=auth) the way Virtuoso does, and
fails in the ways real servers fail. The password must never show in any output."""
from __future__ import annotations

import hashlib
import os
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from tajsec.sparql import remote
from tajsec.cli import main

ROOT = Path(__file__).resolve().parent.parent
USER, PASSWORD = "loader", "s3cret-Pa55"
REALM = "SPARQL"


def _md5(s: str) -> str:
    return hashlib.md5(s.encode()).hexdigest()


class Store(BaseHTTPRequestHandler):
    """A Graph Store endpoint; the class attributes of a subclass say how it behaves."""

    protocol_version = "HTTP/1.1"
    scheme = "digest"  # "digest", "basic" or None (no authentication)
    password = PASSWORD
    failures: list = []  # statuses to answer before succeeding (for the retry test)
    behaviour = "normal"  # "forbidden", "close", "slow"
    nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093"

    def log_message(self, *args):
        pass

    def _reply(self, code: int, headers: dict | None = None, body: bytes = b"") -> None:
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization") or ""
        if self.scheme is None:
            return True
        if self.scheme == "basic":
            import base64

            return header == "Basic " + base64.b64encode(f"{USER}:{self.password}".encode()).decode()
        if not header.startswith("Digest "):
            return False
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header[7:]))
        ha1 = _md5(f"{USER}:{REALM}:{self.password}")
        ha2 = _md5(f"{self.command}:{fields.get('uri')}")
        expected = _md5(f"{ha1}:{self.nonce}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
        return fields.get("username") == USER and fields.get("response") == expected and fields.get("uri") == self.path

    def _handle(self) -> None:
        cls = type(self)
        cls.requests.append((self.command, self.path, bool(self.headers.get("Authorization"))))
        if self.behaviour == "close":
            self.connection.close()
            return
        if self.behaviour == "slow":
            time.sleep(3)
        if not self._authorised():
            challenge = (f'Digest realm="{REALM}", nonce="{self.nonce}", qop="auth", algorithm="MD5"'
                         if self.scheme == "digest" else f'Basic realm="{REALM}"')
            self.close_connection = True  # as Virtuoso does: no reading of the body
            return self._reply(401, {"WWW-Authenticate": challenge, "Connection": "close"})
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.behaviour == "forbidden":
            return self._reply(403, body=b"no write permission on this graph\n")
        if self.command in ("PUT", "POST") and cls.failures:
            return self._reply(cls.failures.pop(0), body=b"try later\n")
        if self.command in ("PUT", "POST"):
            cls.received.append((self.command, body.count(b"\n")))
        self._reply(201 if self.command == "PUT" else 204 if self.command == "POST" else 200)

    do_PUT = do_POST = do_HEAD = _handle


@pytest.fixture
def store():
    """Start a store; returns (url, handler class) — set the class's attributes to shape it."""
    servers = []

    def start(**behaviour):
        handler = type("S", (Store,), {"requests": [], "received": [], **behaviour})
        srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_address[1]}/store", handler

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def _load(url: str, *args: str, password: str | None = PASSWORD, home: Path | None = None):
    env = {"TAJSEC_ROOT": str(ROOT), "TAJSEC_PASSWORD": password}
    if home is not None:
        env["HOME"] = str(home)
    res = CliRunner().invoke(main, ["load", "--endpoint", url, "--graph", "http://example.org/g",
                                    "--chunk", "4000", *args], env=env)
    assert PASSWORD not in res.output and "s3cret" not in res.output
    return res


@pytest.mark.parametrize("scheme", ["digest", "basic"])
def test_credentials_are_sent_from_the_first_chunk(store, scheme):
    url, handler = store(scheme=scheme)
    res = _load(url, "--user", USER)
    assert res.exit_code == 0, res.output
    sent = int(res.output.split()[2])
    assert [m for m, _ in handler.received] == ["PUT"] + ["POST"] * (len(handler.received) - 1)
    assert sum(n for _, n in handler.received) == sent
    # one unauthenticated HEAD learns the scheme; every PUT/POST carries the credentials at once
    writes = [r for r in handler.requests if r[0] in ("PUT", "POST")]
    assert writes and all(authorised for _, _, authorised in writes)
    assert handler.requests[0] == ("HEAD", "/store?graph=http%3A%2F%2Fexample.org%2Fg", False)


def test_wrong_password_is_a_clear_401(store):
    url, handler = store(scheme="digest")
    res = _load(url, "--user", USER, password="wrong")
    assert res.exit_code == 2
    assert "HTTP 401" in res.output and "refused the credentials of user 'loader'" in res.output and url in res.output
    assert not handler.received and "wrong" not in res.output


def test_no_credentials_for_an_endpoint_that_wants_them(store):
    url, _ = store(scheme="basic")
    res = _load(url, password=None)
    assert res.exit_code == 2 and "wants credentials" in res.output and "--user" in res.output


def test_forbidden_is_a_clear_403(store):
    url, _ = store(scheme=None, behaviour="forbidden")
    res = _load(url)
    assert res.exit_code == 2 and "HTTP 403" in res.output and "not allowed" in res.output and url in res.output


def test_5xx_is_retried_with_backoff_then_succeeds(store, monkeypatch):
    monkeypatch.setattr(remote, "BACKOFF", 0.05)
    url, handler = store(scheme=None, failures=[503, 502])
    started = time.monotonic()
    res = _load(url)
    assert res.exit_code == 0, res.output
    assert time.monotonic() - started >= 0.05 + 0.1  # two waits, doubling
    assert handler.received[0][0] == "PUT"


def test_5xx_retries_are_bounded(store, monkeypatch):
    monkeypatch.setattr(remote, "BACKOFF", 0.01)
    url, handler = store(scheme=None, failures=[500] * 10)
    res = _load(url)
    assert res.exit_code == 2 and "HTTP 500" in res.output
    assert len([r for r in handler.requests if r[0] == "PUT"]) == remote.RETRIES


def test_refused_connection_names_the_endpoint():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: connecting is refused
        res = _load(f"http://127.0.0.1:{port}/store")
    assert res.exit_code == 2 and "connection refused" in res.output and f"127.0.0.1:{port}/store" in res.output


def test_timeout_names_the_endpoint(store):
    url, _ = store(scheme=None, behaviour="slow")
    res = _load(url, "--timeout", "1")
    assert res.exit_code == 2 and "no answer within the time-out of 1 s" in res.output and url in res.output


def test_server_closing_the_connection(store):
    url, _ = store(scheme=None, behaviour="close")
    res = _load(url)
    assert res.exit_code == 2 and "closed the connection" in res.output and url in res.output


def test_password_in_the_url_is_refused_without_showing_it(store):
    url, handler = store(scheme=None)
    res = _load(url.replace("http://", f"http://{USER}:{PASSWORD}@"))
    assert res.exit_code == 2 and "--user" in res.output
    assert not handler.requests


def test_password_from_netrc(store, tmp_path):
    url, handler = store(scheme="digest")
    netrc = tmp_path / ".netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} password {PASSWORD}\n")
    netrc.chmod(0o600)
    res = _load(url, "--user", USER, password=None, home=tmp_path)
    assert res.exit_code == 0, res.output
    # and without --user: the .netrc entry for the host is used
    res = _load(url, password=None, home=tmp_path)
    assert res.exit_code == 0, res.output


def test_no_password_without_a_terminal_says_where_to_put_it(store, tmp_path):
    url, _ = store(scheme="digest")
    res = _load(url, "--user", USER, password=None, home=tmp_path)
    assert res.exit_code == 2 and "TAJSEC_PASSWORD" in res.output and ".netrc" in res.output


def test_prompt_hides_the_password(monkeypatch, tmp_path):
    from tajsec.cli import exchange

    asked = {}

    def prompt(text, hide_input=False, err=False):
        asked.update(text=text, hide_input=hide_input, err=err)
        return PASSWORD

    monkeypatch.setattr(exchange.click, "prompt", prompt)
    monkeypatch.setattr(exchange.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("TAJSEC_PASSWORD", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    creds = exchange._credentials("http://127.0.0.1:1/store", USER)
    assert creds.password == PASSWORD and asked["hide_input"] is True and asked["err"] is True
    assert PASSWORD not in repr(creds)
    assert os.environ.get("TAJSEC_PASSWORD") is None
