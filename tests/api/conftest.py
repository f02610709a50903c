"""Black-box API tests: a real bursard on a free loopback port against the
throwaway project-local MariaDB that tests/run.sh starts.

Environment (set by tests/run.sh, i.e. `make api` / `make test`):
  BURSAR_TEST_DIR  throwaway directory; the MariaDB lives in $BURSAR_TEST_DIR/db
  BURSAR_ROOT      the repository root (daemon/bursard, schema/, etc/)
  BURSAR_TEST_WORKERS  http.workers of the daemons the tests start (default 2;
                   `make tsan` runs with 3)

The session daemon writes to $BURSAR_TEST_DIR/bursard.log; when a test fails,
the lines it logged during that test are added to the report.
Every response a test receives through requests (any Session, requests.get
and so on) is checked against daemon/openapi.json (tests/api/contract.py): a
status, Content-Type or body the document does not allow fails the test.
Standard library + requests + pytest + jsonschema only (Debian packages; no pip).

Cluster mode (`make test-cluster`, tests/cluster/run.sh): with BURSAR_CLUSTER_ENV set to a
running cluster's DIR/cluster.env (etc/cluster/cluster.sh), the session's daemon is the cluster:
its URL is CLUSTER_URL (HAProxy in front of two bursards), its tokens and people the cluster's
files (seeded once by cluster.sh), the database the tests read directly Galera node 1 (reads
wait for the cluster's earlier writes: wsrep_sync_wait), and a daemon a test starts with its own
configuration connects to node 1's socket. The few tests that cannot run there are skipped
with their reason (CLUSTER_SKIPS below). HAProxy sends each person (token, session) to one
instance; a test that reads as another person what one person has just written waits
CLUSTER_READ_BOUND_S first (before_another_person_reads): that person may be on the other one.
"""
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from apiclient import JSON_CT, PROBLEM_CT, Api, describe, expect, read_env  # noqa: F401 (the tests import them from here)
from contract import Contract, ContractError

if "BURSAR_TEST_DIR" not in os.environ or "BURSAR_ROOT" not in os.environ:
    raise pytest.UsageError(
        "tests/api needs BURSAR_TEST_DIR and BURSAR_ROOT: run them with `make api` "
        "(tests/run.sh starts the throwaway MariaDB and sets both)")

ROOT = Path(os.environ["BURSAR_ROOT"]).resolve()
DIR = Path(os.environ["BURSAR_TEST_DIR"]).resolve()
BURSARD = ROOT / "daemon" / "bursard"
LOCALDB = ROOT / "etc" / "localdb.sh"


# cluster mode: None when the tests run against their own bursard (the usual case)
CLUSTER = read_env(os.environ["BURSAR_CLUSTER_ENV"]) if os.environ.get("BURSAR_CLUSTER_ENV") else None
if CLUSTER is None:
    DBDIR = DIR / "db"
    SOCKET = DBDIR / "run" / "mysqld.sock"
    CONF = DIR / "bursard.conf"
    TOKENS_FILE = DIR / "tokens"
    USERS_FILE = DIR / "users"
else:
    DBDIR = Path(CLUSTER["DB_NODE_1_CNF"]).parent
    SOCKET = Path(CLUSTER["DB_NODE_1_SOCKET"])
    CONF = Path(CLUSTER["BURSARD_CONF_1"])
    TOKENS_FILE = Path(CLUSTER["TOKENS_FILE"])
    USERS_FILE = Path(CLUSTER["USERS_FILE"])
# How long a write made as one person may take to show to another person. On one instance: no
# time (a write is seen by every worker at once). Cluster mode: HAProxy sends each person (token or
# session) to one instance, and another person may be on the other one, whose caches revalidate
# against the audit log at most every cache.refresh_ms: that bound, and a margin for the request's
# own way there (README "Operations: several instances on Galera").
CLUSTER_READ_BOUND_S = 0.0 if CLUSTER is None else int(CLUSTER["CACHE_REFRESH_MS"]) / 1000 + 0.1
PEOPLE_ROLES = ("finance_director", "business_manager", "auditor", "admin")
ROLES = ("finance_director", "business_manager", "school_system", "auditor", "admin")
MAX_BODY = 65536
MAX_BUDGET_BODY = 262144                    # a budget PUT's JSON (http.max_budget_body_bytes)
CACHE_REFRESH_MS = 100
TODAY = "2026-11-22"
WORKERS = int(os.environ.get("BURSAR_TEST_WORKERS", "2"))

