"""Methods: 405 with Allow, OPTIONS, HEAD, unknown paths."""
import socket

import pytest

from conftest import expect, problem


def raw_http(daemon, request_bytes, timeout=5):
    """Send raw bytes, read until the server closes; returns the whole response."""
    with socket.create_connection(("127.0.0.1", daemon.port), timeout=timeout) as s:
        s.sendall(request_bytes)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out
            out += chunk


def split_response(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for l in lines[1:]:
        k, _, v = l.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, body


@pytest.mark.parametrize("method,path,allow", [
    ("DELETE", "/api/v1/schools", "GET, HEAD"),
    ("POST", "/api/v1/schools", "GET, HEAD"),
    ("PATCH", "/api/v1/schools/central", "GET, HEAD, PUT"),
    ("DELETE", "/api/v1/schools/central", "GET, HEAD, PUT"),
    ("POST", "/api/v1/schools/central/years/2025-26", "GET, HEAD, PUT"),
    ("PUT", "/api/v1/tokens", "GET, HEAD, POST"),
    ("GET", "/api/v1/tokens/1/revoke", "POST"),
    ("POST", "/healthz", "GET, HEAD"),
])
def test_405_with_allow(api, method, path, allow):
    r = api.request(method, path, role="finance_director")
    problem(r, 405, "method-not-allowed")
    assert r.headers.get("Allow") == allow, r.headers


def test_405_before_auth(api):
    r = api.delete("/api/v1/schools")
    problem(r, 405)
    assert r.headers.get("Allow") == "GET, HEAD"


@pytest.mark.parametrize("path,allow", [
    ("/api/v1/schools", "GET, HEAD"),
    ("/api/v1/schools/100001", "GET, HEAD, PUT"),
    ("/api/v1/tokens", "GET, HEAD, POST"),
])
def test_options(api, path, allow):
    r = api.options(path)
    assert r.status_code == 204, r.text
    assert r.headers.get("Allow") == allow
    assert r.content == b""


@pytest.mark.parametrize("path", ["/", "/api", "/api/v1", "/api/v1/nothing", "/api/v1/schools/", "/api/v2/schools",
                                  "/api/v1/schools/central/years/2025-26/x", "/healthz/", "/HEALTHZ"])
def test_unknown_path_404(api, path):
    r = api.get(path, role="finance_director")
    p = problem(r, 404, "not-found")
    assert p.get("instance") == path


def test_unknown_method_on_unknown_path(api):
    problem(api.delete("/api/v1/nothing"), 404)


def test_head_of_get_route(api, first_urn):
    # a fresh connection each: see test_head_sends_no_body for why not the shared one
    r = api.head(f"/api/v1/schools/{first_urn}", role="auditor", fresh=True)
    assert r.status_code == 200
    g = api.get(f"/api/v1/schools/{first_urn}", role="auditor")
    assert r.headers.get("ETag") == g.headers.get("ETag")
    assert r.headers.get("Content-Type") == g.headers.get("Content-Type")
    r = api.head(f"/api/v1/schools/{first_urn}", role="auditor", fresh=True,
                 headers={"If-None-Match": g.headers["ETag"]})
    assert r.status_code == 304


# Regression: evhttp 2.1 sends a HEAD reply's body unless the daemon withholds it.
@pytest.mark.parametrize("path,role", [("/healthz", None), ("/api/v1/schools", "auditor"),
                                       ("/api/v1/schools/{first}", "auditor")])
def test_head_sends_no_body(daemon, tokens, first_urn, path, role):
    auth = f"Authorization: Bearer {tokens[role]}\r\n" if role else ""
    path = path.replace("{first}", first_urn)
    raw = raw_http(daemon, f"HEAD {path} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n".encode())
    status, _headers, body = split_response(raw)
    assert status == 200, raw[:500]
    assert body == b"", f"HEAD answered with a body: {body[:200]!r}"


def test_head_then_get_on_one_connection(daemon):
    raw = raw_http(daemon, b"HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                           b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    first, _, rest = raw.partition(b"\r\n\r\n")
    assert first.startswith(b"HTTP/1.1 200"), raw[:300]
    assert rest.startswith(b"HTTP/1.1 200"), f"after the HEAD response: {rest[:200]!r}"


def test_head_needs_auth_too(api):
    r = api.head("/api/v1/schools", fresh=True)
    assert r.status_code == 401
    assert r.headers.get("WWW-Authenticate", "").startswith("Bearer")


def test_keep_alive_survives_errors(api):
    """Several requests, errors among them, on one connection."""
    s = api.session
    for _ in range(3):
        assert s.get(api.base + "/healthz").status_code == 200
        assert s.get(api.base + "/api/v1/nothing").status_code == 404
        assert s.delete(api.base + "/api/v1/schools").status_code == 405
        assert s.put(api.base + "/api/v1/schools/central", data=b"{", headers={"Content-Type": "application/json"}).status_code == 401


def test_malformed_query_string(api):
    r = api.get("/api/v1/accounts?limit=%zz", role="auditor")
    assert r.status_code in (400, 422), r.text
    problem(r, r.status_code)


def test_json_replies_are_utf8_json(api):
    r = api.get("/api/v1/schools", role="auditor")
    expect(r, 200)
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert r.headers.get("Cache-Control", "").startswith("private")


@pytest.mark.parametrize("method", ["TRACE"])
def test_unsupported_method_405(daemon, method):
    raw = raw_http(daemon, f"{method} /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    status, headers, _body = split_response(raw)
    assert status == 405, raw[:300]
    assert headers.get("content-type", "").startswith("application/problem+json")


def test_unsupported_method_405_has_allow(daemon):
    raw = raw_http(daemon, b"TRACE /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status, headers, _body = split_response(raw)
    assert status == 405
    assert headers.get("allow") == "GET, HEAD", headers
