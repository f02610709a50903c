"""What MariaDB Galera needs of bursar (issue 18; DESIGN.md "Scale-out"), checked on the single
test server:

- every table has a primary key and is InnoDB (Galera replicates InnoDB only, and a row without a
  key cannot be applied by key on the other nodes);
- no LOCK TABLES, GET_LOCK or MyISAM anywhere in schema/, daemon/ or plugins/ (the sources scanned);
- nothing relies on consecutive auto-increment values: a real workload (a supplier, a contract, a
  budget and its lines, a ledger mapping and an actuals import, a forecast run, an idempotent
  replay) in a database of its own, migrated, seeded and served while the server hands out ids as a
  three-node Galera cluster does (auto_increment_increment = 3, auto_increment_offset = 2): every
  reply and every read-back is right, and every new id is one of node 2's;
- a deadlock (1213, also what a Galera certification failure reports) re-runs the whole
  transaction after a backoff: a real deadlock between a direct MariaDB connection and a request,
  with the request's transaction chosen as the victim; the request still succeeds once, and the
  log says it was re-run.

The write-set sizes of a 20,000-row actuals import and of a 1,000-school forecast save are measured
on the cluster (tests/cluster, `make test-cluster`), where Galera reports them.
"""
import os
import queue
import re
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from conftest import (DBDIR, ROOT, Api, Daemon, expect, free_port, run_bursard, sql, sql_rows, sql_value,
                      write_config)

# ---------------------------------------------------------------------------
# the schema: primary keys and engines
# ---------------------------------------------------------------------------


def test_every_table_has_a_primary_key_and_is_innodb(seeded):
    tables = sql_rows("SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES "
                      "WHERE TABLE_SCHEMA = 'bursar' AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1")
    assert len(tables) > 30, tables                   # the migrations ran
    assert [t for t, engine in tables if engine != "InnoDB"] == []
    no_pk = sql_rows("SELECT t.TABLE_NAME FROM information_schema.TABLES t "
                     "LEFT JOIN information_schema.TABLE_CONSTRAINTS c ON c.TABLE_SCHEMA = t.TABLE_SCHEMA "
                     "AND c.TABLE_NAME = t.TABLE_NAME AND c.CONSTRAINT_TYPE = 'PRIMARY KEY' "
                     "WHERE t.TABLE_SCHEMA = 'bursar' AND t.TABLE_TYPE = 'BASE TABLE' AND c.TABLE_NAME IS NULL")
    assert no_pk == [], f"tables without a primary key: {no_pk}"


# ---------------------------------------------------------------------------
# the sources: no table locks, no named locks, no MyISAM
# ---------------------------------------------------------------------------

FORBIDDEN = [
    ("LOCK TABLES", re.compile(r"\bLOCK\s+TABLES?\b", re.I)),
    ("UNLOCK TABLES", re.compile(r"\bUNLOCK\s+TABLES\b", re.I)),
    ("FLUSH TABLES WITH READ LOCK", re.compile(r"\bFLUSH\s+TABLES\b[^;]*\bREAD\s+LOCK\b", re.I)),
    ("GET_LOCK", re.compile(r"\b(GET_LOCK|RELEASE_LOCK|IS_FREE_LOCK|IS_USED_LOCK|RELEASE_ALL_LOCKS)\s*\(", re.I)),
    ("MyISAM", re.compile(r"\bMyISAM\b", re.I)),
    ("an engine other than InnoDB", re.compile(r"\bENGINE\s*=\s*(?!InnoDB\b)\w+", re.I)),
    ("CREATE TABLE without a key", re.compile(r"\bCREATE\s+TABLE\b(?![^;]*\bPRIMARY\s+KEY\b)[^;]*;", re.I | re.S)),
]


def _sources():
    for top, exts in (("schema", (".sql",)), ("daemon", (".c", ".h")), ("plugins", (".c", ".h"))):
        for p in sorted((ROOT / top).rglob("*")):
            if p.suffix in exts and "node_modules" not in p.parts:
                yield p


def _violations(text):
    return [name for name, rx in FORBIDDEN if rx.search(text)]


