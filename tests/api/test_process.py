"""The process: port already in use, --check-config, SIGHUP reload, SIGTERM.
Each test runs its own bursard on another free port so the session daemon keeps serving."""
import json
import signal
import socket
import subprocess
import time

import pytest
import requests

from conftest import BURSARD, DIR, WORKERS, Daemon, config_text, expect, free_port, problem, tail


def check_config(text, name="check.conf"):
    path = DIR / name
    path.write_text(text)
    cp = subprocess.run([str(BURSARD), "-c", str(path), "--check-config"], capture_output=True, text=True,
                        timeout=10)
    return path, cp


def line_of(text, needle):
    return next(i for i, l in enumerate(text.splitlines(), 1) if needle in l)


def test_check_config_good():
    path, cp = check_config(config_text(free_port()))
    assert cp.returncode == 0, cp.stderr
    assert "valid" in cp.stdout


@pytest.mark.parametrize("old,new,setting", [
    ("port = {port};", "port = 70000;", "http.port"),
    ("port = {port};", 'port = "8081";', "http.port"),
    (f"workers = {WORKERS};", "workers = 0;", "http.workers"),
    (f"workers = {WORKERS};", "wrokers = 2;", "http.wrokers"),
    ('level = "info";', 'level = "chatty";', "log.level"),
    ('today = "2026-11-22";', 'today = "2026-02-30";', "clock.today"),
    ("refresh_ms = 100;", "refresh_ms = -5;", "cache.refresh_ms"),
])
def test_check_config_bad_names_file_line_setting(old, new, setting):
    port = free_port()
    text = config_text(port)
    old = old.format(port=port)
    assert old in text
    text = text.replace(old, new)
    path, cp = check_config(text)
    assert cp.returncode != 0, cp.stdout
    want = f"{path}:{line_of(text, new)}"
    assert want in cp.stderr, f"want {want!r} in {cp.stderr!r}"
    assert setting in cp.stderr, cp.stderr


def test_check_config_syntax_error():
    text = config_text(free_port()).replace(f"workers = {WORKERS};", "workers = = 2;")
    path, cp = check_config(text)
    assert cp.returncode != 0
    assert f"{path}:{line_of(text, 'workers = = 2;')}" in cp.stderr, cp.stderr


def test_check_config_missing_file():
    cp = subprocess.run([str(BURSARD), "-c", str(DIR / "no-such.conf"), "--check-config"], capture_output=True,
                        text=True, timeout=10)
    assert cp.returncode != 0 and "no-such.conf" in cp.stderr


def test_serve_refuses_a_bad_config():
    path = DIR / "bad-serve.conf"
    path.write_text(config_text(70000))
    cp = subprocess.run([str(BURSARD), "-c", str(path)], capture_output=True, text=True, timeout=10)
    assert cp.returncode != 0
    assert "http.port" in cp.stderr


def test_second_daemon_on_the_same_port_refuses(daemon, api):
    d = Daemon("same-port", port=daemon.port)
    d.start(wait=False)
    try:
        d.proc.wait(20)
    except subprocess.TimeoutExpired:
        d.stop(signal.SIGKILL)
        pytest.fail(f"a second bursard on port {daemon.port} kept running\n{tail(d.log)}")
    assert d.proc.returncode != 0
    log = d.log_text()
    assert str(daemon.port) in log and "port" in log, log
    # the session daemon answers every request alone
    for _ in range(10):
        assert requests.get(daemon.url + "/healthz", headers={"Connection": "close"}, timeout=5).status_code == 200
    expect(api.get("/api/v1/schools", role="auditor"), 200)


def test_sigterm_exits_0(spawn, tokens):
    d = spawn("term")
    s = requests.Session()
    assert s.get(d.url + "/api/v1/schools", headers={"Authorization": f"Bearer {tokens['auditor']}"},
                 timeout=5).status_code == 200       # leaves an idle kept-alive connection
    since = d.log_size()
    t0 = time.monotonic()
    rc = d.stop(signal.SIGTERM, timeout=15)
    took = time.monotonic() - t0
    s.close()
    assert rc == 0, f"exit {rc}\n{tail(d.log)}"
    assert took < 5, f"took {took:.1f}s to stop with an idle connection open"
    log = d.log_text(since)
    assert "SIGTERM" in log, log
    with pytest.raises(requests.ConnectionError):
        requests.get(d.url + "/healthz", timeout=2)