# Every daemon a test started, so the session can stop leftovers and a failing
# test can show their logs.
_daemons = []


# --------------------------------------------------------------------------
# configuration
# --------------------------------------------------------------------------

def free_port():
    """A free ephemeral loopback port (never 8080)."""
    while True:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        finally:
            s.close()
        if port != 8080:
            return port


# Failed sign-ins from 127.0.0.1 would throttle each other across tests: the session's
# daemon throttles late; tests of the throttle start their own daemon.
SESSION_DEFAULT = "throttle_after = 1000; lock_after = 1000;"


def config_text(port, log_level="info", http_extra="", extra="", procurement_extra="", session=SESSION_DEFAULT):
    """The test configuration (libconfig syntax)."""
    return f"""# written by tests/api/conftest.py
http = {{
  address = "127.0.0.1";
  port = {port};
  workers = {WORKERS};
  max_body_bytes = {MAX_BODY};
  max_csv_body_bytes = 1048576;
  cookie_secure = false;
  max_budget_body_bytes = {MAX_BUDGET_BODY};
{http_extra}}};
session = {{ {session} }};
database = {{
  socket = "{SOCKET}";
  user = "root";
  name = "bursar";
  auto_migrate = true;
}};
paths = {{
  schema = "{ROOT}/schema";
  openapi = "{ROOT}/daemon/openapi.json";
  plugins = "{ROOT}/plugins";
}};
plugins = (
  {{ name = "local"; settings = {{ topslice_bp = 500; }}; }},
  {{ name = "central"; settings = {{ retention_bp = 600; lump_sum_pence = 5000000; need_factor_bp_159905 = 11500; }}; }}
);
procurement = {{ ocds_prefix = "ocds-xxxxxx-bursar"; {procurement_extra}}};
cache = {{ refresh_ms = {CACHE_REFRESH_MS}; }};
clock = {{ today = "{TODAY}"; }};
log = {{ level = "{log_level}"; access = true; }};
{extra}"""


def write_config(path, port, **kw):
    path = Path(path)
    path.write_text(config_text(port, **kw))
    return path


# --------------------------------------------------------------------------
# processes
# --------------------------------------------------------------------------

def run_bursard(*args, conf=CONF, check=True, timeout=30):
    """Run `bursard -c CONF ARGS...` to completion; returns the CompletedProcess."""
    cmd = [str(BURSARD), "-c", str(conf), *map(str, args)]
    cp = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=str(DIR))
    if check and cp.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {cp.returncode}\n"
                             f"stdout:\n{cp.stdout}\nstderr:\n{cp.stderr}")
    return cp


def tail(path, n=60, since=0):
    """The last n lines of a file (only what was written after byte offset since)."""
    try:
        with open(path, "rb") as f:
            f.seek(since)
            data = f.read()
    except OSError as e:
        return f"({path}: {e})"
    lines = data.decode("utf-8", "replace").splitlines()
    return "\n".join(lines[-n:])


class PortTaken(AssertionError):
    """bursard exited at start-up: another process listens on its port."""