def test_the_scan_finds_what_it_looks_for():
    """The patterns catch each thing they are for (a scan that finds nothing must mean nothing is there)."""
    assert _violations("LOCK TABLES budgets WRITE") == ["LOCK TABLES"]
    assert _violations("unlock tables") == ["UNLOCK TABLES"]
    assert _violations('"SELECT GET_LOCK(?, 10)"') == ["GET_LOCK"]
    assert _violations("SELECT RELEASE_LOCK('x')") == ["GET_LOCK"]
    assert "MyISAM" in _violations(") ENGINE=MyISAM;")
    assert _violations(") ENGINE=Aria;") == ["an engine other than InnoDB"]
    assert _violations("CREATE TABLE t (a INT) ENGINE=InnoDB;") == ["CREATE TABLE without a key"]
    assert _violations("CREATE TABLE t (a INT, PRIMARY KEY (a)) ENGINE=InnoDB;") == []
    assert _violations("SELECT ... FOR UPDATE; SELECT ... LOCK IN SHARE MODE") == []


def test_no_table_locks_named_locks_or_myisam_in_the_sources():
    found = {}
    files = list(_sources())
    assert len(files) > 100
    for p in files:
        text = p.read_text(errors="replace")
        # SQL comments and C comments may name what is forbidden (to say it is not used)
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r"(--|//)[^\n]*", "", text)
        v = _violations(text)
        if v:
            found[str(p.relative_to(ROOT))] = v
    assert found == {}


# ---------------------------------------------------------------------------
# auto-increment values as Galera hands them out
# ---------------------------------------------------------------------------

GDB = "bursar_galera"
INCREMENT, OFFSET = 3, 2


def _global_ai():
    return tuple(int(v) for v in sql_rows("SELECT @@GLOBAL.auto_increment_increment, "
                                          "@@GLOBAL.auto_increment_offset")[0])


