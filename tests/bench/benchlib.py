"""tests/bench/benchlib.py: what the Python benchmarks share (a daemon's health, its memory,
a free loopback port, medians). Standard library + requests only (Debian packages)."""
import socket
import statistics
import time

import requests


def free_port():
    """A free TCP port on 127.0.0.1."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_healthy(session, base, timeout=10.0):
    """Wait until GET /healthz answers 200; raises SystemExit after timeout seconds."""
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        try:
            if session.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{base}: not healthy after {timeout:.0f} s")


def memory_kb(pid):
    """(VmRSS, VmHWM) of a process in kB."""
    mem = {}
    with open(f"/proc/{pid}/status") as st:
        for line in st:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                mem[key] = int(value.split()[0])
    return mem.get("VmRSS", 0), mem.get("VmHWM", 0)


def p50(values):
    return statistics.median(values)


def p90(values):
    v = sorted(values)
    return v[max(0, int(len(v) * 0.9) - 1)]