class Daemon:
    """One bursard process with its own config file and log file."""

    def __init__(self, name, port=None, conf=None, repick=None, **cfg):
        self.name = name
        self.port = port or free_port()
        self.conf = Path(conf) if conf else DIR / f"{name}.conf"
        self.log = DIR / f"{name}.log"
        self.proc = None
        self.spawned_at = 0  # the log's size when the process started: its own lines follow
        # a port picked here (or said to be repickable) is picked again when another process
        # took it between free_port() and bursard's bind
        self.repick = (port is None) if repick is None else repick
        if conf is None:
            write_config(self.conf, self.port, **cfg)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait=True, timeout=10.0):
        assert self.proc is None or self.proc.poll() is not None, "already running"
        for attempt in range(3):
            self.spawned_at = self.log_size()
            logf = open(self.log, "ab")
            try:
                self.proc = subprocess.Popen([str(BURSARD), "-c", str(self.conf)], stdin=subprocess.DEVNULL,
                                             stdout=logf, stderr=subprocess.STDOUT, cwd=str(DIR))
            finally:
                logf.close()
            _daemons.append(self)
            if not wait:
                return self
            try:
                self.wait_healthy(timeout)
                return self
            except PortTaken:
                if not self.repick or attempt == 2:
                    raise
            # another process (a test's bursard, a browser test's) took the port first
            self.port = free_port()
            self.conf.write_text(re.sub(r"\bport = \d+;", f"port = {self.port};", self.conf.read_text(), count=1))
        return self

    def wait_healthy(self, timeout=10.0):
        """Until GET /healthz is 200 from this process: its own log (since it started) says it
        listens on self.port, so a 200 from another process that holds the port is not taken
        for it. PortTaken when it exited because the port was taken."""
        deadline = time.monotonic() + timeout
        last = None
        mine = re.compile(rf"listening on http://[^/\s]+:{self.port}/")
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                own = self.log_text(self.spawned_at)
                kind = PortTaken if "Address already in use" in own else AssertionError
                raise kind(f"{self.name} exited with {self.proc.returncode} during start-up\n"
                           f"--- {self.log}:\n{tail(self.log, since=self.spawned_at)}")
            try:
                r = requests.get(self.url + "/healthz", timeout=1)
                if r.status_code == 200 and mine.search(self.log_text(self.spawned_at)):
                    return
                last = r.status_code
            except requests.RequestException as e:
                last = e
            time.sleep(0.05)
        raise AssertionError(f"{self.name}: GET /healthz not 200 within {timeout}s (last: {last})\n"
                             f"--- {self.log}:\n{tail(self.log)}")

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def send(self, sig):
        self.proc.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, timeout=15.0):
        """Signal it and wait; returns the exit status (kills it after timeout)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
                raise AssertionError(f"{self.name} did not stop within {timeout}s after {sig!r}\n"
                                     f"--- {self.log}:\n{tail(self.log)}")
        return self.proc.returncode

    def log_text(self, since=0):
        with open(self.log, "rb") as f:
            f.seek(since)
            return f.read().decode("utf-8", "replace")

    def log_size(self):
        try:
            return self.log.stat().st_size
        except OSError:
            return 0

    def wait_log(self, pattern, since=0, timeout=5.0):
        """Wait until the log (after byte offset since) matches the regex; returns the match."""
        deadline = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.log_text(since))
            if m or time.monotonic() >= deadline:
                return m
            time.sleep(0.05)


# --------------------------------------------------------------------------
# the database
# --------------------------------------------------------------------------

# cluster mode: a read on node 1 waits until node 1 has applied every write the cluster
# committed before it (a write through HAProxy may have gone to another node)
SQL_CLUSTER_ARGS = () if CLUSTER is None else ("--init-command=SET SESSION wsrep_sync_wait = 1",)


def sql(query):
    """Run a query with the mariadb client; returns its tab-separated output (no header)."""
    cp = subprocess.run(["mariadb", f"--defaults-file={DBDIR / 'my.cnf'}", *SQL_CLUSTER_ARGS, "bursar", "-N", "-B",
                         "-e", query], capture_output=True, timeout=30)
    if cp.returncode != 0:
        raise AssertionError(f"sql {query!r} failed ({cp.returncode}): {cp.stderr.decode(errors='replace')}")
    return cp.stdout.decode("utf-8", errors="backslashreplace")


def before_another_person_reads():
    """Called before a read as another role (another person) than the write it checks: waits
    CLUSTER_READ_BOUND_S, in cluster mode only."""
    if CLUSTER_READ_BOUND_S:
        time.sleep(CLUSTER_READ_BOUND_S)


def sql_rows(query):
    """The rows of a query as lists of strings ("NULL" for NULL)."""
    return [line.split("\t") for line in sql(query).splitlines()]


def sql_value(query):
    rows = sql_rows(query)
    assert len(rows) == 1 and len(rows[0]) == 1, f"{query!r} gave {rows!r}"
    return rows[0][0]


def audit_max():
    return int(sql_value("SELECT COALESCE(MAX(id), 0) FROM audit_log"))


def audit_added(a0):
    """The audit rows written since audit_max() was a0 (ids need not be consecutive: Galera's
    nodes interleave auto-increment values)."""
    return int(sql_value(f"SELECT COUNT(*) FROM audit_log WHERE id > {a0}"))


@contextlib.contextmanager
def unchanged(*queries):
    """Assert that the queries' results and the audit log are the same after the block
    (for rejected writes)."""
    before = [sql(q) for q in queries]
    a0 = audit_max()
    yield
    for q, b in zip(queries, before):
        assert sql(q) == b, f"the database changed: {q}"
    assert audit_max() == a0, "an audit row was added"


def localdb(cmd):
    """etc/localdb.sh start|stop|status on the test database."""
    env = dict(os.environ, LOCALDB_THROWAWAY="1")
    return subprocess.run(["bash", str(LOCALDB), cmd, str(DBDIR)], capture_output=True, text=True,
                          timeout=60, env=env)


# --------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------

CONTRACT = Contract(json.loads((ROOT / "daemon" / "openapi.json").read_text()))

# The contract failures seen during the current test (also from its threads,
# where an exception might be swallowed): the test fails at teardown if its
# body did not fail already.
_contract_errors = []
_session_request = requests.Session.request
_contract_stats = {"responses": 0, "seconds": 0.0}


def check_contract(r):
    """Check a response against daemon/openapi.json; raises ContractError."""
    t0 = time.perf_counter()
    try:
        CONTRACT.check(r.request.method, urlsplit(r.request.url).path, r.status_code,
                       r.headers.get("Content-Type"), r.content)
    except ContractError as e:
        msg = f"{e}\n{describe(r)}"
        _contract_errors.append(msg)
        raise ContractError(msg) from None
    finally:
        _contract_stats["responses"] += 1
        _contract_stats["seconds"] += time.perf_counter() - t0


def _checked_request(self, method, url, *args, **kw):
    r = _session_request(self, method, url, *args, **kw)
    if not kw.get("stream"):
        check_contract(r)
    return r


requests.Session.request = _checked_request


def problem(r, status, slug=None, fields=None):
    """Assert an RFC 9457 problem reply; returns it. fields: the error pointers expected
    among errors[].field (a subset check)."""
    p = expect(r, status, PROBLEM_CT)
    assert isinstance(p, dict), describe(r)
    for k in ("type", "title", "status", "detail"):
        assert k in p, f"problem without {k}\n{describe(r)}"
    assert p["status"] == status, describe(r)
    assert p["type"].startswith("/problems/"), describe(r)
    if slug is not None:
        assert p["type"] == f"/problems/{slug}", describe(r)
    if fields is not None:
        got = [e.get("field") for e in p.get("errors", [])]
        for f in fields:
            assert f in got, f"no error for {f} (got {got})\n{describe(r)}"
    return p


def error_fields(p):
    return [e["field"] for e in p.get("errors", [])]


# --------------------------------------------------------------------------
# session fixtures
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def seeded():
    """Migrate and seed the throwaway database; returns {role: (token, label)}."""
    assert BURSARD.exists(), f"{BURSARD} is not built (make all)"
    if CLUSTER is not None:
        # etc/cluster/cluster.sh migrated and seeded the cluster once, through bursard 1
        return read_tokens()
    if not CONF.exists():
        write_config(CONF, free_port())
    run_bursard("migrate")
    cp = run_bursard("seed", "--tokens", TOKENS_FILE, "--users", USERS_FILE)
    assert TOKENS_FILE.exists(), f"seed wrote no {TOKENS_FILE}\n{cp.stderr}"
    assert USERS_FILE.exists(), f"seed wrote no {USERS_FILE}\n{cp.stderr}"
    return read_tokens()


def read_tokens():
    """The seed's tokens file (role, token, label per line) as {role: (token, label)}."""
    out = {}
    for line in TOKENS_FILE.read_text().splitlines():
        role, tok, label = line.split("\t")
        out[role] = (tok, label)
    assert set(out) == set(ROLES), f"tokens file has roles {sorted(out)}"
    return out