@pytest.fixture(scope="module")
def interleaved(tmp_path_factory, seeded):
    """A database of its own, migrated, seeded and served by a bursard whose every connection
    gets auto_increment_increment = 3, auto_increment_offset = 2 (set GLOBAL on the throwaway
    server for the duration, as Galera sets them on node 2 of three; restored afterwards).
    Yields (api, daemon)."""
    work = tmp_path_factory.mktemp("galera")
    port = free_port()
    conf = write_config(work / "galera.conf", port)
    conf.write_text(conf.read_text().replace('name = "bursar";', f'name = "{GDB}";'))
    before = _global_ai()
    sql(f"DROP DATABASE IF EXISTS {GDB}; CREATE DATABASE {GDB} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    d = None
    try:
        sql(f"SET GLOBAL auto_increment_increment = {INCREMENT}, auto_increment_offset = {OFFSET}")
        run_bursard("migrate", conf=conf)
        run_bursard("seed", "--tokens", work / "tokens", "--users", work / "users", conf=conf, timeout=120)
        tokens = {}
        for line in (work / "tokens").read_text().splitlines():
            role, tok, _label = line.split("\t")
            tokens[role] = tok
        d = Daemon("galera", conf=conf, port=port).start()
        a = Api(d.url, tokens)
        yield a, d
        a.session.close()
    finally:
        sql(f"SET GLOBAL auto_increment_increment = {before[0]}, auto_increment_offset = {before[1]}")
        if d is not None:
            d.stop()
        sql(f"DROP DATABASE IF EXISTS {GDB}")
    assert _global_ai() == before


def node2(i):
    """An id node 2 of a three-node cluster hands out."""
    return isinstance(i, int) and i % INCREMENT == OFFSET % INCREMENT


def gsql_rows(q):
    return sql_rows(q.replace("{db}", GDB))


def test_the_setting_reaches_the_daemons_connections(interleaved):
    api, _ = interleaved
    # the seed itself ran under it: its audit rows and tokens have node 2's ids
    ids = [int(r[0]) for r in gsql_rows("SELECT id FROM {db}.audit_log ORDER BY id")]
    assert ids and all(node2(i) for i in ids), ids[:10]
    assert all(node2(int(r[0])) for r in gsql_rows("SELECT id FROM {db}.api_tokens"))


def test_a_workload_is_right_with_interleaved_ids(interleaved):
    api, _ = interleaved
    fd = "finance_director"
    a0 = int(gsql_rows("SELECT COALESCE(MAX(id), 0) FROM {db}.audit_log")[0][0])

    # a supplier, its contract; replies, read-backs and the audit rows agree on the ids
    crn = f"{uuid.uuid4().int % 10 ** 8:08d}"
    sup = expect(api.post("/api/v1/suppliers", role=fd, json={
        "name": "Galera Cleaning Ltd", "companies_house_number": crn, "vat_number": "GB999999973",
        "contact_name": "Sam Jones", "contact_email": "sam@example.org", "contact_phone": "+44 20 7946 0000",
        "related_party": False}), 201)
    assert node2(sup["id"]) and sup["version"] == 1
    got = expect(api.get(f"/api/v1/suppliers/{sup['id']}", role=fd), 200)
    assert got["companies_house_number"] == crn and got["id"] == sup["id"]
    from test_contracts import contract_body
    con = expect(api.post("/api/v1/contracts", role=fd, json=contract_body(sup["id"])), 201)
    assert node2(con["id"]) and con["supplier_id"] == sup["id"]
    assert expect(api.get(f"/api/v1/contracts/{con['id']}", role=fd), 200)["reference"] == con["reference"]

    # an idempotent POST replayed gives the first reply, not a second row
    h = {"Idempotency-Key": "galera-" + uuid.uuid4().hex}
    body = {"name": "Galera Catering Ltd", "companies_house_number": f"{(int(crn) + 1) % 10 ** 8:08d}"}
    r1 = api.post("/api/v1/suppliers", role=fd, json=body, headers=h)
    s1 = expect(r1, 201)
    s2 = expect(api.post("/api/v1/suppliers", role=fd, json=body, headers=h), 201)
    assert s1 == s2 and node2(s1["id"])
    assert gsql_rows(f"SELECT COUNT(*) FROM {{db}}.suppliers WHERE name = 'Galera Catering Ltd'") == [["1"]]

    # a budget and its lines: a whole-budget PUT (bulk inserts), one line added, one changed
    urn = gsql_rows("SELECT urn FROM {db}.schools WHERE kind = 'school' ORDER BY urn LIMIT 1")[0][0]
    url = f"/api/v1/schools/{urn}/budgets/2040-41"
    lines = [{"account_code": c, "amount_pence": p, "description": d} for c, p, d in (
        ("I01", 90000000, "GAG"), ("I05", 10000000, "Pupil premium"), ("E01", 55000000, "Teachers"),
        ("E03", 25000000, "Teaching assistants"), ("E16", 2500000, "Energy"), ("E19", 6500000, "Resources"))]
    r = api.put(url, role=fd, json={"lines": lines})
    b = expect(r, 201)
    typed = [l for l in b["lines"] if l.get("source", "typed") == "typed"]
    assert [(l["account_code"], l["amount_pence"]) for l in typed] == [(l["account_code"], l["amount_pence"])
                                                                      for l in lines]
    ids = [l["id"] for l in b["lines"] if l["id"] is not None]      # computed lines have none
    assert len(ids) >= len(lines)
    assert len(set(ids)) == len(ids) and all(node2(i) for i in ids), ids
    new = expect(api.post(url + "/lines", role=fd, json={"account_code": "E18", "amount_pence": 12345,
                                                         "description": "Galera line"},
                          headers={"If-Match": r.headers["ETag"]}), 201)
    assert node2(new["id"])
    r = api.get(url, role=fd)
    read = expect(r, 200)
    by_id = {l["id"]: l for l in read["lines"] if l["id"] is not None}
    assert by_id[new["id"]]["amount_pence"] == 12345 and by_id[new["id"]]["description"] == "Galera line"
    for l in typed:
        assert by_id[l["id"]]["amount_pence"] == l["amount_pence"]
    upd = expect(api.put(f"{url}/lines/{typed[2]['id']}", role=fd,
                         json={"account_code": "E01", "amount_pence": 55500000, "description": "Teachers (award)"},
                         headers={"If-Match": r.headers["ETag"]}), 200)
    assert upd["id"] == typed[2]["id"]
    read = expect(api.get(url, role=fd), 200)
    by_id = {l["id"]: l for l in read["lines"] if l["id"] is not None}
    assert by_id[typed[2]["id"]]["amount_pence"] == 55500000 and by_id[new["id"]]["amount_pence"] == 12345
    assert sorted(int(x[0]) for x in gsql_rows(
        f"SELECT l.id FROM {{db}}.budget_lines l JOIN {{db}}.budgets b ON b.id = l.budget_id "
        f"JOIN {{db}}.schools s ON s.id = b.school_id WHERE s.urn = '{urn}' AND b.year = 2040")) == sorted(by_id)

    # a ledger mapping and an actuals import: cells read back as the file says
    expect(api.post("/api/v1/ledger/cost-centres", role=fd, json={"code": "GA-CC1", "urn": urn}), 201)
    for code, acct in (("GA4000", "I01"), ("GA5000", "E02")):
        expect(api.post("/api/v1/ledger/nominals", role=fd, json={"code": code, "account_code": acct}), 201)
    csv = ("Nominal,Cost centre,Period,Amount\r\n" + "".join(
        f"GA5000,GA-CC1,{m},{100 + m}.{m:02d}\r\nGA4000,GA-CC1,{m},-{5000 + m}\r\n" for m in range(1, 13)))
    r = api.post("/api/v1/actuals/import?year=2039-40&kind=actual", role=fd, body=csv.encode(), json_ct=False,
                 headers={"Content-Type": "text/csv; charset=utf-8"})
    out = expect(r, 200)
    assert node2(out["import_id"]) and out["rows"] == 24 and out["written"] == 24
    cells = expect(api.get(f"/api/v1/schools/{urn}/actuals?year=2039-40", role=fd), 200)["items"]
    assert len(cells) == 24
    months = [f"{2039 + (m + 7) // 12}-{(m + 7) % 12 + 1:02d}" for m in range(1, 13)]
    want = {(months[m - 1], "E02"): (100 + m) * 100 + m for m in range(1, 13)}
    want.update({(months[m - 1], "I01"): (5000 + m) * 100 for m in range(1, 13)})
    assert {(c["month"], c["account_code"]): c["amount_pence"] for c in cells} == want
    imps = expect(api.get("/api/v1/actuals/imports?year=2039-40", role=fd), 200)["items"]
    assert [i["id"] for i in imps] == [out["import_id"]]

    # a forecast run: its summary, its full read-back and its rows agree
    scen = expect(api.get("/api/v1/scenarios", role=fd), 200)["items"]
    sid = [s for s in scen if s["name"] == "expected"][0]["id"]
    run = expect(api.post("/api/v1/forecasts", role=fd, json={"scenario": sid, "base_year": "2026-27",
                                                              "horizon": 3}, timeout=120), 201)
    assert node2(run["id"])
    full = expect(api.get(f"/api/v1/forecasts/{run['id']}", role=fd, timeout=120), 200)
    assert full["id"] == run["id"] and len(full["entities"]) == len(run["entities"])
    for e, f in zip(run["entities"], full["entities"]):
        assert e["urn"] == f["urn"]
        assert e["years"] == [{k: v for k, v in y.items() if k != "lines"} for y in f["years"]]
    n_years = int(gsql_rows(f"SELECT COUNT(*) FROM {{db}}.forecast_years WHERE run_id = {run['id']}")[0][0])
    assert n_years == (len(run["entities"]) + 1) * 4
    listed = expect(api.get("/api/v1/forecasts", role=fd), 200)["items"]
    assert run["id"] in [x["id"] for x in listed]

    # every audit row the workload wrote has node 2's id and names what the replies said
    audit = gsql_rows(f"SELECT id, entity, entity_id FROM {{db}}.audit_log WHERE id > {a0} ORDER BY id")
    assert len(audit) >= 10 and all(node2(int(i)) for i, _e, _x in audit), audit
    named = {(e, x) for _i, e, x in audit}
    for e, x in (("supplier", sup["id"]), ("supplier", s1["id"]), ("contract", con["id"]),
                 ("actual_import", out["import_id"])):
        assert (e, str(x)) in named, (e, x, sorted(named))


# ---------------------------------------------------------------------------
# a deadlock re-runs the whole transaction, after a backoff
# ---------------------------------------------------------------------------

class Conn:
    """A direct MariaDB session (the mariadb client over the test server's socket, kept open):
    run() sends one statement and waits for its end; returns its output lines (errors included)."""

    def __init__(self, db="bursar"):
        self.p = subprocess.Popen(["mariadb", f"--defaults-file={DBDIR / 'my.cnf'}", "-N", "-B", "--unbuffered",
                                   "--force", db], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.q = queue.Queue()
        self.n = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.q.put(line.rstrip("\n"))
        self.q.put(None)

    def run(self, stmt, timeout=20):
        self.n += 1
        mark = f"-- done {self.n} --"
        self.p.stdin.write(stmt.rstrip().rstrip(";") + f";\nSELECT '{mark}';\n")
        self.p.stdin.flush()
        out, deadline = [], time.monotonic() + timeout
        while True:
            line = self.q.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None or line == mark:
                return out
            out.append(line)

    def close(self):
        try:
            self.p.stdin.close()
            self.p.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.p.kill()


def innodb_lock_wait():
    """Whether a transaction is waiting for a row lock now. Not from information_schema.INNODB_LOCK_WAITS:
    InnoDB refreshes those tables' cache only when nobody has read it for 100 ms, so a poll faster than
    that reads the same empty cache until the waiter gives up (seen: 5 s of polls 40 ms apart, never a
    wait). SHOW ENGINE INNODB STATUS is built afresh each time; its TRANSACTIONS section (after any
    LATEST DETECTED DEADLOCK, which also says LOCK WAIT) lists the transactions as they are."""
    status = sql("SHOW ENGINE INNODB STATUS").replace("\\n", "\n")   # the client's batch mode escapes newlines
    return "LOCK WAIT" in status.partition("\nTRANSACTIONS\n")[2]


def test_a_deadlock_victims_transaction_is_rerun_and_succeeds_once(api, daemon, token_ids):
    """The request's transaction claims its Idempotency-Key, then inserts a supplier whose
    Companies House number a direct session inserted first (uncommitted): it waits. The direct
    session, which has done more work, then inserts the same idempotency key: a cycle, and InnoDB
    rolls back the lighter transaction, the request's (1213). db_txn waits its backoff and runs the
    whole transaction again; that waits until the direct session rolls back, then commits: 201, one
    supplier, one audit row, the key's reply kept, and the log says the transaction was re-run."""
    fd_id = token_ids["finance_director"]
    crn = f"{uuid.uuid4().int % 10 ** 8:08d}"
    key = "galera-deadlock-" + uuid.uuid4().hex
    body = {"name": "Deadlock Victim Ltd", "companies_house_number": crn}
    mark = daemon.log_size()
    sql("DROP DATABASE IF EXISTS galera_scratch; CREATE DATABASE galera_scratch; "
        "CREATE TABLE galera_scratch.weight (id INT UNSIGNED NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB")
    c = Conn()
    result = {}
    try:
        assert c.run("SET SESSION innodb_lock_wait_timeout = 30") == []
        assert c.run("START TRANSACTION") == []
        # weight: 2,000 undo records, so InnoDB picks the request's transaction as the victim
        assert c.run("INSERT INTO galera_scratch.weight SELECT seq FROM seq_1_to_2000") == []
        assert c.run(f"INSERT INTO suppliers (name, companies_house_number) VALUES ('Deadlock Holder', '{crn}')") == []

        def post():
            try:
                result["r"] = api.post("/api/v1/suppliers", role="finance_director", json=body,
                                       headers={"Idempotency-Key": key}, fresh=True, timeout=60)
            except Exception as e:                      # noqa: BLE001 - reported below
                result["e"] = e
        t = threading.Thread(target=post)
        t.start()
        deadline = time.monotonic() + 15
        while not innodb_lock_wait():
            assert time.monotonic() < deadline, "the request never waited for the direct session's row lock"
            assert t.is_alive(), f"the request ended without waiting: {result}"
            time.sleep(0.02)
        # the cycle: the direct session waits for the request's uncommitted key, which waits for it
        out = c.run(f"INSERT INTO idempotency_keys (token_id, idem_key, request_hash, status, response) "
                    f"VALUES ({fd_id}, '{key}', REPEAT('x', 32), 0, '')")
        assert out == [], f"the direct session was the deadlock's victim, not the request: {out}"
        m = daemon.wait_log(r"re-running the transaction in (\d+) ms \(1 of \d+\)", since=mark, timeout=10)
        assert m, daemon.log_text(mark)[-3000:]
        assert 10 <= int(m.group(1)) <= 20
        assert t.is_alive()                             # the re-run waits for the direct session
        assert c.run("ROLLBACK") == []
        t.join(60)
        assert not t.is_alive() and "e" not in result, result
    finally:
        c.close()
        sql("DROP DATABASE IF EXISTS galera_scratch")
    s = expect(result["r"], 201)
    assert s["companies_house_number"] == crn and s["name"] == "Deadlock Victim Ltd"
    assert sql_rows(f"SELECT id, name FROM suppliers WHERE companies_house_number = '{crn}'") == \
        [[str(s["id"]), "Deadlock Victim Ltd"]]
    assert sql_rows(f"SELECT action FROM audit_log WHERE entity = 'supplier' AND entity_id = '{s['id']}'") == \
        [["create"]]
    assert sql_rows(f"SELECT status FROM idempotency_keys WHERE token_id = {fd_id} AND idem_key = '{key}'") == \
        [["201"]]
    assert "LATEST DETECTED DEADLOCK" in sql("SHOW ENGINE INNODB STATUS")
    # the replay gives the same reply
    again = expect(api.post("/api/v1/suppliers", role="finance_director", json=body,
                            headers={"Idempotency-Key": key}), 201)
    assert again == s
