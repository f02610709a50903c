"""A Galera node killed (kill -9) under a mixed read/write load through HAProxy, then restarted
(issue 18; /work/wt/ISSUE18_CONTRACT.md). Run by `make test-cluster` (tests/cluster/run.sh) against
the cluster it started (CLUSTER_ENV or CLUSTER_DIR), or standalone (it then starts its own with
etc/cluster/cluster.sh).

The load (tests/cluster/load.py) runs through CLUSTER_URL: feed reads, budget line PUTs with
If-Match, idempotent supplier POSTs, by four people spread over both instances (tests/cluster/
fault.py). KILL_AT seconds in, node FAULT_DB_NODE (default 1: the node HAProxy's database front
sends every connection to in the single-writer mode) is killed with kill -9; DOWN_FOR seconds later it is started again and rejoins (IST) until Synced; the load goes on
for AFTER seconds more. Then every acknowledged write must be present exactly once, read back
through the API and straight from each of the three nodes (asserted: none lost, none twice); what
clients saw is measured and printed as one block: errors (count, statuses, first/last, span),
how long until writes and reads succeed again, how long the node took to be Synced. Clients may
see 502/503/504, connection errors, and 409/412 on replays and re-reads during the fault only;
nothing after the node is back (GRACE seconds for HAProxy to move connections back).
"""
import os

from fault import check_fault, run_fault

KILL_AT = 6.0
DOWN_FOR = 10.0
AFTER = 22.0
GRACE = 15.0


def test_a_galera_node_killed_under_load_loses_no_acknowledged_write(fault_cluster, capsys):
    c = fault_cluster
    n = int(os.environ.get("FAULT_DB_NODE", "1"))
    before = {i: c.node_status(i, "wsrep_local_state_comment") for i in (1, 2, 3)}
    assert set(before.values()) == {"Synced"}, before
    run = run_fault(c, "2085-86", lambda: c.sh("kill-db", n), lambda: c.sh("start-db", n, timeout=240),
                    KILL_AT, DOWN_FOR, AFTER)
    states = {i: c.node_status(i, "wsrep_local_state_comment") for i in (1, 2, 3)}
    size = {i: c.node_status(i, "wsrep_cluster_size") for i in (1, 2, 3)}
    # the bursards' database connections, by node, once it is all over
    conns = {k: v[1] for k, v in c.servers("db").items()}
    single = c.env.get("CLUSTER_DB_MODE", "single") == "single"
    check_fault(c, run, capsys, f"Galera node {n} killed (kill -9)",
                f"node {n} restarted at +{run.t_restart - run.t_kill:.1f} s: Synced {run.restart_s:.1f} s later "
                f"(+{run.t_back - run.t_kill:.1f} s after the kill); cluster size {size}, states {states}\n"
                f"database connections through HAProxy afterwards: {conns} (failback "
                f"{'on' if c.env.get('CLUSTER_DB_FAILBACK') == '1' else 'off'})", GRACE)
    assert set(states.values()) == {"Synced"} and set(size.values()) == {"3"}, (states, size)
    if single:
        assert sum(1 for v in conns.values() if v > 0) == 1, f"one writer: connections on {conns}"
