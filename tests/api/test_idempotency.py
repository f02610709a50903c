"""Idempotency-Key on POST: a replay gets the first response and writes nothing; the same key
with another body is 422; keys are per token; a failed write frees its key; a bad key is 400.
Exercised on POST /api/v1/suppliers, which writes through api_txn like every POST."""
import contextlib
import threading
import time
import uuid

from conftest import (DIR, Daemon, audit_added, audit_max, config_text, expect, free_port, problem, sql, sql_rows,
                      sql_value, unchanged)
from test_suppliers import body

COUNT = "SELECT COUNT(*) FROM suppliers"


def post(api, b, key, role="finance_director", token=None):
    headers = {"Idempotency-Key": key}
    if token is not None:
        return api.post("/api/v1/suppliers", token=token, json=b, headers=headers)
    return api.post("/api/v1/suppliers", role=role, json=b, headers=headers)


def test_replay_returns_the_first_response_and_writes_once(api):
    key, b = f"k-{uuid.uuid4()}", body()
    n0, a0 = int(sql_value(COUNT)), audit_max()
    first = post(api, b, key)
    s = expect(first, 201)
    again = post(api, b, key)
    assert expect(again, 201) == s
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.headers.get("Location") == first.headers.get("Location")
    assert int(sql_value(COUNT)) == n0 + 1
    assert int(sql_value(f"SELECT COUNT(*) FROM audit_log WHERE id > {a0}")) == 1
    assert first.headers.get("Idempotent-Replayed") is None


def test_same_key_other_body_is_422(api):
    key = f"k-{uuid.uuid4()}"
    expect(post(api, body(), key), 201)
    with unchanged("SELECT * FROM suppliers ORDER BY id"):
        r = post(api, body(), key)
    problem(r, 422, "idempotency-key-reused")


def test_keys_are_per_token(api, make_token):
    key, b = f"k-{uuid.uuid4()}", body()
    expect(post(api, b, key), 201)
    _, other = make_token("finance_director")
    # the same key from another token is another request: with the same body it is a new write,
    # which here meets the unique Companies House number
    r = post(api, b, key, token=other)
    problem(r, 409)


def test_a_failed_write_frees_its_key(api):
    key, b = f"k-{uuid.uuid4()}", body()
    bad = dict(b, companies_house_number="not a number")
    problem(post(api, bad, key), 422)
    assert int(sql_value(f"SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = '{key}'")) == 0
    # the key was not spent: the corrected request with a fresh key... and the same key with the
    # original (bad) body would be a new attempt, not a replay
    expect(post(api, b, f"k-{uuid.uuid4()}"), 201)
    problem(post(api, bad, key), 422)


def test_bad_keys_are_400(api):
    for key in ("", "x" * 201, "has space"):
        with unchanged(COUNT):
            r = post(api, body(), key)
        p = problem(r, 400)
        assert p["errors"][0]["field"] == "header:Idempotency-Key"


def test_without_a_key_posts_are_not_deduplicated(api):
    b = body()
    expect(api.post("/api/v1/suppliers", role="finance_director", json=b), 201)
    problem(api.post("/api/v1/suppliers", role="finance_director", json=b), 409)


def test_concurrent_requests_with_one_key_write_once(api):
    """Eight at once with one key: exactly one write; the others replay it or get 409."""
    import concurrent.futures
    key, b = f"k-{uuid.uuid4()}", body()
    n0 = int(sql_value(COUNT))

    def one(_):
        r = api.post("/api/v1/suppliers", role="finance_director", json=b,
                     headers={"Idempotency-Key": key}, fresh=True)
        return r.status_code, r.headers.get("Idempotent-Replayed")

    with concurrent.futures.ThreadPoolExecutor(8) as ex:
        got = list(ex.map(one, range(8)))
    assert int(sql_value(COUNT)) == n0 + 1, got
    assert sum(1 for s, rep in got if s == 201 and rep is None) == 1, got
    assert all(s in (201, 409) for s, _ in got), got