@pytest.fixture(scope="session")
def tokens(seeded):
    """{role: token} for the seeded tokens."""
    return {role: tok for role, (tok, _label) in seeded.items()}


@pytest.fixture(scope="session")
def people(seeded):
    """{role: (email, password)} of the seeded people's accounts (var/dev-users' form)."""
    out = {}
    for line in USERS_FILE.read_text().splitlines():
        role, email, password = line.split("\t")
        out[role] = (email, password)
    assert set(out) == set(PEOPLE_ROLES), f"users file has roles {sorted(out)}"
    return out


class ClusterFront:
    """Cluster mode's session daemon: HAProxy in front of the cluster's bursards (started and
    stopped by etc/cluster/cluster.sh, not by the tests)."""

    name = "cluster"

    def __init__(self, env):
        self.env = env
        self.url = env["CLUSTER_URL"]
        self.port = int(urlsplit(self.url).port)
        self.logs = [Path(env["BURSARD_1_LOG"]), Path(env["BURSARD_2_LOG"])]
        self.log = self.logs[0]

    def running(self):
        for k in ("BURSARD_1_PIDFILE", "BURSARD_2_PIDFILE"):
            try:
                pid = int(Path(self.env[k]).read_text().split()[0])
                os.kill(pid, 0)
            except (OSError, ValueError, IndexError):
                return False
        return True

    def log_size(self):
        return self.log.stat().st_size if self.log.exists() else 0

    def log_text(self, since=0):
        with open(self.log, "rb") as f:
            f.seek(since)
            return f.read().decode("utf-8", "replace")


