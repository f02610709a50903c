"""A bursard instance killed (kill -9) under a mixed read/write load through HAProxy, then
restarted; and the throughput of one instance against two behind HAProxy, in the same run (issue
18; /work/wt/ISSUE18_CONTRACT.md). Run by `make test-cluster` (tests/cluster/run.sh) against the
cluster it started (CLUSTER_ENV or CLUSTER_DIR), or standalone (it then starts its own).

Throughput: the school-systems feed read (GET /api/v1/schools/{urn}/services, the hot cached read)
with wrk (or the Python load when wrk is missing), and a write (budget line PUTs with If-Match,
each client thread its own budget) with the Python load, by four people with tokens of their own
(HAProxy sends one person to one instance: two of them are on each, tests/cluster/fault.py),
against BURSARD_1_URL and then CLUSTER_URL, each twice in alternating order (the best of each kept): one block. On a 2-CPU machine
both instances and the database share the same two CPUs, so two instances measure what HAProxy and
a second process cost or give there, not what a second machine would.

The fault: the load runs through CLUSTER_URL (the same four people: two of them on the instance
killed); KILL_AT seconds in, bursard 1 is killed with kill -9;
DOWN_FOR seconds later it is started again (cluster.sh waits for /readyz); the load goes on for
AFTER seconds. Every acknowledged write must be present exactly once (through the API and on each
node); errors are measured and printed (count, statuses, first/last, span, until writes succeed
again); nothing after the instance is back (GRACE seconds for HAProxy's health check).
"""
import re
import shutil
import subprocess
import tempfile

from fault import THREADS, check_fault, run_fault, spread_load
from load import Load, report, verify_api

KILL_AT = 6.0
DOWN_FOR = 8.0
AFTER = 12.0
GRACE = 8.0
BENCH_S = 5

# wrk: each request as one of the people (their school_system tokens, one per instance), in turn
WRK_PEOPLE_LUA = """
local tokens = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "%s", {["Authorization"] = "Bearer " .. tokens[i %% #tokens + 1]})
end
"""


def feed_rps(url, people, urn, seconds=BENCH_S):
    """(requests/s, non-2xx count, tool) of the feed read against url, by the people in turn."""
    path = f"/api/v1/schools/{urn}/services?year=2026-27"
    if shutil.which("wrk"):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="wrk-people.") as script:
            script.write(WRK_PEOPLE_LUA % (", ".join(f'"{p["school_system"]}"' for p in people), path))
            script.flush()
            cp = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "10s", "-s", script.name,
                                 url + path], capture_output=True, text=True, timeout=seconds + 60)
        assert cp.returncode == 0, cp.stdout + cp.stderr
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", cp.stdout).group(1))
        m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", cp.stdout)
        errs = int(m.group(1)) if m else 0
        m = re.search(r"Socket errors: (.*)", cp.stdout)
        return rps, errs + (sum(int(x) for x in re.findall(r"\d+", m.group(1))) if m else 0), "wrk -t2 -c8"
    led = Load(url, people[0], threads=THREADS, seconds=seconds, mix={"read": 1}, people=people).run()
    return len(led.ok()) / led.end, len(led.errors()), f"python {THREADS} threads"


def write_rps(url, tokens, people, year, seconds=BENCH_S):
    led = Load(url, tokens, threads=THREADS, seconds=seconds, mix={"line": 1}, year=year, people=people).run()
    return len(led.ok("line")) / led.end, len(led.errors()), led


def test_throughput_of_one_instance_and_of_two_behind_haproxy(fault_cluster, capsys):
    c = fault_cluster
    tokens = c.tokens()
    urls = {"one instance (BURSARD_1_URL)": c.env["BURSARD_1_URL"], "two behind HAProxy (CLUSTER_URL)":
            c.env["CLUSTER_URL"]}
    # the same people against both targets: through HAProxy half of them on each instance
    probe = spread_load(c, "2086-87", BENCH_S, mix={"line": 1})
    people, feed_urn = probe.people, probe.feed_urn
    reads = {k: [] for k in urls}
    writes = {k: [] for k in urls}
    tool = None
    for order in (list(urls), list(reversed(urls))):
        for k in order:
            rps, errs, tool = feed_rps(urls[k], people, feed_urn)
            reads[k].append((rps, errs))
        for k in order:
            # the same budgets for both targets (one per thread): what differs is the path to them
            rps, errs, led = write_rps(urls[k], tokens, people, "2086-87")
            writes[k].append((rps, errs))
            assert verify_api(urls[k], tokens, led) == []
    lines = [f"== throughput: one bursard against two behind HAProxy (same run; best of 2, {BENCH_S} s each; "
             f"{len(people)} people, half of them on each instance through HAProxy) =="]
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
    run = run_fault(c, "2087-88", lambda: c.sh("kill-bursard", 1), lambda: c.sh("start-bursard", 1, timeout=120),
                    KILL_AT, DOWN_FOR, AFTER)
    check_fault(c, run, capsys, "bursard 1 killed (kill -9)",
                f"bursard 1 restarted at +{run.t_restart - run.t_kill:.1f} s: ready {run.restart_s:.1f} s later", GRACE)
