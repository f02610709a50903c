"""Tests against the local test cluster (etc/cluster/cluster.sh): two bursards behind HAProxy on
three Galera nodes. tests/cluster/run.sh (`make test-cluster`) starts the cluster and sets
BURSAR_CLUSTER_ENV (and CLUSTER_ENV) to its DIR/cluster.env; without it these tests are skipped.

Fixtures: `cluster` (the cluster.env as a dict, plus .sh(...) to run cluster.sh on it), `tokens`
({role: token} of the seeded tokens), `b1`, `b2` (a Client on each instance directly), `front`
(a Client on HAProxy), `make_token` (a token created with bursard's command line on instance 1's
config). Standard library + requests + pytest (Debian packages).
"""
import os
import re
import subprocess
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CLUSTER_SH = ROOT / "etc" / "cluster" / "cluster.sh"
BURSARD = ROOT / "daemon" / "bursard"
JSON_CT = "application/json"
PROBLEM_CT = "application/problem+json"


def read_env(path):
    out = {}
    for line in Path(path).read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            k, v = line.split("=", 1)
            out[k.strip()] = v.strip()
    return out


class Cluster(dict):
    """cluster.env's keys, and the script that runs the cluster."""

    def sh(self, *args, timeout=180):
        cp = subprocess.run(["bash", str(CLUSTER_SH), *map(str, args), self["CLUSTER_DIR"]],
                            capture_output=True, text=True, timeout=timeout)
        assert cp.returncode == 0, f"cluster.sh {' '.join(map(str, args))}: {cp.returncode}\n{cp.stderr}"
        return cp.stdout

    def sql(self, node, query):
        """A query on Galera node N as root over its socket, after the cluster's earlier writes."""
        cp = subprocess.run(["mariadb", f"--defaults-file={self[f'DB_NODE_{node}_CNF']}",
                             "--init-command=SET SESSION wsrep_sync_wait = 1", "bursar", "-N", "-B", "-e", query],
                            capture_output=True, timeout=30)
        assert cp.returncode == 0, f"sql {query!r} on node {node}: {cp.stderr.decode(errors='replace')}"
        return cp.stdout.decode("utf-8", errors="backslashreplace")


class Client:
    """Requests against one base URL (an instance, or HAProxy), authenticated by role or token."""

    def __init__(self, base, tokens):
        self.base = base
        self.tokens = tokens
        self.session = requests.Session()

    def request(self, method, path, role=None, token=None, headers=None, **kw):
        h = dict(headers or {})
        if role is not None:
            h["Authorization"] = f"Bearer {self.tokens[role]}"
        elif token is not None:
            h["Authorization"] = f"Bearer {token}"
        kw.setdefault("timeout", 15)
        kw.setdefault("allow_redirects", False)
        return self.session.request(method, self.base + path, headers=h, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def close(self):
        self.session.close()


def describe(r):
    body = r.text if len(r.text) < 2000 else r.text[:2000] + "..."
    return f"{r.request.method} {r.url} -> {r.status_code}\nheaders: {dict(r.headers)}\nbody: {body}"


def expect(r, status, ctype=JSON_CT):
    assert r.status_code == status, describe(r)
    if ctype is None or status in (204, 304) or r.request.method == "HEAD":
        return None
    got = r.headers.get("Content-Type", "")
    assert got.split(";")[0].strip() == ctype, f"Content-Type {got!r}, want {ctype}\n{describe(r)}"
    return r.json()


@pytest.fixture(scope="session")
def cluster():
    path = os.environ.get("BURSAR_CLUSTER_ENV") or os.environ.get("CLUSTER_ENV")
    if not path:
        pytest.skip("no cluster: run with `make test-cluster` (BURSAR_CLUSTER_ENV=DIR/cluster.env)")
    return Cluster(read_env(path))


@pytest.fixture(scope="session")
def tokens(cluster):
    out = {}
    for line in Path(cluster["TOKENS_FILE"]).read_text().splitlines():
        role, tok, _label = line.split("\t")
        out[role] = tok
    return out


@pytest.fixture(scope="session")
def people(cluster):
    out = {}
    for line in Path(cluster["USERS_FILE"]).read_text().splitlines():
        role, email, password = line.split("\t")
        out[role] = (email, password)
    return out


def _client(base, tokens):
    c = Client(base, tokens)
    yield c
    c.close()


@pytest.fixture
def b1(cluster, tokens):
    yield from _client(cluster["BURSARD_1_URL"], tokens)


@pytest.fixture
def b2(cluster, tokens):
    yield from _client(cluster["BURSARD_2_URL"], tokens)


@pytest.fixture
def front(cluster, tokens):
    yield from _client(cluster["CLUSTER_URL"], tokens)


@pytest.fixture(scope="session")
def refresh_s(cluster):
    """The instances' cache.refresh_ms, in seconds."""
    return int(cluster["CACHE_REFRESH_MS"]) / 1000.0


@pytest.fixture(scope="session")
def make_token(cluster):
    """make_token(role, schools=(), label=...) -> (id, token), with `bursard token create` on
    instance 1's configuration (through HAProxy's database front)."""
    counter = [0]

    def create(role, schools=(), label=None):
        counter[0] += 1
        args = [str(BURSARD), "-c", cluster["BURSARD_CONF_1"], "token", "create", "--role", role,
                "--label", label or f"pytest cluster {role} {counter[0]}"]
        for s in schools:
            args += ["--school", s]
        cp = subprocess.run(args, capture_output=True, text=True, timeout=30, cwd=cluster["CLUSTER_DIR"])
        assert cp.returncode == 0, cp.stderr
        m = re.search(r"token (\d+) created", cp.stderr)
        assert m, cp.stderr
        return int(m.group(1)), cp.stdout.strip()
    return create
