#!/usr/bin/python3
"""etc/cluster/db_front_bench.py - which database front for the bursards: one writer with failover
(CLUSTER_DB_MODE=single) or every Galera node (CLUSTER_DB_MODE=all)? Measured, not guessed.

For each mode: a cluster started with etc/cluster/cluster.sh in a throwaway directory, then a short
bounded write load through HAProxy's HTTP front (127.0.0.1 only): THREADS clients for SECONDS each,
every client in a loop reading one of HOT suppliers (its ETag) and writing it back with If-Match
(the rows every client fights over: Galera's certification conflicts live there), and every
fourth write instead a new supplier (no conflict). Printed per mode: writes acknowledged per
second, If-Match losers (412) and other statuses per 100 writes, and the Galera nodes' certification
failures and brute-force aborts (1213 to the client, retried by bursard) summed over the nodes.

    etc/cluster/db_front_bench.py [SECONDS [THREADS]]      (defaults 20 and 8; needs `make`)
"""
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
CLUSTER_SH = HERE / "cluster.sh"
HOT = 4


def env_of(d):
    out = {}
    for line in (Path(d) / "cluster.env").read_text().splitlines():
        k, _, v = line.partition("=")
        out[k] = v
    return out


def galera_counters(env):
    total = {}
    for n in (1, 2, 3):
        cp = subprocess.run(["mariadb", f"--defaults-file={env[f'DB_NODE_{n}_CNF']}", "-N", "-B", "-e",
                             "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE "
                             "VARIABLE_NAME IN ('WSREP_LOCAL_CERT_FAILURES', 'WSREP_LOCAL_BF_ABORTS', "
                             "'WSREP_LOCAL_COMMITS', 'COM_UPDATE', 'COM_INSERT')"],
                            capture_output=True, text=True, timeout=30)
        for line in cp.stdout.splitlines():
            k, v = line.split("\t")
            total[k.lower()] = total.get(k.lower(), 0) + int(v)
            total[f"{k.lower()}@{n}"] = int(v)
    return total


def body():
    return {"name": f"Bench {uuid.uuid4().hex[:8]} Ltd", "companies_house_number": f"{uuid.uuid4().int % 10 ** 8:08d}",
            "vat_number": "GB999999973", "contact_name": "Sam Jones", "contact_email": "sam@example.org",
            "contact_phone": "+44 (0)20 7946 0000", "related_party": False}


def load(url, token, seconds, threads):
    h = {"Authorization": f"Bearer {token}"}
    hot = []
    with requests.Session() as s:
        for _ in range(HOT):
            r = s.post(url + "/api/v1/suppliers", json=body(), headers=h, timeout=30)
            r.raise_for_status()
            hot.append(r.json()["id"])
    counts = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def count(k):
        with lock:
            counts[k] = counts.get(k, 0) + 1

    def client(i):
        s = requests.Session()
        n = 0
        while time.monotonic() < stop:
            n += 1
            try:
                if n % 4 == 0:
                    r = s.post(url + "/api/v1/suppliers", json=body(), headers=h, timeout=30)
                    count(("post", r.status_code))
                    continue
                sid = hot[(i + n) % HOT]
                g = s.get(f"{url}/api/v1/suppliers/{sid}", headers=h, timeout=30)
                if g.status_code != 200:
                    count(("get", g.status_code))
                    continue
                cur = g.json()
                new = {k: cur[k] for k in ("name", "companies_house_number", "vat_number", "contact_name",
                                           "contact_email", "contact_phone", "related_party")}
                new["contact_name"] = f"Writer {i} {n}"
                r = s.put(f"{url}/api/v1/suppliers/{sid}", json=new, headers={**h, "If-Match": g.headers["ETag"]},
                          timeout=30)
                count(("put", r.status_code))
            except requests.RequestException as e:
                count(("error", type(e).__name__))
        s.close()

    ts = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    t0 = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join(seconds + 60)
    return counts, time.monotonic() - t0


def run(mode, seconds, threads):
    d = tempfile.mkdtemp(prefix="bc.", dir="/tmp")
    envv = dict(os.environ, CLUSTER_DB_MODE=mode)
    try:
        subprocess.run(["bash", str(CLUSTER_SH), "start", d], check=True, env=envv, timeout=300)
        env = env_of(d)
        tok = next(line.split("\t")[1] for line in (Path(d) / "tokens").read_text().splitlines()
                   if line.startswith("finance_director\t"))
        before = galera_counters(env)
        counts, took = load(env["CLUSTER_URL"], tok, seconds, threads)
        after = galera_counters(env)
    finally:
        subprocess.run(["bash", str(CLUSTER_SH), "stop", d], env=envv, timeout=300)
        subprocess.run(["rm", "-rf", d])
    delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    puts = sum(v for (kind, st), v in counts.items() if kind == "put")
    posts = sum(v for (kind, st), v in counts.items() if kind == "post")
    ok = sum(v for (kind, st), v in counts.items() if kind in ("put", "post") and isinstance(st, int) and st < 300)
    per100 = lambda v, of: 100.0 * v / of if of else 0.0  # noqa: E731
    s412 = counts.get(("put", 412), 0)
    other = {f"{k[0]} {k[1]}": v for k, v in sorted(counts.items(), key=str)
             if not (isinstance(k[1], int) and (k[1] < 300 or k[1] == 412))}
    conflicts = delta.get("wsrep_local_cert_failures", 0) + delta.get("wsrep_local_bf_aborts", 0)
    print(f"== database front: {mode} ({threads} clients, {took:.0f} s, {HOT} hot rows) ==")
    print(f"  writes acknowledged: {ok} ({ok / took:.1f}/s); PUT attempts {puts}, POST {posts}")
    print(f"  412 (If-Match lost): {s412} ({per100(s412, puts):.1f} per 100 PUTs)")
    print(f"  other statuses/errors: {other or 'none'}")
    print(f"  Galera cert failures + BF aborts (1213, retried by bursard): {conflicts} "
          f"({per100(conflicts, ok):.1f} per 100 acknowledged writes)")
    print("  commits per node: " + ", ".join(f"node{n} {delta.get(f'wsrep_local_commits@{n}', 0)}" for n in (1, 2, 3)))
    sys.stdout.flush()


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    for mode in ("single", "all"):
        run(mode, seconds, threads)


if __name__ == "__main__":
    main()
