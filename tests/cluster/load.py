"""tests/cluster/load.py - a bounded mixed read/write load against one bursard base URL, with a
ledger of every acknowledged write (issue 18; /work/wt/ISSUE18_CONTRACT.md "Load and fault tests").

N client threads run for T seconds against 127.0.0.1 only, each with its own keep-alive session:
- feed reads: GET /api/v1/schools/{urn}/services?year=2026-27 as the school_system token (the
  school-systems feed, a hot cached read);
- budget line PUTs with If-Match: each thread owns one budget (a school and a far year) with one
  line, and PUTs a new amount each time with the ETag the last reply gave (after an error or a
  412 it reads the budget again first);
- idempotent POSTs: a new supplier (its own Companies House number) with an Idempotency-Key; a
  request that got no answer, a 5xx or a 409 "not finished" is sent again with the same key and
  body (as a client should) until answered or the run ends.
Every request carries its own X-Request-Id, so a write's audit row names it. The ledger keeps
every request (kind, start, latency, status or the connection error) and every acknowledged (2xx)
write with what it wrote; verify_api() and verify_db() then check that every acknowledged write is
present exactly once: read back through the API, and straight from a database (any function that
runs SQL: each Galera node's socket). Standard library + requests only.

As a program, against one bursard (`make run`'s, or a test daemon):
    /usr/bin/python3 tests/cluster/load.py --url http://127.0.0.1:8080 --tokens var/dev-tokens \
        --seconds 10 --threads 4 [--mix read=6,line=3,post=1] [--year 2084-85]
"""
import argparse
import collections
import contextlib
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import requests

# tests/api/apiclient.py (read_env), also when this runs as a program
sys.path.append(str(Path(__file__).resolve().parents[1] / "api"))
from apiclient import read_env  # noqa: E402

READ_YEAR = "2026-27"
LINE_CODE = "E19"                       # learning resources: a typed line every entity may have
TIMEOUT = 15                            # a request's timeout (s): above bursard's own deadline


def read_tokens(path):
    """{role: token} from a tokens file (`role<TAB>token[<TAB>label]` lines; spaces also do)."""
    out = {}
    for line in open(path, encoding="utf-8"):
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0]] = parts[1]
    return out


def _loopback(url):
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"load runs against loopback addresses only, not {url}")
    return url.rstrip("/")


class Ledger:
    """Every request and every acknowledged write of one run (thread-safe)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.t0 = time.monotonic()
        self.wall0 = time.time()
        self.requests = []              # (kind, start s, latency s, status int | error name)
        self.lines = {}                 # budget key -> {"urn","year","line","writes": [ack...], "unknown": [...]}
        self.posts = {}                 # idempotency key -> {"crn", "id" | None, "attempts", "statuses"}
        self.end = None

    def now(self):
        return time.monotonic() - self.t0

    def request(self, kind, start, status):
        with self.lock:
            self.requests.append((kind, start, self.now() - start, status))

    # -- figures ---------------------------------------------------------------------------
    def errors(self, since=0.0, until=None):
        """Requests that failed as a client sees it: a connection error, a 5xx, or 409/412 (a
        write that must be read again or replayed). (kind, start, status) in time order."""
        out = [(k, s, st) for k, s, _l, st in self.requests
               if (not isinstance(st, int) or st >= 500 or st in (409, 412)) and s >= since
               and (until is None or s <= until)]
        return sorted(out, key=lambda e: e[1])

    def ok(self, kind=None):
        return [r for r in self.requests if isinstance(r[3], int) and r[3] < 400 and (kind is None or r[0] == kind)]

    def acked_lines(self):
        return sum(len(b["writes"]) for b in self.lines.values())

    def acked_posts(self):
        return sum(1 for p in self.posts.values() if p["id"] is not None)

    def summary(self, title, duration=None):
        """A block of `key: value` lines (for the test's output, the note and README)."""
        duration = duration or (self.end if self.end is not None else self.now())
        errs = self.errors()
        by = collections.Counter(str(st) for _k, _s, st in errs)
        lat = sorted(l for _k, _s, l, st in self.requests if isinstance(st, int) and st < 400)
        kinds = collections.Counter(k for k, *_ in self.ok())
        out = [f"== {title} ==",
               f"duration_s: {duration:.1f}",
               f"requests: {len(self.requests)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))} ok)",
               f"throughput_rps: {len(self.ok()) / duration:.1f}" if duration > 0 else "throughput_rps: -",
               f"latency_ms p50/p99: {pct(lat, 50) * 1000:.1f}/{pct(lat, 99) * 1000:.1f}" if lat else "latency_ms: -",
               f"acknowledged writes: {self.acked_lines()} line PUTs, {self.acked_posts()} POSTs",
               f"unacknowledged POST keys: {sum(1 for p in self.posts.values() if p['id'] is None)}",
               f"client-visible errors: {len(errs)}" + (f" ({', '.join(f'{k}: {n}' for k, n in by.most_common())})"
                                                        if errs else "")]
        if errs:
            out.append(f"errors first/last at s: {errs[0][1]:.2f} / {errs[-1][1]:.2f} "
                       f"(span {errs[-1][1] - errs[0][1]:.2f} s)")
        return "\n".join(out)


def pct(sorted_values, p):
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p / 100))]


