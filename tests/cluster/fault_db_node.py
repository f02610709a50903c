"""A Galera node killed (kill -9) under a mixed read/write load through HAProxy, then restarted
(issue 18; /work/wt/ISSUE18_CONTRACT.md). Run by `make test-cluster` (tests/cluster/run.sh) against
the cluster it started (CLUSTER_ENV or CLUSTER_DIR), or standalone (it then starts its own with
etc/cluster/cluster.sh).

The load (tests/cluster/load.py) runs through CLUSTER_URL: feed reads, budget line PUTs with
If-Match, idempotent supplier POSTs. KILL_AT seconds in, node FAULT_DB_NODE (default 1: the node
HAProxy's database front sends every connection to in the single-writer mode) is killed with
kill -9; DOWN_FOR seconds later it is started again and rejoins (IST) until Synced; the load goes on
for AFTER seconds more. Then every acknowledged write must be present exactly once, read back
through the API and straight from each of the three nodes (asserted: none lost, none twice); what
clients saw is measured and printed as one block: errors (count, statuses, first/last, span),
how long until writes and reads succeed again, how long the node took to be Synced. Clients may
see 502/503/504, connection errors, and 409/412 on replays and re-reads during the fault only;
nothing after the node is back (GRACE seconds for HAProxy to move connections back).
"""
import os
import time

import pytest

from load import (ALLOWED_FAULT_STATUSES, Load, cluster_for_tests, fault_figures, report, sleep_until,
                  verify_api, verify_db)

KILL_AT = 6.0
DOWN_FOR = 10.0
AFTER = 22.0
GRACE = 15.0
THREADS = 4


@pytest.fixture(scope="module")
def fault_cluster():
    with cluster_for_tests() as c:
        yield c


def test_a_galera_node_killed_under_load_loses_no_acknowledged_write(fault_cluster, capsys):
    c = fault_cluster
    n = int(os.environ.get("FAULT_DB_NODE", "1"))
    tokens = c.tokens()
    load = Load(c.env["CLUSTER_URL"], tokens, threads=THREADS, seconds=KILL_AT + DOWN_FOR + AFTER + 300,
                year="2085-86")
    load.setup()
    before = {i: c.node_status(i, "wsrep_local_state_comment") for i in (1, 2, 3)}
    assert set(before.values()) == {"Synced"}, before
    t = load.start()
    led = load.ledger
    try:
        sleep_until(led, KILL_AT)
        t_kill = led.now()
        c.sh("kill-db", n)
        sleep_until(led, t_kill + DOWN_FOR)
        t_restart = led.now()
        start_s = c.sh("start-db", n, timeout=240)
        t_synced = led.now()
        sleep_until(led, t_synced + AFTER)
    finally:
        load.stop.set()
        t.join(120)
    assert not t.is_alive()
    states = {i: c.node_status(i, "wsrep_local_state_comment") for i in (1, 2, 3)}
    size = {i: c.node_status(i, "wsrep_cluster_size") for i in (1, 2, 3)}

    lost = verify_api(c.env["CLUSTER_URL"], tokens, led)
    for i in (1, 2, 3):
        lost += [f"node {i}: {x}" for x in verify_db(lambda q, i=i: c.node_sql(i, q), led)]
    fig, late = fault_figures(led, t_kill, t_restart, t_synced, GRACE)
    writes = led.acked_lines() + led.acked_posts()
    block = "\n".join([
        f"== fault: Galera node {n} killed (kill -9) under load through HAProxy ({THREADS} threads, "
        f"mode {c.env.get('CLUSTER_DB_MODE', '?')}) ==",
        f"load: {led.end:.1f} s, {len(led.requests)} requests, {len(led.ok()) / led.end:.1f} ok/s",
        f"acknowledged writes: {writes} ({led.acked_lines()} line PUTs, {led.acked_posts()} POSTs); "
        f"lost or duplicated: {len(lost)} (checked through the API and on nodes 1, 2, 3)",
        *fig,
        f"node {n} restarted at +{t_restart - t_kill:.1f} s: Synced {start_s:.1f} s later "
        f"(+{t_synced - t_kill:.1f} s after the kill); cluster size {size}, states {states}",
        f"errors later than {GRACE:.0f} s after the node was back: {len(late)}",
    ])
    report(capsys, block)
    assert lost == [], "acknowledged writes lost or duplicated:\n" + "\n".join(lost[:50])
    assert writes > 20, "the load wrote almost nothing"
    assert set(states.values()) == {"Synced"} and set(size.values()) == {"3"}, (states, size)
    odd = [e for e in led.errors() if isinstance(e[2], int) and e[2] not in ALLOWED_FAULT_STATUSES]
    assert odd == [], f"clients saw statuses other than 502/503/504/409/412: {odd[:20]}"
    assert [e for e in led.errors() if e[1] < t_kill - 0.5] == [], "errors before the fault"
    assert late == [], f"errors after recovery: {late[:20]}"
