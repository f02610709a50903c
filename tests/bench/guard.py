#!/usr/bin/python3
"""tests/bench/guard.py: what slow and large unauthenticated clients cost a running bursard
(issue 12, findings 1 and 2). Not part of `make test`.

  /usr/bin/python3 tests/bench/guard.py --url http://127.0.0.1:PORT --pid PID [--slow N] [--uploads N]

Against one daemon on 127.0.0.1 (loopback only):
  1. a legitimate client's latency (GET /healthz on one keep-alive connection, --requests of
     them): p50, p99, max; alone, then while N slow-header connections from 127.0.0.2..9 trickle
     one header byte a second ("slowloris"), and how many of those the daemon still holds
     after --hold seconds;
  2. the daemon's RSS before and at the peak of --uploads connections each announcing a
     15 MiB body to POST /api/v1/suppliers without a token and sending up to 15 MiB of it.
Everything closes by itself. Standard library + requests (Debian packages).
"""
import argparse
import socket
import threading
import time

import requests

from benchlib import memory_kb


def latencies(url, n):
    out = []
    with requests.Session() as s:
        for _ in range(n):
            t0 = time.perf_counter()
            try:
                ok = s.get(url + "/healthz", timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            out.append((time.perf_counter() - t0) * 1000 if ok else float("inf"))
    return sorted(out)


def summary(lat):
    n = len(lat)
    failed = sum(1 for x in lat if x == float("inf"))
    ok = [x for x in lat if x != float("inf")] or [float("nan")]
    return (f"p50 {ok[len(ok) // 2]:.2f} ms  p99 {ok[min(len(ok) - 1, int(len(ok) * 0.99))]:.2f} ms  "
            f"max {ok[-1]:.2f} ms  failed {failed}/{n}")


def open_slow(port, n):
    socks = []
    for i in range(n):
        s = socket.socket()
        try:
            s.bind((f"127.0.0.{2 + i % 8}", 0))
            s.settimeout(2)
            s.connect(("127.0.0.1", port))
            s.sendall(b"GET /healthz HTTP/1.1\r\n")
            s.setblocking(False)
            socks.append(s)
        except OSError:
            s.close()
    return socks


def still_open(socks):
    """How many the daemon still holds: no reply and no close yet (replies are read and dropped)."""
    n = 0
    for s in socks:
        got, closed = False, False
        while True:
            try:
                c = s.recv(65536)
            except BlockingIOError:
                break
            except OSError:
                closed = True
                break
            if not c:
                closed = True
                break
            got = True
        if not got and not closed:
            n += 1
    return n


def slowloris(url, port, n, hold, requests_n):
    socks = open_slow(port, n)
    stop = threading.Event()

    def trickle():
        while not stop.is_set():
            for s in socks:
                try:
                    s.send(b"X")
                except OSError:
                    pass
            stop.wait(1.0)
    t = threading.Thread(target=trickle, daemon=True)
    t.start()
    try:
        time.sleep(1)
        lat = latencies(url, requests_n)
        held_early = still_open(socks)
        rest = hold - 1 - sum(x for x in lat if x != float("inf")) / 1000
        if rest > 0:
            time.sleep(rest)
        held_late = still_open(socks)
    finally:
        stop.set()
        t.join()
        for s in socks:
            s.close()
    return len(socks), held_early, held_late, lat


def uploads(port, pid, n):
    before = memory_kb(pid)[0]
    peak = before
    socks = []
    chunk = b"x" * 65536
    try:
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"POST /api/v1/suppliers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 15728640\r\n\r\n")
            s.setblocking(False)
            socks.append(s)
        sent = [0] * n
        end = time.monotonic() + 20
        while time.monotonic() < end and min(sent) < 15728640:
            progress = False
            for i, s in enumerate(socks):
                if sent[i] >= 15728640:
                    continue
                try:
                    k = s.send(chunk[:min(len(chunk), 15728640 - sent[i])])
                    sent[i] += k
                    progress = progress or k > 0
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    sent[i] = 15728640      # closed by the daemon
            peak = max(peak, memory_kb(pid)[0])
            if not progress:
                time.sleep(0.01)
    finally:
        for s in socks:
            s.close()
    return before, peak


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--slow", type=int, default=500, help="slow-header connections (default 500)")
    ap.add_argument("--hold", type=float, default=15, help="seconds to hold them (default 15)")
    ap.add_argument("--requests", type=int, default=2000, help="legitimate requests per measurement")
    ap.add_argument("--uploads", type=int, default=40, help="unauthenticated 15 MiB uploads (default 40)")
    a = ap.parse_args()
    port = int(a.url.rsplit(":", 1)[1].split("/")[0])
    assert a.url.startswith("http://127.0.0.1:"), "loopback only"

    print(f"legitimate client alone:        {summary(latencies(a.url, a.requests))}")
    opened, early, late, lat = slowloris(a.url, port, a.slow, a.hold, a.requests)
    print(f"with {opened} slow-header connections: {summary(lat)}")
    print(f"  slow connections still held: {early} after 1 s + the requests, {late} after {a.hold:.0f} s")
    if a.uploads <= 0:
        return
    before, peak = uploads(port, a.pid, a.uploads)
    print(f"{a.uploads} unauthenticated 15 MiB uploads: RSS {before / 1024:.1f} MB before, "
          f"{peak / 1024:.1f} MB at the peak")


if __name__ == "__main__":
    main()