class Load:
    """One run: setup() makes each thread's budget (through base), run() loads for `seconds`.

    mix: {"read": w, "line": w, "post": w} weights. year: the far academic year whose budgets the
    threads own (one school each; more threads than schools take the next years). people: a list
    of {role: token}, thread i's requests made with people[i % len(people)] (HAProxy sends one
    person to one instance: Cluster.people spreads them over both); else every thread uses tokens."""

    def __init__(self, base, tokens, threads=4, seconds=10.0, mix=None, year="2084-85", tag=None, seed=None,
                 people=None):
        self.base = _loopback(base)
        self.tokens = tokens
        self.people = people or [tokens]
        self.local = threading.local()          # .tokens: the person the current thread is
        self.threads = threads
        self.seconds = seconds
        self.mix = mix or {"read": 6, "line": 3, "post": 1}
        self.year = int(year[:4])
        self.tag = tag or uuid.uuid4().hex[:8]
        self.rng = random.Random(seed)
        self.ledger = Ledger()
        self.crn_base = self.rng.randrange(10 ** 7, 9 * 10 ** 7)
        self.crn_seq = 0
        self.seq_lock = threading.Lock()
        self.stop = threading.Event()
        self.urns = None
        self.feed_urn = None
        self.budgets = []

    # -- HTTP ---------------------------------------------------------------------------
    def _h(self, role, rid, extra=None):
        tokens = getattr(self.local, "tokens", self.tokens)
        h = {"Authorization": f"Bearer {tokens[role]}", "X-Request-Id": rid}
        h.update(extra or {})
        return h

    def _rid(self, kind):
        return f"load-{self.tag}-{kind}-{uuid.uuid4().hex[:12]}"

    def _send(self, s, kind, method, path, role, headers=None, **kw):
        """One request; recorded. Returns (response | None, request id)."""
        rid = self._rid(kind)
        start = self.ledger.now()
        try:
            r = s.request(method, self.base + path, headers=self._h(role, rid, headers), timeout=TIMEOUT,
                          allow_redirects=False, **kw)
        except requests.RequestException as e:
            self.ledger.request(kind, start, type(e).__name__)
            return None, rid
        self.ledger.request(kind, start, r.status_code)
        return r, rid

    # -- set-up: a budget per thread (idempotent: a later run reuses it) -----------------
    def setup(self):
        s = requests.Session()
        r = s.get(self.base + "/api/v1/schools", headers=self._h("finance_director", self._rid("setup")),
                  params={"limit": 1000}, timeout=TIMEOUT)
        r.raise_for_status()
        self.urns = sorted(x["urn"] for x in r.json()["items"] if x["urn"] != "central")
        me = s.get(self.base + "/api/v1/me", headers=self._h("school_system", self._rid("setup")), timeout=TIMEOUT)
        me.raise_for_status()
        body = me.json()
        schools = body.get("schools") or [body.get("school")]
        self.feed_urn = schools[0] if isinstance(schools[0], str) else schools[0]["urn"]
        for i in range(self.threads):
            urn = self.urns[i % len(self.urns)]
            y = self.year + i // len(self.urns)
            self.budgets.append(self._own_budget(s, urn, f"{y}-{(y + 1) % 100:02d}"))
        s.close()

    def _own_budget(self, s, urn, year):
        url = f"/api/v1/schools/{urn}/budgets/{year}"
        h = self._h("finance_director", self._rid("setup"))
        r = s.get(self.base + url, headers=h, timeout=TIMEOUT)
        if r.status_code == 404:
            r = s.put(self.base + url, headers=h, timeout=TIMEOUT,
                      json={"lines": [{"account_code": LINE_CODE, "amount_pence": 1, "description": "load"}]})
            if r.status_code != 201:
                raise RuntimeError(f"PUT {url}: {r.status_code} {r.text[:300]}")
        elif r.status_code != 200:
            raise RuntimeError(f"GET {url}: {r.status_code} {r.text[:300]}")
        b = r.json()
        line = [l for l in b["lines"] if l.get("id") is not None and l["account_code"] == LINE_CODE
                and l["description"] == "load"]
        if not line:                                     # a budget someone else made: add the line
            r = s.post(self.base + url + "/lines", headers={**h, "If-Match": r.headers["ETag"]}, timeout=TIMEOUT,
                       json={"account_code": LINE_CODE, "amount_pence": 1, "description": "load"})
            if r.status_code != 201:
                raise RuntimeError(f"POST {url}/lines: {r.status_code} {r.text[:300]}")
            r = s.get(self.base + url, headers=h, timeout=TIMEOUT)
            b = r.json()
            line = [l for l in b["lines"] if l.get("id") is not None and l["account_code"] == LINE_CODE
                    and l["description"] == "load"]
        key = f"{urn}/{year}"
        self.ledger.lines[key] = {"urn": urn, "year": year, "line": line[0]["id"], "writes": [], "unknown": [],
                                  "version0": b["version"]}
        return {"key": key, "url": url, "line": line[0]["id"], "etag": r.headers["ETag"],
                "amount": line[0]["amount_pence"]}

    # -- the operations -------------------------------------------------------------------
    def _read(self, s, _st):
        self._send(s, "read", "GET", f"/api/v1/schools/{self.feed_urn}/services", "school_system",
                   params={"year": READ_YEAR})

    def _refresh(self, s, b):
        r, _ = self._send(s, "line-get", "GET", b["url"], "finance_director")
        if r is not None and r.status_code == 200:
            b["etag"] = r.headers["ETag"]
            return True
        b["etag"] = None
        return False

    def _line(self, s, st):
        b = st["budget"]
        if b["etag"] is None and not self._refresh(s, b):
            return
        b["amount"] = b["amount"] % 10 ** 9 + 1
        amount = b["amount"]
        r, rid = self._send(s, "line", "PUT", f"{b['url']}/lines/{b['line']}", "finance_director",
                            headers={"If-Match": b["etag"]},
                            json={"account_code": LINE_CODE, "amount_pence": amount, "description": "load"})
        entry = {"rid": rid, "amount": amount, "at": self.ledger.now()}
        if r is not None and r.status_code == 200:
            entry["version"] = r.json()["budget_version"]
            b["etag"] = r.headers["ETag"]
            with self.ledger.lock:
                self.ledger.lines[b["key"]]["writes"].append(entry)
            return
        with self.ledger.lock:
            self.ledger.lines[b["key"]]["unknown"].append(entry)
        b["etag"] = None                                 # read again before the next write

    def _post(self, s, st):
        with self.seq_lock:
            self.crn_seq += 1
            crn = f"{(self.crn_base + self.crn_seq * 7919) % 10 ** 8:08d}"
        key = f"load-{self.tag}-{crn}"
        body = {"name": f"Load {self.tag} {crn} Ltd", "companies_house_number": crn}
        entry = {"crn": crn, "id": None, "attempts": 0, "statuses": []}
        with self.ledger.lock:
            self.ledger.posts[key] = entry
        while not self.stop.is_set():
            entry["attempts"] += 1
            r, _ = self._send(s, "post", "POST", "/api/v1/suppliers", "finance_director",
                              headers={"Idempotency-Key": key}, json=body)
            entry["statuses"].append(r.status_code if r is not None else "conn")
            if r is not None and r.status_code in (200, 201):
                entry["id"] = r.json()["id"]
                return
            if r is not None and r.status_code < 500 and r.status_code != 409:
                return                                   # a refusal: nothing to replay
            if r is None:
                s.close()
            time.sleep(0.05 * min(entry["attempts"], 10))

    # -- the run ----------------------------------------------------------------------------
    def _worker(self, i, deadline):
        s = requests.Session()
        self.local.tokens = self.people[i % len(self.people)]
        st = {"budget": self.budgets[i]}
        ops = [(self._read, self.mix.get("read", 0)), (self._line, self.mix.get("line", 0)),
               (self._post, self.mix.get("post", 0))]
        ops = [(f, w) for f, w in ops if w > 0]
        rng = random.Random(self.rng.random())
        while time.monotonic() < deadline and not self.stop.is_set():
            f = rng.choices([f for f, _ in ops], [w for _, w in ops])[0]
            try:
                f(s, st)
            except requests.RequestException:
                s.close()
                s = requests.Session()
        s.close()

    def run(self):
        """Load for `seconds` (or until stop is set); returns the ledger."""
        if not self.budgets:
            self.setup()
        self.ledger.t0 = time.monotonic()
        deadline = self.ledger.t0 + self.seconds
        ts = [threading.Thread(target=self._worker, args=(i, deadline), daemon=True) for i in range(self.threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(self.seconds + TIMEOUT * 12)
        self.stop.set()
        self.ledger.end = self.ledger.now()
        return self.ledger

    def start(self):
        """run() in a background thread; returns the thread (join it, then read self.ledger)."""
        if not self.budgets:
            self.setup()
        t = threading.Thread(target=self.run, daemon=True)
        t.start()
        return t


# ---------------------------------------------------------------------------
# the checks: every acknowledged write present exactly once
# ---------------------------------------------------------------------------

def verify_api(base, tokens, ledger):
    """Read every acknowledged write back through the API. Returns a list of problems (empty: all
    present): a supplier POST acknowledged with an id reads back with its number; each budget's
    line holds the amount of its last committed write, and the budget's version moved once per
    committed write (acknowledged ones at least)."""
    base = _loopback(base)
    h = {"Authorization": f"Bearer {tokens['finance_director']}"}
    s = requests.Session()
    bad = []
    for key, p in ledger.posts.items():
        if p["id"] is None:
            continue
        r = s.get(f"{base}/api/v1/suppliers/{p['id']}", headers=h, timeout=TIMEOUT)
        if r.status_code != 200 or r.json().get("companies_house_number") != p["crn"]:
            bad.append(f"supplier {p['id']} ({key}): {r.status_code} {r.text[:200]}")
    for key, b in ledger.lines.items():
        r = s.get(f"{base}/api/v1/schools/{b['urn']}/budgets/{b['year']}", headers=h, timeout=TIMEOUT)
        if r.status_code != 200:
            bad.append(f"budget {key}: {r.status_code}")
            continue
        got = r.json()
        line = [l for l in got["lines"] if l.get("id") == b["line"]]
        if not line:
            bad.append(f"budget {key}: line {b['line']} gone")
            continue
        acked = b["writes"]
        moved = got["version"] - b["version0"]
        if moved < len(acked) or moved > len(acked) + len(b["unknown"]):
            bad.append(f"budget {key}: version moved {moved} for {len(acked)} acknowledged and "
                       f"{len(b['unknown'])} unanswered writes")
        if acked and not b["unknown"] and line[0]["amount_pence"] != acked[-1]["amount"]:
            bad.append(f"budget {key}: amount {line[0]['amount_pence']}, last acknowledged {acked[-1]['amount']}")
        if acked and got["version"] < acked[-1]["version"]:
            bad.append(f"budget {key}: version {got['version']} below the last acknowledged {acked[-1]['version']}")
    s.close()
    return bad


def verify_db(run_sql, ledger, db="bursar"):
    """Check the ledger straight against one database (run_sql(query) -> rows as lists of
    strings). Returns a list of problems: every acknowledged line PUT has exactly one audit row
    (by its X-Request-Id) and no unanswered one has two; every acknowledged POST's supplier is
    exactly one row with that id; no key's supplier exists twice; each budget's version moved
    once per committed write (its audit rows)."""
    bad = []
    rids = [w["rid"] for b in ledger.lines.values() for w in b["writes"] + b["unknown"]]
    counts = {}
    for i in range(0, len(rids), 500):
        chunk = rids[i:i + 500]
        q = (f"SELECT request_id, COUNT(*) FROM {db}.audit_log WHERE request_id IN ("
             + ",".join(f"'{r}'" for r in chunk) + ") GROUP BY request_id")
        counts.update({r[0]: int(r[1]) for r in run_sql(q)})
    for key, b in ledger.lines.items():
        for w in b["writes"]:
            if counts.get(w["rid"], 0) != 1:
                bad.append(f"line PUT {w['rid']} acknowledged (version {w['version']}): "
                           f"{counts.get(w['rid'], 0)} audit rows")
        for w in b["unknown"]:
            if counts.get(w["rid"], 0) > 1:
                bad.append(f"line PUT {w['rid']} (unanswered): {counts[w['rid']]} audit rows")
        committed = sum(counts.get(w["rid"], 0) for w in b["writes"] + b["unknown"])
        rows = run_sql(f"SELECT b.version FROM {db}.budgets b JOIN {db}.schools s ON s.id = b.school_id "
                       f"WHERE s.urn = '{b['urn']}' AND b.year = {int(b['year'][:4])}")
        if len(rows) != 1:
            bad.append(f"budget {key}: {len(rows)} rows")
        elif int(rows[0][0]) - b["version0"] != committed:
            bad.append(f"budget {key}: version {rows[0][0]} from {b['version0']}, {committed} committed writes")
        lines = run_sql(f"SELECT amount_pence FROM {db}.budget_lines WHERE id = {int(b['line'])}")
        if len(lines) != 1:
            bad.append(f"budget {key}: line {b['line']}: {len(lines)} rows")
    crns = {p["crn"]: (k, p) for k, p in ledger.posts.items()}
    found = collections.defaultdict(list)
    keys = list(crns)
    for i in range(0, len(keys), 500):
        q = (f"SELECT companies_house_number, id FROM {db}.suppliers WHERE companies_house_number IN ("
             + ",".join(f"'{c}'" for c in keys[i:i + 500]) + ")")
        for crn, sid in run_sql(q):
            found[crn].append(int(sid))
    for crn, (key, p) in crns.items():
        ids = found.get(crn, [])
        if len(ids) > 1:
            bad.append(f"supplier {crn} ({key}) written {len(ids)} times: {ids}")
        if p["id"] is not None and ids != [p["id"]]:
            bad.append(f"supplier {crn} ({key}) acknowledged as {p['id']}, found {ids}")
    return bad


# ---------------------------------------------------------------------------
# the cluster, for the fault tests: etc/cluster/cluster.sh and its cluster.env
# ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
CLUSTER_SH = ROOT / "etc" / "cluster" / "cluster.sh"
OUTPUT = ROOT / "var" / "test-output" / "cluster"


class Cluster:
    """A running test cluster: its cluster.env, cluster.sh's commands, and SQL on each node."""

    def __init__(self, env):
        self.env = env
        self.dir = env["CLUSTER_DIR"]

    def sh(self, *args, timeout=180):
        """cluster.sh ARGS... DIR; returns its seconds. Fails the caller on a non-zero exit."""
        t0 = time.monotonic()
        cp = subprocess.run(["bash", str(CLUSTER_SH), *map(str, args), self.dir], capture_output=True, text=True,
                            timeout=timeout)
        if cp.returncode != 0:
            raise AssertionError(f"cluster.sh {' '.join(map(str, args))} exited {cp.returncode}\n{cp.stdout}{cp.stderr}")
        return time.monotonic() - t0

    def node_sql(self, n, query, timeout=30):
        """Rows of a query run on Galera node n over its own socket (as root), after the
        node has applied every write-set the cluster committed before it (wsrep_sync_wait)."""
        cp = subprocess.run(["mariadb", f"--defaults-file={self.env[f'DB_NODE_{n}_CNF']}", "bursar", "-N", "-B",
                             "-e", "SET SESSION wsrep_sync_wait = 1; " + query],
                            capture_output=True, timeout=timeout)
        if cp.returncode != 0:
            raise AssertionError(f"node {n}: {query[:200]!r}: {cp.stderr.decode(errors='replace')}")
        return [l.split("\t") for l in cp.stdout.decode("utf-8", "backslashreplace").splitlines()]

    def servers(self, backend):
        """{server: (status, sessions now, sessions in all)} of HAProxy's backend ("bursards", "db")."""
        cp = subprocess.run(["bash", str(CLUSTER_SH), "servers", self.dir], capture_output=True, text=True,
                            timeout=30)
        assert cp.returncode == 0, cp.stderr
        return {f[1]: (f[2], int(f[3]), int(f[4])) for f in (l.split() for l in cp.stdout.splitlines())
                if len(f) == 5 and f[0] == backend}

    def haproxy(self, command):
        """A command on HAProxy's admin socket (e.g. "disable server bursards/b1"); its answer."""
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(5)
        s.connect(self.env["HAPROXY_SOCKET"])
        s.sendall(command.encode() + b"\n")
        out = b""
        while chunk := s.recv(65536):
            out += chunk
        s.close()
        return out.decode()

    def node_status(self, n, name):
        rows = self.node_sql(n, f"SHOW GLOBAL STATUS LIKE '{name}'")
        return rows[0][1] if rows else None

    def tokens(self):
        return read_tokens(self.env["TOKENS_FILE"])

    def make_token(self, role, schools=(), label=None):
        """(id, token): a token created with `bursard token create` on instance 1's configuration."""
        args = [str(ROOT / "daemon" / "bursard"), "-c", self.env["BURSARD_CONF_1"], "token", "create",
                "--role", role, "--label", label or f"pytest cluster {role} {uuid.uuid4().hex[:8]}"]
        for s in schools:
            args += ["--school", s]
        cp = subprocess.run(args, capture_output=True, text=True, timeout=30, cwd=self.dir)
        assert cp.returncode == 0, cp.stderr
        m = re.search(r"token (\d+) created", cp.stderr)
        assert m, cp.stderr
        return int(m.group(1)), cp.stdout.strip()

    def served_by(self, token):
        """The instance HAProxy sends this token's requests to ("b1" or "b2": its X-Served-By)."""
        r = requests.get(self.env["CLUSTER_URL"] + "/api/v1/me", headers={"Authorization": f"Bearer {token}"},
                         timeout=TIMEOUT)
        assert r.status_code == 200, (r.status_code, r.text[:300])
        return r.headers["X-Served-By"]

    def people(self, n, roles=("finance_director", "school_system"), schools=()):
        """n people, each {role: token} with a token of their own for each role, person i on
        instance b1 when i is even, b2 when odd (tokens made until HAProxy's hash puts them there;
        school_system tokens for `schools`)."""
        out = []
        for i in range(n):
            want = f"b{i % 2 + 1}"
            person = {}
            for role in roles:
                for _ in range(40):
                    _id, tok = self.make_token(role, schools if role == "school_system" else (),
                                               label=f"load person {i} {role}")
                    if self.served_by(tok) == want:
                        person[role] = tok
                        break
                else:
                    raise AssertionError(f"40 {role} tokens and none sent to {want}")
            out.append(person)
        return out


@contextlib.contextmanager
def cluster_for_tests():
    """The cluster `make test-cluster` started (CLUSTER_ENV: its cluster.env, or CLUSTER_DIR),
    or else one started here (cluster.sh start in a short throwaway directory) and stopped after."""
    path = os.environ.get("CLUSTER_ENV") or (os.environ.get("CLUSTER_DIR") and
                                             os.path.join(os.environ["CLUSTER_DIR"], "cluster.env"))
    if path:
        yield Cluster(read_env(path))
        return
    d = tempfile.mkdtemp(prefix="bc.", dir="/tmp")
    c = Cluster({"CLUSTER_DIR": d})
    try:
        c.sh("start", timeout=240)
        c.env = read_env(os.path.join(d, "cluster.env"))
        yield c
    finally:
        subprocess.run(["bash", str(CLUSTER_SH), "stop", d], capture_output=True, timeout=120)
        subprocess.run(["rm", "-rf", d])


def report(capsys, block):
    """Print a summary block past pytest's capture, and keep it in var/test-output/cluster/."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with open(OUTPUT / "figures.txt", "a", encoding="utf-8") as f:
        f.write(f"# {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n{block}\n\n")
    if capsys is not None:
        with capsys.disabled():
            print("\n" + block, flush=True)
    else:
        print(block, flush=True)


def sleep_until(ledger, t):
    while ledger.now() < t:
        time.sleep(min(0.1, max(0.0, t - ledger.now())))


def fault_figures(ledger, t_fault, t_restart, t_back, grace):
    """What clients saw around a fault at t_fault (s since the load began), healed by a restart
    that began at t_restart and ended at t_back: (block lines, errors after t_back + grace)."""
    errs = ledger.errors()
    during = [e for e in errs if e[1] >= t_fault - 0.5]
    outage = [e for e in during if e[1] < t_restart]
    by = collections.Counter(str(st) for _k, _s, st in during)
    writes = sorted((s, s + l) for k, s, l, st in ledger.requests
                    if k in ("line", "post") and isinstance(st, int) and 200 <= st < 300)
    last_err = max((e[1] for e in outage), default=t_fault)
    first_ok = next((end for s, end in writes if s >= last_err and s >= t_fault), None)
    reads = [(s, s + l) for k, s, l, st in ledger.requests if k == "read" and isinstance(st, int) and st < 400]
    first_read = next((end for s, end in sorted(reads) if s >= last_err and s >= t_fault), None)
    lines = [f"client-visible errors from the fault on: {len(during)}"
             + (f" ({', '.join(f'{k}: {n}' for k, n in by.most_common())})" if during else ""),
             f"  before the restart: {len(outage)}, during/after it: {len(during) - len(outage)}"]
    if during:
        lines.append(f"  first/last at +{during[0][1] - t_fault:.2f} s / +{during[-1][1] - t_fault:.2f} s after the "
                     f"kill (span {during[-1][1] - during[0][1]:.2f} s)")
    lines.append(f"writes succeed again: +{first_ok - t_fault:.2f} s after the kill" if first_ok is not None
                 else "writes succeed again: never (during the run)")
    lines.append(f"reads succeed again: +{first_read - t_fault:.2f} s after the kill" if first_read is not None
                 else "reads succeed again: never (during the run)")
    late = [e for e in errs if e[1] > t_back + grace]
    return lines, late


ALLOWED_FAULT_STATUSES = {502, 503, 504, 409, 412}   # HAProxy's, bursard's 503, replays, re-reads


def parse_mix(text):
    out = {}
    for part in text.split(","):
        k, _, v = part.partition("=")
        out[k.strip()] = int(v)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--tokens", required=True, help="a tokens file: role token [label] lines")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--mix", default="read=6,line=3,post=1")
    ap.add_argument("--year", default="2084-85")
    a = ap.parse_args(argv)
    tokens = read_tokens(a.tokens)
    load = Load(a.url, tokens, threads=a.threads, seconds=a.seconds, mix=parse_mix(a.mix), year=a.year)
    ledger = load.run()
    print(ledger.summary(f"load {a.url} {a.threads} threads {a.mix}"))
    bad = verify_api(a.url, tokens, ledger)
    print(f"read back through the API: {'all acknowledged writes present' if not bad else bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