# The reply is stored in the write's own transaction and committed with it (api/idem.h). Before,
# the write committed first and its reply was stored by a second statement: a connection lost in
# between left the key "in progress" and every replay got 409 for a day. A trigger on
# idempotency_keys (dropped after each test) stands in for the failure at that point.
HOLD_TRIGGER = "pytest_idem_answer_hold"


@contextlib.contextmanager
def trigger_on_answer(action):
    """While the block runs, storing the answer of a key starting "pytest-answer-" does action
    (an expression evaluated per row: SLEEP, or a function that raises)."""
    sql(f"DROP TRIGGER IF EXISTS {HOLD_TRIGGER}")
    sql(f"CREATE TRIGGER {HOLD_TRIGGER} BEFORE UPDATE ON idempotency_keys FOR EACH ROW "
        f"SET @pytest_held = IF(NEW.idem_key LIKE 'pytest-answer-%', {action}, 0)")
    try:
        yield
    finally:
        sql(f"DROP TRIGGER IF EXISTS {HOLD_TRIGGER}")


def nothing_written(key, crn, a0):
    assert sql_value(f"SELECT COUNT(*) FROM suppliers WHERE companies_house_number = '{crn}'") == "0"
    assert sql_value(f"SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = '{key}'") == "0"
    assert audit_added(a0) == 0


def resent_once(api, b, key, crn):
    """The same request again with the same key, at once, makes the write, once, and its replay
    answers alike (a worker whose connection was lost reconnects at its next request, no 503)."""
    first = expect(post(api, b, key), 201)
    again = post(api, b, key)
    assert expect(again, 201) == first and again.headers.get("Idempotent-Replayed") == "true"
    assert sql_value(f"SELECT COUNT(*) FROM suppliers WHERE companies_house_number = '{crn}'") == "1"
    assert sql_rows(f"SELECT status FROM idempotency_keys WHERE idem_key = '{key}'") == [["201"]]


def test_a_connection_lost_before_the_answer_is_stored_saves_nothing_and_the_key_stays_usable(api):
    key, b = f"pytest-answer-{uuid.uuid4()}", body()
    crn, a0, result = b["companies_house_number"], audit_max(), {}
    with trigger_on_answer("SLEEP(8)"):            # below the daemon's statement limit (rw_timeout_s 10 - 1)
        def send():
            result["r"] = api.post("/api/v1/suppliers", role="finance_director", json=b,
                                   headers={"Idempotency-Key": key}, fresh=True, timeout=60)
        t = threading.Thread(target=send)
        t.start()
        deadline, conn = time.monotonic() + 15, ""
        while conn == "":
            assert time.monotonic() < deadline and t.is_alive(), \
                f"the answer was never stored: {result} {result['r'].text if 'r' in result else ''}"
            time.sleep(0.05)
            conn = sql("SELECT id FROM information_schema.PROCESSLIST WHERE state = 'User sleep'").strip()
        # the supplier and its audit row are written, the answer is being stored: the connection dies
        sql(f"KILL CONNECTION {int(conn)}")
        t.join(30)
    assert not t.is_alive()
    p = problem(result["r"], 503, "unavailable")
    assert "nothing was saved" in p["detail"] and "same Idempotency-Key" in p["detail"], p
    assert result["r"].headers.get("Retry-After") == "1" and result["r"].headers.get("Location") is None
    nothing_written(key, crn, a0)
    resent_once(api, b, key, crn)


def test_an_answer_that_cannot_be_stored_undoes_the_write(api):
    key, b = f"pytest-answer-{uuid.uuid4()}", body()
    crn, a0 = b["companies_house_number"], audit_max()
    with trigger_on_answer("(SELECT 1 UNION SELECT 2)"):   # the UPDATE fails: 1242, more than one row
        p = problem(post(api, b, key), 503, "unavailable")
    assert "nothing was saved" in p["detail"], p
    nothing_written(key, crn, a0)
    resent_once(api, b, key, crn)


