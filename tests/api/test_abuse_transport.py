"""Issue 12, the transport (findings 1, 2, 6, 9, 10): each finding replayed with raw
sockets against a bursard on 127.0.0.1 with tight limits (http/guard.c).

Bounded: at most a couple of hundred sockets, every wait has a deadline, and
everything closes by itself. These replies do not pass through requests, so
contract.py does not see them: each test checks problem+json itself.
"""
import json
import os
import re
import resource
import signal
import socket
import threading
import time

import pytest
import requests

from conftest import PROBLEM_CT, sql_value

HEADER_TIMEOUT = 2
BODY_TIMEOUT = 3
MAX_CONN = 150
PER_ADDRESS = 40
MAX_URI = 4096
MAX_HEADERS_BYTES = 8192
MAX_HEADER_COUNT = 50

LIMITS_HTTP = f"""  max_uri_bytes = {MAX_URI};
  max_header_bytes = {MAX_HEADERS_BYTES};
  max_header_count = {MAX_HEADER_COUNT};
"""
# the module's daemon: short deadlines; the caps out of the way of one test's leftovers
GUARD_HTTP = LIMITS_HTTP + f"""  header_timeout_s = {HEADER_TIMEOUT};
  body_timeout_s = {BODY_TIMEOUT};
  max_connections = 1000;
  max_connections_per_address = 0;
"""
# the caps' own daemons: small caps, a head deadline longer than the test
CAPS_HTTP = LIMITS_HTTP + f"""  header_timeout_s = 20;
  max_connections = {MAX_CONN};
  max_connections_per_address = {PER_ADDRESS};
"""


@pytest.fixture(scope="module")
def guarded(seeded):
    """A bursard with short deadlines and small caps, for the whole module."""
    from conftest import Daemon
    d = Daemon("guard", http_extra=GUARD_HTTP)
    d.start()
    yield d
    if d.running():
        assert d.stop() == 0


def connect(d, source=None, timeout=10):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    if source is not None:
        s.bind((source, 0))
    s.connect(("127.0.0.1", d.port))
    return s


def read_reply(s, deadline=10.0):
    """Read until the server closes (or the deadline): the raw bytes."""
    out = b""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        s.settimeout(max(0.05, end - time.monotonic()))
        try:
            c = s.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            break
        if not c:
            break
        out += c
    return out