def test_sigint_exits_0(spawn):
    d = spawn("int")
    assert d.stop(signal.SIGINT) == 0, tail(d.log)


def test_sighup_reload(spawn, tokens):
    d = spawn("hup")
    auth = {"Authorization": f"Bearer {tokens['finance_director']}"}
    # a valid change: log level and a smaller body limit
    d.conf.write_text(config_text(d.port, log_level="debug").replace("max_body_bytes = 65536;",
                                                                       "max_body_bytes = 1024;"))
    since = d.log_size()
    d.send(signal.SIGHUP)
    assert d.wait_log(r"configuration reloaded", since, timeout=5), d.log_text(since)
    log = d.log_text(since)
    assert "refused" not in log, log
    assert d.running()
    body = json.dumps({"name": "x" * 2000, "phase": "primary"})
    # the workers switch at a request boundary: poll until both answer with the new limit
    deadline = time.monotonic() + 3
    got = []
    while time.monotonic() < deadline:
        got = [requests.put(d.url + "/api/v1/schools/central", data=body,
                            headers=dict(auth, **{"Content-Type": "application/json", "If-Match": '"1"',
                                                  "Connection": "close"}), timeout=5).status_code
               for _ in range(6)]
        if all(s == 413 for s in got):
            break
        time.sleep(0.05)
    assert all(s == 413 for s in got), f"the new max_body_bytes is not applied: {got}"
    r = requests.get(d.url + "/api/v1/schools", headers=auth, timeout=5)
    assert r.status_code == 200

    # an invalid file: refused, the old configuration keeps serving
    d.conf.write_text(config_text(70000))
    since = d.log_size()
    d.send(signal.SIGHUP)
    assert d.wait_log(r"reload refused", since, timeout=5), d.log_text(since)
    assert "http.port" in d.log_text(since)
    time.sleep(0.2)
    assert d.running()
    for _ in range(6):
        assert requests.get(d.url + "/healthz", headers={"Connection": "close"}, timeout=5).status_code == 200
    assert requests.get(d.url + "/api/v1/schools", headers=auth, timeout=5).status_code == 200
    r = requests.put(d.url + "/api/v1/schools/central", data=body,
                     headers=dict(auth, **{"Content-Type": "application/json", "If-Match": '"1"'}), timeout=5)
    problem(r, 413)                                  # still the reloaded limit, not the refused file's

    # a syntax error: refused as well
    d.conf.write_text("http = {\n")
    since = d.log_size()
    d.send(signal.SIGHUP)
    assert d.wait_log(r"reload refused", since, timeout=5), d.log_text(since)
    assert requests.get(d.url + "/healthz", timeout=5).status_code == 200
    assert d.stop() == 0, tail(d.log)


def test_sighup_repeated_under_load(spawn, tokens):
    """Several reloads while requests keep coming: every request is answered."""
    d = spawn("hup-load")
    auth = {"Authorization": f"Bearer {tokens['auditor']}"}
    s = requests.Session()
    statuses = []
    for i in range(5):
        d.conf.write_text(config_text(d.port, log_level="debug" if i % 2 else "info"))
        d.send(signal.SIGHUP)
        for _ in range(10):
            statuses.append(s.get(d.url + "/api/v1/accounts", headers=auth, params={"limit": 5}, timeout=5).status_code)
    s.close()
    assert statuses == [200] * len(statuses)
    assert d.running()
    assert d.stop() == 0, tail(d.log)


def test_port_zero_picks_a_port(seeded):
    """http.port = 0 (tests only) picks a free port and logs it."""
    d = Daemon("port0", port=1)
    d.conf.write_text(config_text(0))
    d.start(wait=False)
    try:
        m = d.wait_log(r"listening on http://127\.0\.0\.1:(\d+)/", timeout=10)
        assert m, d.log_text()
        d.port = int(m.group(1))
        assert d.port != 0
        d.wait_healthy()
        assert d.stop() == 0
    finally:
        if d.running():
            d.stop(signal.SIGKILL)


