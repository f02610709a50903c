"""tests/api/apiclient.py - requests against a bursard and the checks of its replies, shared by the API
tests (tests/api/conftest.py re-exports them) and the cluster tests (tests/cluster), which cannot
import tests/api/conftest.py (it needs BURSAR_TEST_DIR and a throwaway database). Imports nothing
of the tests' environment: requests only.
"""
import uuid
from pathlib import Path

import requests

JSON_CT = "application/json"
PROBLEM_CT = "application/problem+json"


def read_env(path):
    """A KEY=value file (a cluster's cluster.env, etc/cluster/cluster.sh) as a dict; # lines skipped."""
    out = {}
    for line in Path(path).read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            k, v = line.split("=", 1)
            out[k.strip()] = v.strip()
    return out


class Api:
    """Requests against one daemon, authenticated as a role (or a raw token).

    api.get("/api/v1/schools", role="auditor", params={...}); body= sends raw
    bytes or text (with json_ct=True sending Content-Type: application/json);
    json= sends a JSON value. fresh=True uses a new connection (another worker,
    maybe)."""

    def __init__(self, base, tokens):
        self.base = base
        self.tokens = tokens
        self.session = requests.Session()

    def url(self, path):
        return path if path.startswith("http") else self.base + path

    def request(self, method, path, role=None, token=None, headers=None, body=None, fresh=False,
                json_ct=True, **kw):
        h = dict(headers or {})
        if role is not None:
            h["Authorization"] = f"Bearer {self.tokens[role]}"
        elif token is not None:
            h["Authorization"] = f"Bearer {token}"
        if body is not None:
            kw["data"] = body.encode() if isinstance(body, str) else body
            if json_ct:
                h.setdefault("Content-Type", JSON_CT)
        kw.setdefault("timeout", 15)
        kw.setdefault("allow_redirects", False)
        if fresh:
            h.setdefault("Connection", "close")
            return requests.request(method, self.url(path), headers=h, **kw)
        return self.session.request(method, self.url(path), headers=h, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def head(self, path, **kw):
        return self.request("HEAD", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def options(self, path, **kw):
        return self.request("OPTIONS", path, **kw)


def describe(r):
    """A response, for assertion messages."""
    body = r.text if len(r.text) < 3000 else r.text[:3000] + "..."
    return f"{r.request.method} {r.url} -> {r.status_code}\nheaders: {dict(r.headers)}\nbody: {body}"


def expect(r, status, ctype=JSON_CT):
    """Assert the status (and the content type's media type); returns the parsed JSON body (or None)."""
    assert r.status_code == status, describe(r)
    if ctype is None or status in (204, 304) or r.request.method == "HEAD":
        return None
    got = r.headers.get("Content-Type", "")
    assert got.split(";")[0].strip() == ctype, f"Content-Type {got!r}, want {ctype}\n{describe(r)}"
    try:
        return r.json()
    except ValueError:
        raise AssertionError(f"not JSON\n{describe(r)}")


def crn():
    """A fresh, valid Companies House number (8 digits)."""
    return f"{uuid.uuid4().int % 10 ** 8:08d}"


def supplier_body(prefix="Pytest Cleaning", **kw):
    """A valid POST /api/v1/suppliers body with a fresh name and number; kw replaces fields."""
    b = {"name": f"{prefix} {uuid.uuid4().hex[:6]} Ltd", "companies_house_number": crn(),
         "vat_number": "GB999999973", "contact_name": "Sam Jones", "contact_email": "sam@example.org",
         "contact_phone": "+44 (0)20 7946 0000", "related_party": False}
    b.update(kw)
    return b
