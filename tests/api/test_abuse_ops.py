"""Hardening, operations side (issue 12, findings 3, 4, 11, 13, 14 (/metrics), 15):
a stalled database, required settings, control characters in logs, what unknown
tokens cost, the ops listener, X-Forwarded-For from trusted proxies only.

Everything runs against 127.0.0.1, is bounded and stops by itself; time bounds are
generous (a loaded 2-CPU machine) and assert only what the design promises: a 503
before the HTTP deadline, not a particular speed.
"""
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import threading
import time
import uuid

import pytest
import requests

from conftest import (BURSARD, DBDIR, SOCKET, WORKERS, config_text, expect, free_port, problem, sql,
                      sql_rows)

HTTP_TIMEOUT_S = 12
RW_TIMEOUT_S = 4
LOCK_WAIT_S = 2


def supplier():
    return {"name": f"Pytest Stall {uuid.uuid4().hex[:6]} Ltd",
            "companies_house_number": f"{uuid.uuid4().int % 10 ** 8:08d}",
            "vat_number": "GB999999973", "contact_name": "Sam Jones", "contact_email": "sam@example.org",
            "contact_phone": "+44 (0)20 7946 0000", "related_party": False}


def mariadb_cmd(*args):
    return ["mariadb", f"--defaults-file={DBDIR / 'my.cnf'}", "bursar", "-N", "-B", *args]