def parse(raw):
    """(status, headers, body) of the first reply in raw."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines and lines[0].startswith("HTTP/1."), f"not an HTTP reply: {raw[:300]!r}"
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        body = body[:int(headers["content-length"])]
    return status, headers, body


def assert_problem(raw, status, slug=None):
    """raw is one problem+json reply with this status (never evhttp's HTML)."""
    got, headers, body = parse(raw)
    assert got == status, raw[:600]
    assert headers.get("content-type") == PROBLEM_CT, raw[:600]
    assert b"<html" not in raw.lower(), raw[:600]
    p = json.loads(body)
    assert p["status"] == status and p["type"].startswith("/problems/"), p
    if slug:
        assert p["type"] == f"/problems/{slug}", p
    return headers, p


def exchange(d, data, deadline=10.0, source=None):
    with connect(d, source) as s:
        s.sendall(data)
        return read_reply(s, deadline)


def answered(socks, quiet=0.7, most=5.0):
    """The sockets the server has written to (or closed), once none has for quiet seconds."""
    import select
    got, pending = [], list(socks)
    end = time.monotonic() + most
    while pending and time.monotonic() < end:
        r, _, _ = select.select(pending, [], [], quiet)
        if not r:
            break
        for s in r:
            got.append(s)
            pending.remove(s)
    return got


def loopback_alias_ok():
    try:
        s = socket.socket()
        s.bind(("127.0.0.2", 0))
        s.close()
        return True
    except OSError:
        return False


# --------------------------------------------------------------------------
# finding 6: request smuggling shapes
# --------------------------------------------------------------------------

def test_two_content_lengths_that_differ_are_400(guarded, tokens):
    body = b'{"name":"Smuggled Ltd"}'
    raw = exchange(guarded, b"POST /api/v1/suppliers HTTP/1.1\r\nHost: x\r\n"
                   b"Authorization: Bearer " + tokens["finance_director"].encode() + b"\r\n"
                   b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode() +
                   b"\r\nContent-Length: 5\r\n\r\n" + body)
    _, p = assert_problem(raw, 400, "bad-request")
    assert "Content-Length" in p["detail"]
    assert sql_value("SELECT COUNT(*) FROM suppliers WHERE name = 'Smuggled Ltd'") == "0"


def test_transfer_encoding_with_content_length_is_400(guarded, tokens):
    raw = exchange(guarded, b"POST /api/v1/suppliers HTTP/1.1\r\nHost: x\r\n"
                   b"Authorization: Bearer " + tokens["finance_director"].encode() + b"\r\n"
                   b"Content-Type: application/json\r\nContent-Length: 4\r\n"
                   b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    assert_problem(raw, 400, "bad-request")


def test_a_refusal_keeps_the_order_of_pipelined_replies(guarded):
    raw = exchange(guarded, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                   b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
    first, _, rest = raw.partition(b"\r\n\r\n")
    assert first.startswith(b"HTTP/1.1 200"), raw[:400]
    assert rest.startswith(b'{"status":"ok"}HTTP/1.1 400'), raw[:600]


# --------------------------------------------------------------------------
# finding 9: evhttp's HTML error pages never reach a client
# --------------------------------------------------------------------------

def test_url_over_the_limit_is_414(guarded):
    raw = exchange(guarded, b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert_problem(raw, 414, "uri-too-long")


def test_headers_over_the_limit_are_431(guarded):
    raw = exchange(guarded, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 20000 + b"\r\n\r\n")
    assert_problem(raw, 431, "header-too-large")


def test_2000_headers_are_431(guarded):
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(2000))
    raw = exchange(guarded, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    assert_problem(raw, 431, "header-too-large")


def test_a_100kb_authorization_header_is_401(guarded):
    raw = exchange(guarded, b"GET /api/v1/schools HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                   b"t" * 100000 + b"\r\n\r\n")
    headers, _ = assert_problem(raw, 401, "unauthorized")
    assert headers.get("www-authenticate", "").startswith("Bearer")


def test_chunk_size_zz_is_400(guarded, tokens):
    raw = exchange(guarded, b"POST /api/v1/suppliers HTTP/1.1\r\nHost: x\r\n"
                   b"Authorization: Bearer " + tokens["finance_director"].encode() + b"\r\n"
                   b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
    _, p = assert_problem(raw, 400, "bad-request")
    assert "chunk" in p["detail"]


def test_a_valid_chunked_body_still_works(guarded, tokens):
    body = b'{"name":"Chunked Supplies Ltd"}'
    raw = exchange(guarded, b"POST /api/v1/suppliers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                   b"Authorization: Bearer " + tokens["finance_director"].encode() + b"\r\n"
                   b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                   b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
    status, headers, _ = parse(raw)
    assert status == 201, raw[:500]


def test_body_over_the_limit_is_413_before_it_is_sent(guarded, tokens):
    # Content-Length over http.max_body_bytes: answered from the head, nothing sent
    raw = exchange(guarded, b"POST /api/v1/suppliers HTTP/1.1\r\nHost: x\r\n"
                   b"Authorization: Bearer " + tokens["finance_director"].encode() + b"\r\n"
                   b"Content-Type: application/json\r\nContent-Length: 200000\r\n\r\n", deadline=5)
    assert_problem(raw, 413, "payload-too-large")


def test_chunked_body_over_the_limit_is_413(guarded, tokens):
    chunk = b"%x\r\n%s\r\n" % (40000, b"x" * 40000)
    raw = exchange(guarded, b"POST /api/v1/suppliers HTTP/1.1\r\nHost: x\r\n"
                   b"Authorization: Bearer " + tokens["finance_director"].encode() + b"\r\n"
                   b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk * 2)
    assert_problem(raw, 413, "payload-too-large")


@pytest.mark.parametrize("request_bytes,status", [
    (b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n", 501),
    (b"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", 505),
    (b"GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n", 400),
    (b"GET /healthz HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400),
    (b"POST /api/v1/suppliers HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: magic\r\n\r\n{}", 417),
    (b"POST /api/v1/suppliers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
    (b"HEAD /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", 400),
])
def test_other_malformed_heads_are_problem_json(guarded, request_bytes, status):
    assert_problem(exchange(guarded, request_bytes), status)


# --------------------------------------------------------------------------
# finding 2: bodies are refused from the head, before they are read
# --------------------------------------------------------------------------

def test_no_token_is_401_before_the_body(guarded):
    # the head announces 15 MiB and nothing follows: the answer comes anyway
    t0 = time.monotonic()
    raw = exchange(guarded, b"POST /api/v1/suppliers HTTP/1.1\r\nHost: x\r\n"
                   b"Content-Type: application/json\r\nContent-Length: 15728640\r\n\r\n", deadline=5)
    assert_problem(raw, 401, "unauthorized")
    assert time.monotonic() - t0 < HEADER_TIMEOUT, "the 401 waited for a deadline"


def test_expect_100_continue_gets_the_refusal_instead(guarded, tokens):
    raw = exchange(guarded, b"PUT /api/v1/schools/central/budgets/2026-27 HTTP/1.1\r\nHost: x\r\n"
                   b"Authorization: Bearer " + tokens["school_system"].encode() + b"\r\n"
                   b"Content-Type: text/csv\r\nContent-Length: 900000\r\nExpect: 100-continue\r\n\r\n",
                   deadline=5)
    assert_problem(raw, 403, "forbidden")


def test_the_import_limit_only_on_the_import_route_and_for_importers(guarded, tokens, first_urn):
    fd = tokens["finance_director"].encode()
    # 900 kB is over the JSON limit (64 KiB here) but under the CSV import limit (1 MiB)
    with connect(guarded) as s:
        s.sendall(b"PUT /api/v1/schools/%s/budgets/2026-27 HTTP/1.1\r\nHost: x\r\n"
                  b"Authorization: Bearer %s\r\nIf-Match: \"1\"\r\nContent-Type: text/csv\r\n"
                  b"Content-Length: 900000\r\nExpect: 100-continue\r\n\r\n" % (first_urn.encode(), fd))
        s.settimeout(5)
        assert s.recv(100).startswith(b"HTTP/1.1 100 Continue"), "the importer was not asked for the body"
    for path in (b"/api/v1/suppliers/1", b"/api/v1/schools/central"):
        raw = exchange(guarded, b"PUT " + path + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + fd +
                       b"\r\nContent-Type: application/json\r\nContent-Length: 900000\r\n\r\n", deadline=5)
        assert_problem(raw, 413, "payload-too-large")
    raw = exchange(guarded, b"PUT /api/v1/schools/%s/budgets/2026-27 HTTP/1.1\r\nHost: x\r\n"
                   b"Authorization: Bearer %s\r\nContent-Type: text/csv\r\nContent-Length: 2000000\r\n\r\n"
                   % (first_urn.encode(), fd), deadline=5)
    assert_problem(raw, 413, "payload-too-large")


def test_unknown_route_and_wrong_method_are_refused_from_the_head(guarded):
    raw = exchange(guarded, b"POST /api/v1/nothing HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n",
                   deadline=5)
    assert_problem(raw, 404, "not-found")
    raw = exchange(guarded, b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n",
                   deadline=5)
    headers, _ = assert_problem(raw, 405, "method-not-allowed")
    assert headers.get("allow") == "GET, HEAD"


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def test_40_unauthenticated_large_uploads_do_not_grow_memory(guarded):
    """Finding 2's replay: 40 connections each starting a 15 MiB body without a token."""
    before = rss_kb(guarded.proc.pid)
    socks = []
    try:
        for _ in range(40):
            s = connect(guarded)
            s.sendall(b"POST /api/v1/suppliers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 15728640\r\n\r\n")
            socks.append(s)
        for s in socks:
            s.settimeout(5)
            raw = s.recv(65536)                  # the 401 comes before any of the body
            assert_problem(raw, 401)
        for s in socks:
            for _ in range(8):                   # then up to 512 KiB each, while the socket takes it
                try:
                    s.settimeout(0.2)
                    s.sendall(b"x" * 65536)
                except (socket.timeout, OSError):
                    break
        peak = rss_kb(guarded.proc.pid)
    finally:
        for s in socks:
            s.close()
    assert peak - before < 20 * 1024, f"RSS grew from {before} kB to {peak} kB"


# --------------------------------------------------------------------------
# finding 1: slow connections
# --------------------------------------------------------------------------

def test_a_head_trickled_byte_by_byte_gets_408_at_the_deadline(guarded):
    with connect(guarded) as s:
        t0 = time.monotonic()
        s.sendall(b"GET /healthz HTTP/1.1\r\n")
        raw = b""
        while time.monotonic() - t0 < HEADER_TIMEOUT + 10:
            try:
                s.sendall(b"X")                # one byte every 0.25 s restarts no clock
            except OSError:
                break
            s.settimeout(0.25)
            try:
                c = s.recv(65536)
                if not c:
                    break
                raw += c
            except socket.timeout:
                pass
        raw += read_reply(s, 2)
        elapsed = time.monotonic() - t0
    assert HEADER_TIMEOUT - 0.5 <= elapsed < HEADER_TIMEOUT + 8, elapsed
    assert_problem(raw, 408, "request-timeout")


def test_a_body_trickled_slowly_gets_408_at_the_deadline(guarded, tokens):
    with connect(guarded) as s:
        s.sendall(b"POST /api/v1/suppliers HTTP/1.1\r\nHost: x\r\n"
                  b"Authorization: Bearer " + tokens["finance_director"].encode() + b"\r\n"
                  b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
        t0 = time.monotonic()
        raw = b""
        while time.monotonic() - t0 < BODY_TIMEOUT + 10:
            try:
                s.sendall(b" ")
            except OSError:
                break
            s.settimeout(0.25)
            try:
                c = s.recv(65536)
                if not c:
                    break
                raw += c
            except socket.timeout:
                pass
        raw += read_reply(s, 2)
        elapsed = time.monotonic() - t0
    assert BODY_TIMEOUT - 0.5 <= elapsed < BODY_TIMEOUT + 8, elapsed
    assert_problem(raw, 408, "request-timeout")


def test_a_silent_connection_is_closed_at_the_head_deadline(guarded):
    with connect(guarded) as s:
        t0 = time.monotonic()
        raw = read_reply(s, HEADER_TIMEOUT + 10)
        elapsed = time.monotonic() - t0
    assert raw == b"" and elapsed < HEADER_TIMEOUT + 8, (raw[:200], elapsed)


@pytest.mark.skipif(not loopback_alias_ok(), reason="no 127.0.0.2 on this machine")
def test_connection_caps_per_address_and_in_all(spawn):
    """Hold connections from 127.0.0.2..5 (silent ones, inside the head deadline);
    the caps refuse the excess with 503, and 127.0.0.1 is still served."""
    guarded = spawn("caps", http_extra=CAPS_HTTP)
    held = []
    try:
        for _ in range(PER_ADDRESS + 10):
            held.append(connect(guarded, "127.0.0.2"))
        # the workers admit in their own order: which ten are refused is theirs to say
        refused = answered(held)
        assert len(refused) == 10, f"{len(refused)} refused"
        for s in refused:
            headers, p = assert_problem(read_reply(s, 3), 503, "unavailable")
            assert headers.get("retry-after") == "1"
            assert "address" in p["detail"]
        # fill up to the total cap from more addresses; beyond it, "too many connections"
        batch = []
        for src in ("127.0.0.3", "127.0.0.4", "127.0.0.5"):
            for _ in range(PER_ADDRESS):
                batch.append(connect(guarded, src))
        held += batch
        refused = answered(batch)
        assert len(refused) == 40 + 3 * PER_ADDRESS - MAX_CONN, f"{len(refused)} refused"
        for s in refused:
            _, p = assert_problem(read_reply(s, 3), 503, "unavailable")
            assert "too many connections" in p["detail"] or "address" not in p["detail"]
    finally:
        for s in held:
            s.close()
    # the held ones are gone (closed by us): a legitimate request goes through
    deadline = time.monotonic() + 10
    while True:
        try:
            r = requests.get(guarded.url + "/healthz", timeout=5)
            if r.status_code == 200:
                break
        except requests.RequestException:
            pass
        assert time.monotonic() < deadline, "not served after the caps were released"
        time.sleep(0.1)


@pytest.mark.skipif(not loopback_alias_ok(), reason="no 127.0.0.2 on this machine")
def test_a_trusted_proxy_has_no_per_address_cap(spawn):
    """Behind a proxy every connection comes from it: http.trusted_proxies lifts the
    per-address cap for it (the total cap still holds)."""
    d = spawn("caps-proxy", http_extra=CAPS_HTTP + '  trusted_proxies = "127.0.0.2";\n')
    held = []
    try:
        for _ in range(PER_ADDRESS + 10):
            held.append(connect(d, "127.0.0.2"))
        assert answered(held) == [], "a trusted proxy's connections were refused"
        others = [connect(d, "127.0.0.3") for _ in range(PER_ADDRESS + 1)]
        held += others
        assert len(answered(others)) == 1, "the per-address cap no longer holds for others"
    finally:
        for s in held:
            s.close()


@pytest.mark.skipif(not loopback_alias_ok(), reason="no 127.0.0.2 on this machine")
def test_slow_clients_do_not_starve_a_legitimate_one(spawn):
    """100 connections trickling heads from 127.0.0.2..4 while 127.0.0.1 asks /healthz."""
    guarded = spawn("slow", http_extra=CAPS_HTTP)
    held = []
    stop = threading.Event()
    try:
        for i in range(100):
            s = connect(guarded, f"127.0.0.{2 + i % 3}")
            s.sendall(b"GET /healthz HTTP/1.1\r\n")
            held.append(s)

        def trickle():
            while not stop.is_set():
                for s in held:
                    try:
                        s.send(b"X")
                    except OSError:
                        pass
                stop.wait(0.5)
        t = threading.Thread(target=trickle, daemon=True)
        t.start()
        worst = 0.0
        with requests.Session() as sess:
            for _ in range(50):
                t0 = time.monotonic()
                r = sess.get(guarded.url + "/healthz", timeout=10)
                worst = max(worst, time.monotonic() - t0)
                assert r.status_code == 200
        assert worst < 2.0, f"a legitimate request took {worst:.2f} s"
    finally:
        stop.set()
        for s in held:
            s.close()


def test_accept_failures_pause_and_log_once_a_second(spawn):
    """Finding 1's EMFILE spin: lower the daemon's file limit under its feet, open
    far more connections than it can accept, and watch CPU and the log."""
    d = spawn("emfile")
    pid = d.proc.pid
    nfds = len(os.listdir(f"/proc/{pid}/fd"))
    old = resource.prlimit(pid, resource.RLIMIT_NOFILE)
    since = d.log_size()
    socks = []
    try:
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (nfds + 8, old[1]))
        for _ in range(60):
            socks.append(connect(d, timeout=2))
        time.sleep(0.5)
        with open(f"/proc/{pid}/stat") as f:
            f0 = f.read().rsplit(")", 1)[1].split()
        t0 = time.monotonic()
        time.sleep(3)
        with open(f"/proc/{pid}/stat") as f:
            f1 = f.read().rsplit(")", 1)[1].split()
        wall = time.monotonic() - t0
        ticks = os.sysconf("SC_CLK_TCK")
        cpu = (int(f1[11]) + int(f1[12]) - int(f0[11]) - int(f0[12])) / ticks
    finally:
        for s in socks:
            s.close()
        resource.prlimit(pid, resource.RLIMIT_NOFILE, old)
    log = d.log_text(since)
    lines = [l for l in log.splitlines() if "accept()" in l]
    assert lines, f"no accept() failure logged\n{log[-2000:]}"
    assert len(lines) <= wall + 3, f"{len(lines)} accept() lines in {wall:.1f} s"
    assert cpu < 0.5 * wall, f"the daemon used {cpu:.2f} s of CPU in {wall:.1f} s"
    # it recovers: once the file limit is back, requests are served
    deadline = time.monotonic() + 10
    while requests.get(d.url + "/healthz", timeout=5).status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.1)


# --------------------------------------------------------------------------
# finding 10: the in-flight count
# --------------------------------------------------------------------------

def test_clients_that_vanish_before_their_reply_do_not_hold_up_the_drain(spawn, tokens):
    d = spawn("drain", http_extra="  drain_timeout_s = 10;\n")
    sid = sql_value("SELECT id FROM scenarios WHERE name = 'expected' AND deleted_at IS NULL")
    body = json.dumps({"scenario": int(sid), "base_year": "2026-27", "horizon": 5}).encode()
    head = (b"POST /api/v1/forecasts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
            tokens["finance_director"].encode() + b"\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body))
    socks = []
    for _ in range(3):
        s = connect(d)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        s.sendall(head + body)
        socks.append(s)
    for s in socks:
        s.close()                                  # RST: the replies have nowhere to go
    time.sleep(1.5)
    since = d.log_size()
    t0 = time.monotonic()
    assert d.stop(signal.SIGTERM, timeout=15) == 0
    took = time.monotonic() - t0
    log = d.log_text(since)
    assert "still running at the drain deadline" not in log, log
    assert took < 5, f"SIGTERM took {took:.1f} s"
