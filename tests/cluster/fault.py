"""tests/cluster/fault.py - what the fault tests (fault_db_node.py, fault_bursard.py) share: a mixed
load through HAProxy (tests/cluster/load.py) by THREADS people spread over both instances, one
fault in it (something killed, then started again), and afterwards every acknowledged write looked
for (through the API and on each of the three nodes) and what clients saw measured: one block
printed (and kept in var/test-output/cluster/figures.txt), then the checks every fault test makes.
"""
from dataclasses import dataclass

from load import ALLOWED_FAULT_STATUSES, Load, fault_figures, report, sleep_until, verify_api, verify_db

THREADS = 4


@dataclass
class FaultRun:
    load: Load
    t_kill: float                   # seconds since the load began
    t_restart: float
    t_back: float
    restart_s: float                # what the restart took (cluster.sh start-...)

    @property
    def ledger(self):
        return self.load.ledger


def spread_load(c, year, seconds, threads=THREADS, mix=None):
    """A Load through HAProxy, set up, whose threads are people of their own spread over both
    instances (HAProxy sends one person to one instance: with the seeded tokens every thread would
    be on the same one)."""
    load = Load(c.env["CLUSTER_URL"], c.tokens(), threads=threads, seconds=seconds, year=year, mix=mix)
    load.setup()
    load.people = c.people(threads, schools=[load.feed_urn])
    return load


def run_fault(c, year, kill, restart, kill_at, down_for, after):
    """The load; kill() kill_at s in; restart() down_for s later (its seconds: restart_s); the
    load goes on for `after` s once restart() has returned."""
    load = spread_load(c, year, kill_at + down_for + after + 300)
    t = load.start()
    led = load.ledger
    try:
        sleep_until(led, kill_at)
        t_kill = led.now()
        kill()
        sleep_until(led, t_kill + down_for)
        t_restart = led.now()
        restart_s = restart()
        t_back = led.now()
        sleep_until(led, t_back + after)
    finally:
        load.stop.set()
        t.join(120)
    assert not t.is_alive(), "the load did not stop"
    return FaultRun(load, t_kill, t_restart, t_back, restart_s)


def check_fault(c, run, capsys, title, restarted, grace):
    """Every acknowledged write present exactly once, the figures printed as one block (title,
    then `restarted`: a line saying what came back and when), then asserted: nothing lost or
    twice, the load wrote something, clients saw only 502/503/504/409/412 and connection errors,
    none before the fault and none later than `grace` s after the restart."""
    led = run.ledger
    tokens = c.tokens()
    lost = verify_api(c.env["CLUSTER_URL"], tokens, led)
    for i in (1, 2, 3):
        lost += [f"node {i}: {x}" for x in verify_db(lambda q, i=i: c.node_sql(i, q), led)]
    fig, late = fault_figures(led, run.t_kill, run.t_restart, run.t_back, grace)
    writes = led.acked_lines() + led.acked_posts()
    report(capsys, "\n".join([
        f"== fault: {title} under load through HAProxy ({run.load.threads} threads, people on both instances, "
        f"database front {c.env.get('CLUSTER_DB_MODE', '?')}) ==",
        f"load: {led.end:.1f} s, {len(led.requests)} requests, {len(led.ok()) / led.end:.1f} ok/s",
        f"acknowledged writes: {writes} ({led.acked_lines()} line PUTs, {led.acked_posts()} POSTs); "
        f"lost or duplicated: {len(lost)} (checked through the API and on nodes 1, 2, 3)",
        *fig,
        restarted,
        f"errors later than {grace:.0f} s after it was back: {len(late)}",
    ]))
    assert lost == [], "acknowledged writes lost or duplicated:\n" + "\n".join(lost[:50])
    assert writes > 20, "the load wrote almost nothing"
    odd = [e for e in led.errors() if isinstance(e[2], int) and e[2] not in ALLOWED_FAULT_STATUSES]
    assert odd == [], f"clients saw statuses other than 502/503/504/409/412: {odd[:20]}"
    assert [e for e in led.errors() if e[1] < run.t_kill - 0.5] == [], "errors before the fault"
    assert late == [], f"errors after recovery: {late[:20]}"