class TableLock:
    """FLUSH TABLES WITH READ LOCK held by a second MariaDB connection (a backup's
    lock) until release() or max_s seconds, whichever comes first."""

    def __init__(self, max_s=40):
        # --unbuffered: each result is written as it comes, not when the client exits
        self.proc = subprocess.Popen(mariadb_cmd("--unbuffered", "-e",
                                                 f"SELECT CONNECTION_ID(); FLUSH TABLES WITH READ LOCK; "
                                                 f"SELECT 'locked'; SELECT SLEEP({max_s})"),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.conn_id = int(self.proc.stdout.readline())
        line = self.proc.stdout.readline()
        assert line.strip() == "locked", f"no lock: {line!r} {self.proc.stderr.read()}"

    def release(self):
        if self.proc.poll() is None:
            sql(f"KILL {self.conn_id}")              # its connection closes: the lock goes
        self.proc.wait(10)


def restart_with(d, *replacements):
    """Restart a spawned daemon with its config edited (groups config_text writes itself)."""
    text = d.conf.read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    d.conf.write_text(text)
    d.stop()
    d.start()


def com_stmt_execute():
    """Prepared statements the server has executed (all sessions)."""
    return int(sql_rows("SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'")[0][1])


# --------------------------------------------------------------------------
# 3. a stalled database
# --------------------------------------------------------------------------

def test_stalled_database_503_before_the_deadline_and_healthz_meanwhile(spawn, tokens):
    """Writes that meet FLUSH TABLES WITH READ LOCK get 503 + Retry-After after
    database.lock_wait_timeout_s, well inside http.timeout_s (the client still
    listens); the ops listener answers /healthz at once meanwhile, and the workers
    are free again afterwards."""
    ops_port = free_port()
    d = spawn("stall", extra=f'ops = {{ address = "127.0.0.1"; port = {ops_port}; }};\n')
    restart_with(d, ('auto_migrate = true;', f'auto_migrate = true;\n  rw_timeout_s = {RW_TIMEOUT_S};\n'
                                             f'  lock_wait_timeout_s = {LOCK_WAIT_S};'),
                 ("max_csv_body_bytes = 1048576;", f"max_csv_body_bytes = 1048576;\n  timeout_s = {HTTP_TIMEOUT_S};"))
    auth = {"Authorization": f"Bearer {tokens['finance_director']}"}
    # every worker has its connection (and the token cached) before the lock
    for _ in range(4 * WORKERS):
        expect(requests.get(d.url + "/api/v1/suppliers", headers=dict(auth, Connection="close"), timeout=10), 200)

    lock = TableLock()
    results = []

    def write():
        t0 = time.monotonic()
        try:
            r = requests.post(d.url + "/api/v1/suppliers", json=supplier(),
                              headers=dict(auth, Connection="close"), timeout=HTTP_TIMEOUT_S + 10)
            results.append((time.monotonic() - t0, r))
        except requests.RequestException as e:
            results.append((time.monotonic() - t0, e))

    try:
        writers = [threading.Thread(target=write) for _ in range(WORKERS)]
        for t in writers:
            t.start()
        time.sleep(0.3)                              # the writes are waiting for the lock now
        health = []
        for _ in range(5):
            t0 = time.monotonic()
            r = requests.get(f"http://127.0.0.1:{ops_port}/healthz", timeout=HTTP_TIMEOUT_S)
            health.append(time.monotonic() - t0)
            assert r.status_code == 200 and r.json() == {"status": "ok"}
        # the API port's /healthz waits at most for a worker's lock wait to end
        api_health = []
        for _ in range(2 * WORKERS):
            t0 = time.monotonic()
            expect(requests.get(d.url + "/healthz", headers={"Connection": "close"}, timeout=HTTP_TIMEOUT_S), 200)
            api_health.append(time.monotonic() - t0)
        for t in writers:
            t.join(HTTP_TIMEOUT_S + 15)
    finally:
        lock.release()
    assert len(results) == WORKERS
    for took, r in results:
        assert not isinstance(r, Exception), f"no answer after {took:.1f}s: {r}"
        p = problem(r, 503, "unavailable")
        assert r.headers.get("Retry-After", "").isdigit(), r.headers
        assert "busy" in p["detail"]
        # the lock wait ends at LOCK_WAIT_S; the client would give up at HTTP_TIMEOUT_S
        assert LOCK_WAIT_S - 0.5 <= took < HTTP_TIMEOUT_S - 2, f"503 after {took:.2f}s"
    # generous: the ops thread never waits for the database
    assert max(health) < 1.0, f"/healthz on the ops listener took {max(health):.2f}s"
    # the API port's /healthz may queue behind a worker's lock wait (or two, on one worker): what
    # matters is an answer before the HTTP deadline (it was a dropped connection at 30 s), with room
    # for a sanitizer build on a loaded machine (5.7 s seen under make tsan beside make test)
    assert max(api_health) < HTTP_TIMEOUT_S - 2, f"/healthz on the API port took {max(api_health):.2f}s"
    print(f"time to 503 with FTWRL held: {', '.join(f'{t:.2f}s' for t, _ in results)}; "
          f"ops /healthz meanwhile: max {max(health) * 1000:.0f} ms; "
          f"API-port /healthz: max {max(api_health) * 1000:.0f} ms")
    # the lock is gone: the same write goes through, on a connection that was kept
    expect(requests.post(d.url + "/api/v1/suppliers", json=supplier(), headers=auth, timeout=10), 201)


def test_timeouts_longer_than_the_http_deadline_are_refused(tmp_path):
    conf = tmp_path / "slow.conf"
    conf.write_text(config_text(free_port(), http_extra="  timeout_s = 10;\n"))
    cp = subprocess.run([str(BURSARD), "-c", str(conf), "--check-config"], capture_output=True, text=True,
                        timeout=30)
    assert cp.returncode == 1
    assert ("database.connect_timeout_s + database.rw_timeout_s (15) must be less than http.timeout_s (10)"
            in cp.stderr), cp.stderr


def test_ops_listener_serves_health_readiness_and_metrics(spawn):
    ops_port = free_port()
    d = spawn("ops", extra=f'ops = {{ address = "127.0.0.1"; port = {ops_port}; }};\n')
    ops = f"http://127.0.0.1:{ops_port}"
    assert expect(requests.get(ops + "/healthz", timeout=5), 200) == {"status": "ok"}
    assert expect(requests.get(ops + "/readyz", timeout=5), 200) == {"status": "ready"}
    expect(requests.get(d.url + "/api/v1/schools", timeout=5), 401, "application/problem+json")
    m = requests.get(ops + "/metrics", timeout=5)
    assert m.status_code == 200 and m.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "bursar_http_requests_total" in m.text and "bursar_workers" in m.text
    # not on the API port, which the proxy exposes
    p = problem(requests.get(d.url + "/metrics", timeout=5), 404, "not-found")
    assert "ops listener" in p["detail"]
    # the API port still answers /healthz and /readyz
    expect(requests.get(d.url + "/healthz", timeout=5), 200)
    problem(requests.get(ops + "/nothing-here", timeout=5), 404)
    r = requests.post(ops + "/healthz", timeout=5)
    problem(r, 405)
    assert r.headers["Allow"] == "GET, HEAD"
    # the ops listener is guarded as the API's is: problem+json, never evhttp's HTML
    problem(requests.get(ops + "/healthz", headers={"X-Big": "x" * 70000}, timeout=5), 431)
    problem(requests.get(ops + "/healthz?" + "q" * 20000, timeout=5), 414)
    r = requests.post(ops + "/healthz", data=b"x" * 100000, timeout=5)   # refused before the body
    problem(r, 405)
    assert r.headers["Allow"] == "GET, HEAD"


def test_readyz_on_the_ops_listener_with_the_database_down(spawn, db_control):
    ops_port = free_port()
    spawn("ops-down", extra=f'ops = {{ address = "127.0.0.1"; port = {ops_port}; }};\n')
    db_control.stop()
    t0 = time.monotonic()
    r = requests.get(f"http://127.0.0.1:{ops_port}/readyz", timeout=15)
    problem(r, 503, "unavailable")
    assert r.headers["Retry-After"].isdigit()
    assert time.monotonic() - t0 < 10
    expect(requests.get(f"http://127.0.0.1:{ops_port}/healthz", timeout=5), 200)


# --------------------------------------------------------------------------
# 4. required settings; a bad SIGHUP keeps the running configuration
# --------------------------------------------------------------------------

@pytest.mark.parametrize("text, missing", [
    ("", "database.socket or database.host, database.user, database.name, paths.schema, paths.openapi, "
         "paths.plugins, plugins (a list; () for none), procurement.ocds_prefix"),
    ("http = { port = 8080; };\n", "database.socket or database.host, database.user"),
])
def test_empty_or_truncated_config_is_refused(tmp_path, text, missing):
    conf = tmp_path / "bad.conf"
    conf.write_text(text)
    cp = subprocess.run([str(BURSARD), "-c", str(conf), "--check-config"], capture_output=True, text=True,
                        timeout=30)
    assert cp.returncode == 1, cp.stdout
    assert f"{conf}: required settings missing: {missing}" in cp.stderr, cp.stderr


def test_truncated_config_on_sighup_keeps_the_running_one(spawn, tokens):
    d = spawn("hup-truncated")
    full = d.conf.read_text()
    d.conf.write_text(full[:full.index("paths = {")])      # cut off after the database group
    since = d.log_size()
    d.send(signal.SIGHUP)
    assert d.wait_log(r"reload refused", since, timeout=5), d.log_text(since)
    log = d.log_text(since)
    assert "keeping the running configuration" in log
    assert "required settings missing: paths.schema, paths.openapi, paths.plugins" in log, log
    auth = {"Authorization": f"Bearer {tokens['finance_director']}"}
    expect(requests.get(d.url + "/api/v1/schools", headers=auth, timeout=5), 200)
    assert d.running()


# --------------------------------------------------------------------------
# 11. control characters never reach the log or the terminal raw
# --------------------------------------------------------------------------

def raw_request(port, data):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
        except socket.timeout:
            pass
    return out


def test_request_line_with_cr_cannot_forge_an_access_log_line(spawn):
    d = spawn("ctl-log")
    since = d.log_size()
    forged = b"2026-01-01T00:00:00.000Z <info> access: 10.9.9.9 \"GET /forged\" 200"
    raw_request(d.port, b"GET /nothing\r" + forged.replace(b" ", b"%20") + b" HTTP/1.1\r\nHost: x\r\n"
                b"Connection: close\r\n\r\n")
    raw_request(d.port, b"GET /also%0D%0A" + b"%1B%5B2J HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    time.sleep(0.3)
    with open(d.log, "rb") as f:
        f.seek(since)
        data = f.read()
    assert b"\r" not in data and b"\x1b" not in data, data
    for line in data.split(b"\n"):
        assert not line.startswith(b"2026-01-01T00:00:00.000Z"), data
    assert b"access:" in data


def test_token_list_escapes_control_characters(cli, make_token):
    tid, _ = make_token("auditor", label="pytest esc label")
    # stored before labels were checked on input (or written by hand): ESC [2J clears a screen
    sql(f"UPDATE api_tokens SET label = CONCAT('evil', CHAR(27), '[2J', CHAR(13), 'x') WHERE id = {tid}")
    cp = cli("token", "list")
    assert "\x1b" not in cp.stdout and "\r" not in cp.stdout
    assert "evil\\x1b[2J\\x0dx" in cp.stdout, cp.stdout


# --------------------------------------------------------------------------
# 13. what an unknown token costs
# --------------------------------------------------------------------------

BAD = "bt_" + "A" * 43


def test_a_repeated_unknown_token_costs_one_query(spawn):
    d = spawn("neg", extra="auth = { failure_limit = 0; };\n")
    restart_with(d, ("refresh_ms = 100;", "refresh_ms = 60000;"))
    s = requests.Session()
    headers = {"Authorization": f"Bearer {BAD}"}
    problem(s.get(d.url + "/api/v1/schools", headers=headers, timeout=5), 401)   # the worker's first query
    n = 200
    before = com_stmt_execute()
    t0 = time.monotonic()
    for _ in range(n):
        r = s.get(d.url + "/api/v1/schools", headers=headers, timeout=5)
        assert r.status_code == 401
    took = time.monotonic() - t0
    queries = com_stmt_execute() - before
    print(f"{n} requests with one unknown token: {queries} statements reached MariaDB "
          f"({n / took:.0f} req/s from one client)")
    assert queries <= 2, queries


def test_failed_authentications_are_limited_per_address(spawn, tokens):
    limit = 5
    d = spawn("fail-limit", extra=f"auth = {{ failure_limit = {limit}; failure_window_s = 30; }};\n")
    restart_with(d, ("refresh_ms = 100;", "refresh_ms = 60000;"))
    s = requests.Session()                           # one connection: one worker
    good = {"Authorization": f"Bearer {tokens['finance_director']}"}
    expect(s.get(d.url + "/api/v1/schools", headers=good, timeout=5), 200)
    before = com_stmt_execute()
    statuses = []
    for i in range(100):
        tok = "bt_" + uuid.uuid4().hex + uuid.uuid4().hex[:11]
        r = s.get(d.url + "/api/v1/schools", headers={"Authorization": f"Bearer {tok}"}, timeout=5)
        statuses.append((r.status_code, r.headers.get("Retry-After")))
        p = problem(r, 401, "unauthorized")
    queries = com_stmt_execute() - before
    print(f"100 random bad tokens from one address: {queries} statements reached MariaDB")
    assert queries <= limit + 1, queries
    assert all(ra is None for _, ra in statuses[:limit]), statuses[:limit + 1]
    assert all(ra is not None and 0 < int(ra) <= 30 for _, ra in statuses[limit:]), statuses
    assert "too many failed authentications" in p["detail"]
    # a token this worker knows to be good still works from that address
    expect(s.get(d.url + "/api/v1/schools", headers=good, timeout=5), 200)


def test_forwarded_for_is_believed_from_trusted_proxies_only(spawn):
    d = spawn("xff", http_extra='  trusted_proxies = "127.0.0.1";\n',
              extra="auth = { failure_limit = 3; failure_window_s = 30; };\n")
    s = requests.Session()

    def bad(xff):
        h = {"Authorization": f"Bearer {BAD}"}
        if xff is not None:
            h["X-Forwarded-For"] = xff
        return s.get(d.url + "/api/v1/schools", headers=h, timeout=5)

    since = d.log_size()
    for _ in range(4):
        r = bad("198.51.100.1, 203.0.113.7")     # the proxy appended 203.0.113.7
    problem(r, 401)
    assert r.headers.get("Retry-After"), "203.0.113.7 is over its limit"
    r = bad("203.0.113.8")                        # another client behind the same proxy
    problem(r, 401)
    assert "Retry-After" not in r.headers
    r = bad("not an address")                     # garbage: the proxy's own address counts
    problem(r, 401)
    time.sleep(0.2)
    log = d.log_text(since)
    assert "access: 203.0.113.7 " in log and "access: 203.0.113.8 " in log, log
    assert "198.51.100.1" not in log.replace("X-Forwarded-For", "")
    assert "access: 127.0.0.1 " in log


def test_forwarded_for_from_an_untrusted_peer_is_ignored(spawn):
    d = spawn("xff-untrusted")
    since = d.log_size()
    problem(requests.get(d.url + "/api/v1/schools", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=5), 401)
    time.sleep(0.2)
    log = d.log_text(since)
    assert "203.0.113.9" not in log and "access: 127.0.0.1 " in log, log


# --------------------------------------------------------------------------
# 14. no CORS, on purpose (README "Operations")
# --------------------------------------------------------------------------

def test_no_cors_headers_for_other_origins(daemon, tokens):
    origin = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET",
              "Access-Control-Request-Headers": "authorization"}
    r = requests.options(daemon.url + "/api/v1/schools", headers=origin, timeout=5)
    assert r.status_code == 204 and "GET" in r.headers["Allow"]
    r2 = requests.get(daemon.url + "/api/v1/schools", timeout=5,
                      headers={"Origin": "https://evil.example",
                               "Authorization": f"Bearer {tokens['auditor']}"})
    expect(r2, 200)
    for resp in (r, r2):
        assert not [h for h in resp.headers if h.lower().startswith("access-control-")], resp.headers


# --------------------------------------------------------------------------
# 15. deployment
# --------------------------------------------------------------------------

def test_database_socket_directory_is_private():
    """root connects without a password: only the owner may reach the socket."""
    for p in (DBDIR, SOCKET.parent):
        mode = stat.S_IMODE(os.stat(p).st_mode)
        assert mode == 0o700, f"{p} is {oct(mode)}"


MDWE_RUNNER = """
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(65, 1, 0, 0, 0) != 0:          # PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN
    sys.exit(77)
os.execv(sys.argv[1], sys.argv[1:])
"""


def test_plugins_load_under_memory_deny_write_execute(tmp_path):
    """etc/bursard.service sets MemoryDenyWriteExecute=yes: the dlopen'ed finance-rule
    plugins must load without writable-and-executable memory. The kernel's own
    PR_SET_MDWE (Linux 6.3+, kept across execve) enforces the same rule here."""
    runner = tmp_path / "mdwe.py"
    runner.write_text(MDWE_RUNNER)
    conf = tmp_path / "mdwe.conf"
    conf.write_text(config_text(free_port()))
    cp = subprocess.run(["/usr/bin/python3", str(runner), str(BURSARD), "-c", str(conf), "--check-config"],
                        capture_output=True, text=True, timeout=30)
    if cp.returncode == 77:
        pytest.skip("this kernel has no PR_SET_MDWE")
    assert cp.returncode == 0, cp.stderr
    assert "loaded local" in cp.stderr and "loaded central" in cp.stderr, cp.stderr


def test_service_unit_is_hardened():
    """systemd-analyze rates etc/bursard.service 2.0 or below (it was 6.5 MEDIUM)."""
    unit = BURSARD.parent.parent / "etc" / "bursard.service"
    try:
        cp = subprocess.run(["systemd-analyze", "security", "--offline=yes", str(unit)], capture_output=True,
                            text=True, timeout=60)
    except FileNotFoundError:
        pytest.skip("no systemd-analyze")
    m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", cp.stdout + cp.stderr)
    if m is None:
        pytest.skip(f"systemd-analyze cannot rate a unit offline here: {cp.stderr.strip()[:200]}")
    assert float(m.group(1)) <= 2.0, cp.stdout


def test_proxy_examples_are_valid(tmp_path):
    """etc/haproxy-bursard.cfg and etc/nginx-bursard.conf parse (when the tools are here)."""
    etc = BURSARD.parent.parent / "etc"
    checked = 0
    if shutil.which("haproxy"):
        cfg = tmp_path / "haproxy.cfg"
        # the certificate is the operator's: check everything else
        cfg.write_text((etc / "haproxy-bursard.cfg").read_text().replace(
            " ssl crt /etc/haproxy/certs/bursar.pem alpn h2,http/1.1", ""))
        cp = subprocess.run(["haproxy", "-c", "-f", str(cfg)], capture_output=True, text=True, timeout=30)
        assert cp.returncode == 0, cp.stdout + cp.stderr
        checked += 1
    if shutil.which("nginx"):
        site = (etc / "nginx-bursard.conf").read_text()
        site = re.sub(r"\n\s*ssl_certificate(_key)? [^\n]*", "", site).replace(" ssl http2;", ";")
        (tmp_path / "site.conf").write_text(site)
        (tmp_path / "nginx.conf").write_text(
            f"pid {tmp_path}/nginx.pid; error_log stderr; events {{}}\n"
            f"http {{ access_log off; client_body_temp_path {tmp_path}; include {tmp_path}/site.conf; }}\n")
        cp = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True, timeout=30)
        assert cp.returncode == 0, cp.stdout + cp.stderr
        checked += 1
    if checked == 0:
        pytest.skip("neither haproxy nor nginx is installed")
