"""The database goes away and comes back: 503 with Retry-After meanwhile (never a
crash or a dropped connection), /healthz still 200, and service again without
restarting bursard."""
import time

import pytest
import requests

from conftest import expect, problem, sql, tail

RECOVERY_S = 8.0          # the daemon's reconnect backoff is capped at 5 s


def metric(api, name):
    for line in api.get("/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0


def wait_ready(daemon, tokens, limit_s):
    """Seconds until /readyz and an authenticated read answer 200 on fresh connections
    (both workers); fails after limit_s."""
    t0 = time.monotonic()
    last = None
    while time.monotonic() - t0 < limit_s:
        got = []
        for _ in range(4):
            h = {"Connection": "close", "Authorization": f"Bearer {tokens['auditor']}"}
            got.append(requests.get(daemon.url + "/readyz", headers=h, timeout=5).status_code)
            got.append(requests.get(daemon.url + "/api/v1/schools", headers=h, timeout=5).status_code)
        if all(s == 200 for s in got):
            return time.monotonic() - t0
        assert set(got) <= {200, 503}, got
        last = got
        time.sleep(0.1)
    pytest.fail(f"not serving {limit_s}s after the database came back: {last}\n{tail(daemon.log)}")


def test_database_down_and_back(api, daemon, tokens, first_urn, db_control):
    expect(api.get("/readyz"), 200)
    schools = sql("SELECT * FROM schools ORDER BY id")
    errors0 = metric(api, "bursar_db_errors_total")
    r = api.get(f"/api/v1/schools/{first_urn}", role="finance_director")
    etag = r.headers["ETag"]
    orig = {k: r.json()[k] for k in ("name", "phase", "local_authority", "finance_model", "floor_area_m2")}
    body = dict(orig, name="Written while the database was down")

    db_control.stop()
    try:
        for _ in range(3):
            # a fresh connection each time: both workers, cached token or not
            r = api.get("/api/v1/schools", role="auditor", fresh=True)
            problem(r, 503, "unavailable")
            ra = r.headers.get("Retry-After", "")
            assert ra.isdigit() and int(ra) >= 1, r.headers
        r = api.get("/api/v1/schools", token="bt_unknown_token_while_down", fresh=True)
        problem(r, 503)
        r = api.put(f"/api/v1/schools/{first_urn}", role="finance_director", json=body,
                    headers={"If-Match": etag}, fresh=True)
        problem(r, 503, "unavailable")
        assert r.headers.get("Retry-After", "").isdigit()
        r = api.get("/readyz", fresh=True)
        problem(r, 503)
        assert r.headers.get("Retry-After", "").isdigit()
        r = api.get("/healthz", fresh=True)
        assert expect(r, 200) == {"status": "ok"}
        assert r.headers.get("X-Request-Id")
        m = api.get("/metrics", fresh=True)
        assert m.status_code == 200
        assert metric(api, "bursar_db_errors_total") > errors0
        assert daemon.running(), tail(daemon.log)
    finally:
        db_control.start()

    took = wait_ready(daemon, tokens, RECOVERY_S)
    assert daemon.running()
    # the write made while the database was down did not happen
    assert sql("SELECT * FROM schools ORDER BY id") == schools
    # and writes work again, with the ETag from before
    r = api.put(f"/api/v1/schools/{first_urn}", role="finance_director", json=orig, headers={"If-Match": etag})
    out = expect(r, 200)
    assert out["name"] == orig["name"] and r.headers["ETag"] != etag
    print(f"serving again {took:.2f}s after the database came back")


def test_database_restart_while_idle_is_invisible(api, daemon, tokens, first_urn, db_control):
    """Connections that died while idle are re-opened on the next request: no 503."""
    for _ in range(6):
        expect(api.get("/api/v1/schools", role="auditor", fresh=True), 200)
    db_control.stop()
    db_control.start()
    got = [api.get("/api/v1/schools", role="auditor", fresh=True).status_code for _ in range(6)]
    assert got == [200] * 6, f"{got}\n{tail(daemon.log)}"
    r = api.get(f"/api/v1/schools/{first_urn}", role="finance_director")
    s = expect(r, 200)
    db_control.stop()
    db_control.start()
    body = {k: s[k] for k in ("name", "phase", "local_authority", "finance_model", "floor_area_m2")}
    r = api.put(f"/api/v1/schools/{first_urn}", role="finance_director", json=body,
                headers={"If-Match": r.headers["ETag"]}, fresh=True)
    expect(r, 200)