@pytest.fixture(scope="session")
def daemon(seeded):
    """The session's bursard (log in $BURSAR_TEST_DIR/bursard.log); exits 0 on SIGTERM at the end.
    Cluster mode: the cluster behind HAProxy (ClusterFront)."""
    if CLUSTER is not None:
        yield ClusterFront(CLUSTER)
        for other in _daemons:
            if other.running():
                other.stop(signal.SIGKILL)
        return
    port = int(re.search(r"port = (\d+);", CONF.read_text()).group(1))
    d = Daemon("bursard", port=port, conf=CONF, repick=True)
    d.start()
    yield d
    rc = d.stop()
    for other in _daemons:
        if other is not d and other.running():
            other.stop(signal.SIGKILL)
    assert rc == 0, f"the session bursard exited {rc} on SIGTERM\n{tail(d.log)}"


@pytest.fixture(scope="session")
def api(daemon, tokens):
    a = Api(daemon.url, tokens)
    yield a
    a.session.close()


@pytest.fixture(scope="session")
def first_urn(seeded):
    """The school the seeded business_manager and school_system tokens are for."""
    return sql_value("SELECT urn FROM schools WHERE kind = 'school' ORDER BY urn LIMIT 1")


@pytest.fixture(scope="session")
def school_urns(seeded):
    """Every school's URN (not central), in order."""
    return [r[0] for r in sql_rows("SELECT urn FROM schools WHERE kind = 'school' ORDER BY urn")]


@pytest.fixture(scope="session")
def token_ids(seeded):
    """{role: token id} of the seeded tokens (by label)."""
    out = {}
    for role, (_tok, label) in seeded.items():
        out[role] = int(sql_value(
            f"SELECT id FROM api_tokens WHERE role = '{role}' AND label = '{label}' ORDER BY id LIMIT 1"))
    return out


@pytest.fixture(scope="session")
def cli(seeded):
    """cli("token", "list") runs bursard with the test config; check=False to allow failure."""
    def run(*args, check=True, conf=CONF, timeout=30):
        return run_bursard(*args, conf=conf, check=check, timeout=timeout)
    return run


@pytest.fixture(scope="session")
def make_token(cli):
    """make_token(role, schools=(), label=...) -> (id, token), created with `bursard token create`."""
    counter = [0]

    def create(role, schools=(), label=None):
        counter[0] += 1
        args = ["token", "create", "--role", role, "--label", label or f"pytest {role} {counter[0]}"]
        for s in schools:
            args += ["--school", s]
        cp = cli(*args)
        tok = cp.stdout.strip()
        assert re.fullmatch(r"\S{20,}", tok), f"token create printed {cp.stdout!r}"
        m = re.search(r"token (\d+) created", cp.stderr)
        assert m, f"token create said {cp.stderr!r}"
        return int(m.group(1)), tok
    return create


@pytest.fixture
def spawn(seeded):
    """spawn(name, **config) -> a started extra Daemon on its own free port (stopped
    with SIGKILL at the end of the test if still running)."""
    started = []

    def start(name, wait=True, **cfg):
        d = Daemon(name, **cfg)
        started.append(d)
        return d.start(wait=wait)
    yield start
    for d in started:
        if d.running():
            d.stop(signal.SIGKILL)


@pytest.fixture
def db_control():
    """stop()/start() the test MariaDB; always started again at the end of the test."""
    if CLUSTER is not None:
        pytest.skip("cluster mode: the whole database is not stopped under the cluster "
                    "(a Galera node killed and restarted under load: tests/cluster/fault_*.py)")

    class Ctl:
        def stop(self):
            cp = localdb("stop")
            assert cp.returncode == 0, f"localdb stop: {cp.stdout}{cp.stderr}"

        def start(self):
            cp = localdb("start")
            assert cp.returncode == 0, f"localdb start: {cp.stdout}{cp.stderr}"
    ctl = Ctl()
    try:
        yield ctl
    finally:
        ctl.start()


