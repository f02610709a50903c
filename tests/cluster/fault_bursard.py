"""A bursard instance killed (kill -9) under a mixed read/write load through HAProxy, then
restarted; and the throughput of one instance against two behind HAProxy, in the same run (issue
18; /work/wt/ISSUE18_CONTRACT.md). Run by `make test-cluster` (tests/cluster/run.sh) against the
cluster it started (CLUSTER_ENV or CLUSTER_DIR), or standalone (it then starts its own).

Throughput: the school-systems feed read (GET /api/v1/schools/{urn}/services, the hot cached read)
with wrk (or the Python load when wrk is missing), and a write (budget line PUTs with If-Match,
each client thread its own budget) with the Python load, against BURSARD_1_URL and then
CLUSTER_URL, each twice in alternating order (the best of each kept): one block. On a 2-CPU machine
both instances and the database share the same two CPUs, so two instances measure what HAProxy and
a second process cost or give there, not what a second machine would.

The fault: the load runs through CLUSTER_URL; KILL_AT seconds in, bursard 1 is killed with kill -9;
DOWN_FOR seconds later it is started again (cluster.sh waits for /readyz); the load goes on for
AFTER seconds. Every acknowledged write must be present exactly once (through the API and on each
node); errors are measured and printed (count, statuses, first/last, span, until writes succeed
again); nothing after the instance is back (GRACE seconds for HAProxy's health check).
"""
import re
import shutil
import subprocess

import pytest

from load import (ALLOWED_FAULT_STATUSES, Load, cluster_for_tests, fault_figures, report, sleep_until,
                  verify_api, verify_db)

KILL_AT = 6.0
DOWN_FOR = 8.0
AFTER = 12.0
GRACE = 8.0
THREADS = 4
BENCH_S = 5


@pytest.fixture(scope="module")
def fault_cluster():
    with cluster_for_tests() as c:
        yield c


def feed_rps(url, tokens, urn, seconds=BENCH_S):
    """(requests/s, non-2xx count, tool) of the feed read against url."""
    path = f"/api/v1/schools/{urn}/services?year=2026-27"
    if shutil.which("wrk"):
        cp = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "10s",
                             "-H", f"Authorization: Bearer {tokens['school_system']}", url + path],
                            capture_output=True, text=True, timeout=seconds + 60)
        assert cp.returncode == 0, cp.stdout + cp.stderr
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", cp.stdout).group(1))
        m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", cp.stdout)
        errs = int(m.group(1)) if m else 0
        m = re.search(r"Socket errors: (.*)", cp.stdout)
        return rps, errs + (sum(int(x) for x in re.findall(r"\d+", m.group(1))) if m else 0), "wrk -t2 -c8"
    led = Load(url, tokens, threads=THREADS, seconds=seconds, mix={"read": 1}).run()
    return len(led.ok()) / led.end, len(led.errors()), f"python {THREADS} threads"


def write_rps(url, tokens, year, seconds=BENCH_S):
    led = Load(url, tokens, threads=THREADS, seconds=seconds, mix={"line": 1}, year=year).run()
    return len(led.ok("line")) / led.end, len(led.errors()), led


def test_throughput_of_one_instance_and_of_two_behind_haproxy(fault_cluster, capsys):
    c = fault_cluster
    tokens = c.tokens()
    urls = {"one instance (BURSARD_1_URL)": c.env["BURSARD_1_URL"], "two behind HAProxy (CLUSTER_URL)":
            c.env["CLUSTER_URL"]}
    probe = Load(c.env["CLUSTER_URL"], tokens, threads=1)
    probe.setup()
    feed_urn = probe.feed_urn
    reads = {k: [] for k in urls}
    writes = {k: [] for k in urls}
    tool = None
    for order in (list(urls), list(reversed(urls))):
        for k in order:
            rps, errs, tool = feed_rps(urls[k], tokens, feed_urn)
            reads[k].append((rps, errs))
        for k in order:
            # the same budgets for both targets (one per thread): what differs is the path to them
            rps, errs, led = write_rps(urls[k], tokens, "2086-87")
            writes[k].append((rps, errs))
            assert verify_api(urls[k], tokens, led) == []
    lines = [f"== throughput: one bursard against two behind HAProxy (same run; best of 2, {BENCH_S} s each) =="]
    for k in urls:
        r = max(reads[k])
        w = max(writes[k])
        lines.append(f"{k}: feed read {r[0]:.0f} req/s ({tool}), line PUT {w[0]:.1f} req/s "
                     f"({THREADS} threads); errors {sum(e for _r, e in reads[k] + writes[k])}")
    k1, k2 = list(urls)
    lines.append(f"ratio two/one: feed read {max(reads[k2])[0] / max(reads[k1])[0]:.2f}, "
                 f"line PUT {max(writes[k2])[0] / max(writes[k1])[0]:.2f}")
    report(capsys, "\n".join(lines))
    assert all(e == 0 for k in urls for _r, e in reads[k] + writes[k]), (reads, writes)


def test_a_bursard_killed_under_load_loses_no_acknowledged_write(fault_cluster, capsys):
    c = fault_cluster
    tokens = c.tokens()
    load = Load(c.env["CLUSTER_URL"], tokens, threads=THREADS, seconds=KILL_AT + DOWN_FOR + AFTER + 300,
                year="2087-88")
    load.setup()
    t = load.start()
    led = load.ledger
    try:
        sleep_until(led, KILL_AT)
        t_kill = led.now()
        c.sh("kill-bursard", 1)
        sleep_until(led, t_kill + DOWN_FOR)
        t_restart = led.now()
        start_s = c.sh("start-bursard", 1, timeout=120)
        t_back = led.now()
        sleep_until(led, t_back + AFTER)
    finally:
        load.stop.set()
        t.join(120)
    assert not t.is_alive()
    lost = verify_api(c.env["CLUSTER_URL"], tokens, led)
    for i in (1, 2, 3):
        lost += [f"node {i}: {x}" for x in verify_db(lambda q, i=i: c.node_sql(i, q), led)]
    fig, late = fault_figures(led, t_kill, t_restart, t_back, GRACE)
    writes = led.acked_lines() + led.acked_posts()
    block = "\n".join([
        f"== fault: bursard 1 killed (kill -9) under load through HAProxy ({THREADS} threads) ==",
        f"load: {led.end:.1f} s, {len(led.requests)} requests, {len(led.ok()) / led.end:.1f} ok/s",
        f"acknowledged writes: {writes} ({led.acked_lines()} line PUTs, {led.acked_posts()} POSTs); "
        f"lost or duplicated: {len(lost)} (checked through the API and on nodes 1, 2, 3)",
        *fig,
        f"bursard 1 restarted at +{t_restart - t_kill:.1f} s: ready {start_s:.1f} s later",
        f"errors later than {GRACE:.0f} s after it was back: {len(late)}",
    ])
    report(capsys, block)
    assert lost == [], "acknowledged writes lost or duplicated:\n" + "\n".join(lost[:50])
    assert writes > 20, "the load wrote almost nothing"
    odd = [e for e in led.errors() if isinstance(e[2], int) and e[2] not in ALLOWED_FAULT_STATUSES]
    assert odd == [], f"clients saw statuses other than 502/503/504/409/412: {odd[:20]}"
    assert [e for e in led.errors() if e[1] < t_kill - 0.5] == [], "errors before the fault"
    assert late == [], f"errors after recovery: {late[:20]}"
