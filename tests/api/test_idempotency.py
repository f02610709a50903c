"""Idempotency-Key on POST: a replay gets the first response and writes nothing; the same key
with another body is 422; keys are per token; a failed write frees its key; a bad key is 400.
Exercised on POST /api/v1/suppliers, which writes through api_txn like every POST."""
import uuid

from conftest import audit_max, expect, problem, sql_value, unchanged
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