def test_a_secret_kept_out_of_the_stored_answer_is_committed_with_the_write(api):
    """POST /tokens shows the token once: the stored answer is a 409 naming the token, written with
    the token in one transaction (the replay problem is set before the reply)."""
    key = f"k-{uuid.uuid4()}"
    body_ = {"role": "auditor", "label": "pytest idem secret"}
    first = expect(api.post("/api/v1/tokens", role="admin", json=body_, headers={"Idempotency-Key": key}), 201)
    assert sql_value(f"SELECT status FROM idempotency_keys WHERE idem_key = '{key}'") == "409"
    assert first["token"] not in sql(f"SELECT response FROM idempotency_keys WHERE idem_key = '{key}'")
    p = problem(api.post("/api/v1/tokens", role="admin", json=body_, headers={"Idempotency-Key": key}), 409)
    assert f"token {first['id']} was created by the first request" in p["detail"], p


def test_an_answer_too_large_to_keep_is_replayed_as_where_the_result_is(api, school_urns):
    """A POST whose reply is over 8 MiB (a budget made by copying one of 20,000 lines, each with a
    long description: the reply is the whole new budget) is answered in full the first time; the key
    keeps a 409 saying where the result is, committed with the budget. The replay makes nothing."""
    port = free_port()
    conf = DIR / "idem-large.conf"
    text = config_text(port).replace("max_csv_body_bytes = 1048576;", "max_csv_body_bytes = 16777216;")
    conf.write_text(text)
    d = Daemon("idem-large", port=port, conf=conf).start()
    try:
        urn, year, copy = school_urns[6], "2074-75", "2075-76"
        url = f"{d.url}/api/v1/schools/{urn}/budgets"
        fd = {"Authorization": f"Bearer {api.tokens['finance_director']}"}
        # 200 characters, 394 bytes of UTF-8, a line
        rows = ["code,description,amount"] + [f"E01,{i:05d} {'é' * 194},{i % 997}.{i % 100:02d}" for i in range(19999)]
        rows.append("I01,GAG,90000000.00")
        data = ("\r\n".join(rows) + "\r\n").encode()
        made = api.put(f"{url}/{year}", headers=dict(fd, **{"Content-Type": "text/csv"}), body=data, json_ct=False,
                       timeout=60)
        expect(made, 201)
        budgets = "SELECT COUNT(*) FROM budgets b JOIN schools s ON s.id = b.school_id " \
                  f"WHERE s.urn = '{urn}' AND b.year = {copy[:4]}"
        lines = "SELECT COUNT(*) FROM budget_lines l JOIN budgets b ON b.id = l.budget_id JOIN schools s ON " \
                f"s.id = b.school_id WHERE s.urn = '{urn}' AND b.year = {copy[:4]}"
        assert int(sql_value(budgets)) == 0
        key = f"k-{uuid.uuid4()}"
        body = {"copy_from": {"budget_year": year}}
        first = api.post(f"{url}/{copy}", headers=dict(fd, **{"Idempotency-Key": key}), json=body, timeout=60)
        b = expect(first, 201)
        assert len(first.content) > 8 << 20, len(first.content)
        assert len(b["lines"]) == 20001 and first.headers["Location"].endswith(f"/budgets/{copy}")
        assert int(sql_value(budgets)) == 1 and int(sql_value(lines)) == 20000
        # the key's answer is the 409, committed with the budget
        stored = sql_rows(f"SELECT status, LENGTH(response) FROM idempotency_keys WHERE idem_key = '{key}'")
        assert len(stored) == 1 and stored[0][0] == "409" and int(stored[0][1]) < 2000, stored
        again = api.post(f"{url}/{copy}", headers=dict(fd, **{"Idempotency-Key": key}), json=body, timeout=60)
        p = problem(again, 409)
        assert again.headers.get("Idempotent-Replayed") == "true"
        assert again.headers.get("Location") == first.headers["Location"]
        assert "succeeded (201)" in p["detail"] and "too large to keep" in p["detail"], p["detail"]
        assert first.headers["Location"] in p["detail"] and f"({len(first.content)} bytes)" in p["detail"], p["detail"]
        assert int(sql_value(budgets)) == 1 and int(sql_value(lines)) == 20000, "the replay made nothing"
    finally:
        assert d.stop() == 0