# Cluster mode: the tests that cannot run through HAProxy, with the reason (pytest shows it).
CLUSTER_SKIPS = {
    "test_ops.py::test_metrics_count_requests_by_route_and_status":
        "cluster mode: /metrics counts one instance's requests; HAProxy spreads them over two",
    "test_ops.py::test_metrics_count_errors_with_their_status":
        "cluster mode: /metrics counts one instance's requests; HAProxy spreads them over two",
    "test_forecasts.py::test_metrics_count_forecasts":
        "cluster mode: /metrics counts one instance's forecasts, and HAProxy sends a request without "
        "a token or session to either instance",
    "test_galera_rules.py::test_a_deadlock_victims_transaction_is_rerun_and_succeeds_once":
        "cluster mode: it reads the log of the instance that served the request, and HAProxy chooses "
        "one of two (the re-run itself is the same code on one instance)",
}


def pytest_collection_modifyitems(config, items):
    if CLUSTER is None:
        return
    for item in items:
        key = f"{Path(str(item.fspath)).name}::{item.originalname}"
        if key in CLUSTER_SKIPS:
            item.add_marker(pytest.mark.skip(reason=CLUSTER_SKIPS[key]))


# --------------------------------------------------------------------------
# debugging help: the daemon logs of a failing test go into its report
# --------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _log_marks(request):
    request.node._bursar_log_marks = {d.log: d.log_size() for d in _daemons}
    if CLUSTER is not None:
        for k in ("BURSARD_1_LOG", "BURSARD_2_LOG"):
            log = Path(CLUSTER[k])
            request.node._bursar_log_marks[log] = log.stat().st_size if log.exists() else 0
    request.node._bursar_log_marks.setdefault(DIR / "bursard.log",
                                              (DIR / "bursard.log").stat().st_size
                                              if (DIR / "bursard.log").exists() else 0)
    yield


@pytest.fixture(autouse=True)
def _contract(request):
    """Fail a test that received a response openapi.json does not allow, even
    if the ContractError was raised in a thread or caught."""
    _contract_errors.clear()
    yield
    errors = list(_contract_errors)
    _contract_errors.clear()
    if errors and not getattr(request.node, "_bursar_call_failed", False):
        pytest.fail("responses not as daemon/openapi.json documents them:\n" + "\n".join(errors),
                    pytrace=False)


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"{_contract_stats['responses']} responses checked against openapi.json "
                                f"in {_contract_stats['seconds']:.1f}s")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call":
        item._bursar_call_failed = rep.failed
    if rep.when != "call" or not rep.failed:
        return
    marks = getattr(item, "_bursar_log_marks", {})
    logs = {d.log for d in _daemons} | set(marks)
    for log in sorted(logs):
        if Path(log).exists():
            rep.sections.append((f"{Path(log).name} during the test",
                                 tail(log, 80, marks.get(log, 0)) or "(nothing)"))


def publish_run(api, run_id):
    """Publish forecast run run_id (a run starts a draft, which business managers do not see:
    issue 15); returns its head. Already published: left as it is."""
    r = api.get(f"/api/v1/forecasts/{run_id}", role="finance_director", params={"lines": "false"})
    head = expect(r, 200)
    if head["status"] == "published":
        return head
    return expect(api.post(f"/api/v1/forecasts/{run_id}/transitions", role="finance_director",
                           json={"action": "publish"}, headers={"If-Match": r.headers["ETag"]}), 200)


@pytest.fixture(scope="module")
def cpi_flat(api):
    """cpi at 0% in the index history for 2027-28 .. 2060-61, restored afterwards. An entered
    service cost is this academic year's, raised by cpi in later years (issue 15); tests that use
    far years for their own census keep their hand-worked figures with cpi flat there."""
    r = api.get("/api/v1/indices/cpi", role="finance_director")
    before = expect(r, 200)
    flat = {f"{y}-{(y + 1) % 100:02d}": 0 for y in range(2027, 2061)}
    body = {"description": before["description"], "values": dict(before["values"], **flat), "notes": before["notes"]}
    expect(api.put("/api/v1/indices/cpi", role="finance_director", json=body,
                   headers={"If-Match": r.headers["ETag"]}), 200)
    yield
    r = api.get("/api/v1/indices/cpi", role="finance_director")
    body = {"description": before["description"], "values": before["values"], "notes": before["notes"]}
    expect(api.put("/api/v1/indices/cpi", role="finance_director", json=body,
                   headers={"If-Match": r.headers["ETag"]}), 200)