def test_sighup_keeps_the_loaded_plugins_and_warns(spawn, tokens):
    """Plugins are loaded once, at start-up: a reload that drops one warns that plugin
    changes (like a new port) take effect on restart, and finance_model is still
    checked against the plugins actually loaded."""
    d = spawn("hup-plugins")
    auth = {"Authorization": f"Bearer {tokens['finance_director']}"}
    r = requests.get(d.url + "/api/v1/schools/159909", headers=auth, timeout=5)
    school = expect(r, 200)
    body = {k: school[k] for k in ("name", "phase", "local_authority", "finance_model", "floor_area_m2")}
    body["finance_model"] = "central"
    text = config_text(free_port()).replace(
        '{ name = "central"; settings = { retention_bp = 600; lump_sum_pence = 5000000; need_factor_bp_159905 = 11500; }; }',
        "").replace(
        '{ name = "local"; settings = { topslice_bp = 500; }; },', '{ name = "local"; settings = { topslice_bp = 500; }; }')
    assert "retention_bp" not in text
    d.conf.write_text(text)
    since = d.log_size()
    d.send(signal.SIGHUP)
    assert d.wait_log(r"configuration reloaded", since, timeout=5), d.log_text(since)
    log = d.log_text(since)
    assert "http.address, http.port and http.workers take effect on restart" in log, log
    assert "plugins and their settings take effect on restart" in log, log
    # central is still loaded: the body is valid, so a stale If-Match is 412 (on every worker)
    for _ in range(4):
        r = requests.put(d.url + "/api/v1/schools/159909", json=body, timeout=5,
                         headers=dict(auth, **{"If-Match": '"999999"', "Connection": "close"}))
        problem(r, 412, "precondition-failed")
    body["finance_model"] = "pooling"
    r = requests.put(d.url + "/api/v1/schools/159909", json=body, timeout=5,
                     headers=dict(auth, **{"If-Match": '"999999"'}))
    p = problem(r, 422, "validation", ["/finance_model"])
    assert p["errors"][0]["message"] == "must be one of the loaded finance models: local, central", p
    names = [x["name"] for x in expect(requests.get(d.url + "/api/v1/plugins", headers=auth, timeout=5), 200)["items"]]
    assert names == ["local", "central"]
    assert d.stop() == 0, tail(d.log)


def test_sigterm_with_connections_in_every_state_exits_0(spawn, tokens):
    """Connections closing, idle, half-way through a head or a body when SIGTERM comes: the daemon
    still exits 0 (under `make sanitize`, with nothing leaked: a connection whose last callback was
    still queued when the loop stopped used to be left behind)."""
    auth = f"Authorization: Bearer {tokens['auditor']}\r\n".encode()
    for round_ in range(3):
        d = spawn(f"term-states-{round_}")
        port = int(d.url.rsplit(":", 1)[1])
        socks = []
        for i in range(40):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            kind = i % 4
            if kind in (0, 1):              # served, then closed (0) or kept alive (1)
                s.sendall(b"GET /api/v1/schools HTTP/1.1\r\nHost: x\r\n" + auth + b"\r\n")
            elif kind == 2:                 # half a head
                s.sendall(b"GET /api/v1/schools HTTP/1.1\r\nHost: x\r\n")
            else:                           # a head and half its body
                s.sendall(b"POST /api/v1/suppliers HTTP/1.1\r\nHost: x\r\n" + auth +
                          b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":")
            socks.append((kind, s))
        for kind, s in socks:
            if kind in (0, 1):
                assert s.recv(12).startswith(b"HTTP/1.1 200")
        for kind, s in socks:
            if kind == 0:
                s.close()
        rc = d.stop(signal.SIGTERM, timeout=20)
        for _, s in socks:
            s.close()
        assert rc == 0, f"round {round_}: exit {rc}\n{tail(d.log)}"
