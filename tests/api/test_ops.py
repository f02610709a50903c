"""Operations endpoints (no auth) and the contract: /healthz, /readyz, /metrics,
/openapi.json against `bursard --routes`; X-Request-Id."""
import json
import re
import subprocess

import pytest

from conftest import BURSARD, ROOT, expect

OPENAPI = ROOT / "daemon" / "openapi.json"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def metric_lines(text, name):
    return [l for l in text.splitlines() if l.startswith(name + "{") or l.startswith(name + " ")]


def metric_value(text, series):
    """The value of one exact series line (e.g. 'x{a="b"}'), 0 when absent."""
    for line in text.splitlines():
        if line.rsplit(" ", 1)[0] == series:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_healthz(api):
    r = api.get("/healthz")
    body = expect(r, 200)
    assert body == {"status": "ok"}
    assert r.headers.get("X-Request-Id")


def test_readyz(api):
    body = expect(api.get("/readyz"), 200)
    assert body.get("status") == "ready"


def test_ops_endpoints_need_no_token_and_ignore_a_bad_one(api):
    for path in ("/healthz", "/readyz", "/metrics", "/openapi.json"):
        r = api.get(path, token="not-a-token")
        assert r.status_code == 200, f"{path}: {r.status_code} {r.text[:300]}"


def test_metrics_prometheus_text(api):
    r = api.get("/metrics")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain"), r.headers
    text = r.text
    assert "# TYPE bursar_http_requests_total counter" in text
    assert metric_lines(text, "bursar_http_requests_total"), text
    assert "# TYPE bursar_http_request_duration_seconds histogram" in text
    buckets = metric_lines(text, "bursar_http_request_duration_seconds_bucket")
    assert any('le="+Inf"' in b for b in buckets), text
    counts = [float(b.rsplit(" ", 1)[1]) for b in buckets]
    assert counts == sorted(counts), f"histogram buckets are not cumulative: {buckets}"
    total = metric_lines(text, "bursar_http_request_duration_seconds_count")
    assert total and float(total[0].rsplit(" ", 1)[1]) == counts[-1]
    assert metric_lines(text, "bursar_http_request_duration_seconds_sum")
    # every line is a comment or "name{labels} value"
    for line in text.splitlines():
        assert line.startswith("#") or re.fullmatch(
            r'[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_]+="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_]+="(?:[^"\\]|\\.)*")*\})? '
            r'(?:[0-9.e+-]+|[+-]Inf|NaN)', line), line


def test_metrics_count_requests_by_route_and_status(api):
    series = 'bursar_http_requests_total{route="/healthz",method="GET",status="200"}'
    before = metric_value(api.get("/metrics").text, series)
    for _ in range(3):
        assert api.get("/healthz").status_code == 200
    after = metric_value(api.get("/metrics").text, series)
    assert after - before == 3, (before, after)


def test_metrics_count_errors_with_their_status(api):
    series = 'bursar_http_requests_total{route="/api/v1/schools",method="GET",status="401"}'
    before = metric_value(api.get("/metrics").text, series)
    assert api.get("/api/v1/schools").status_code == 401
    after = metric_value(api.get("/metrics").text, series)
    assert after - before == 1, (before, after)


# ---- the contract ----

@pytest.fixture(scope="module")
def openapi_doc():
    assert OPENAPI.exists(), f"{OPENAPI} is missing: the API's contract must describe every route"
    with open(OPENAPI, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def routes():
    """[(METHOD, pattern, {roles})] from `bursard --routes`."""
    cp = subprocess.run([str(BURSARD), "--routes"], capture_output=True, text=True, timeout=10)
    assert cp.returncode == 0, cp.stderr
    out = []
    for line in cp.stdout.splitlines():
        parts = line.split()
        assert len(parts) >= 2, f"bad --routes line {line!r}"
        out.append((parts[0], parts[1], set(parts[2:])))
    assert out, "bursard --routes printed nothing"
    return out


def test_openapi_served_is_the_file(api, openapi_doc):
    r = api.get("/openapi.json")
    body = expect(r, 200)
    assert body == openapi_doc
    assert str(body.get("openapi", "")).startswith("3.1."), body.get("openapi")
    assert isinstance(body.get("paths"), dict) and body["paths"]
    assert r.headers.get("ETag")
    r2 = api.get("/openapi.json", headers={"If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304 and r2.content == b""


def test_openapi_version_and_info(openapi_doc):
    assert re.fullmatch(r"3\.1\.\d+", str(openapi_doc.get("openapi"))), openapi_doc.get("openapi")
    assert "title" in openapi_doc.get("info", {})


def test_every_route_is_in_openapi(routes, openapi_doc):
    paths = openapi_doc["paths"]
    missing = [f"{m} {p}" for m, p, _ in routes if m.lower() not in paths.get(p, {})]
    assert not missing, f"routes that daemon/openapi.json does not describe: {missing}"


def test_every_openapi_operation_is_a_route(routes, openapi_doc):
    have = {(m, p) for m, p, _ in routes}
    extra = []
    for path, item in openapi_doc["paths"].items():
        for method in item:
            if method in HTTP_METHODS and (method.upper(), path) not in have:
                if method == "head" and ("GET", path) in have:
                    continue                  # HEAD is served for every GET
                extra.append(f"{method.upper()} {path}")
    assert not extra, f"daemon/openapi.json describes operations the daemon does not route: {extra}"


def test_openapi_roles_match_routes(routes, openapi_doc):
    wrong = []
    for m, p, roles in routes:
        op = openapi_doc["paths"].get(p, {}).get(m.lower())
        if not isinstance(op, dict) or "x-roles" not in op:
            continue
        if set(op["x-roles"]) != roles:
            wrong.append(f"{m} {p}: x-roles {sorted(op['x-roles'])}, route {sorted(roles)}")
    assert not wrong, "x-roles differ from the route table:\n" + "\n".join(wrong)


# ---- X-Request-Id ----

def test_request_id_generated(api):
    a = api.get("/healthz").headers.get("X-Request-Id")
    b = api.get("/healthz").headers.get("X-Request-Id")
    assert a and b and a != b
    assert re.fullmatch(r"[A-Za-z0-9._:-]{1,64}", a), a


@pytest.mark.parametrize("rid", ["abc-123", "req_1.2:3", "A" * 64])
def test_request_id_echoed(api, rid):
    assert api.get("/healthz", headers={"X-Request-Id": rid}).headers.get("X-Request-Id") == rid


def test_request_id_echoed_on_errors(api):
    r = api.get("/api/v1/schools", headers={"X-Request-Id": "err-test-1"})
    assert r.status_code == 401
    assert r.headers.get("X-Request-Id") == "err-test-1"


@pytest.mark.parametrize("rid", ["A" * 100, "has spaces", "semi;colon", "x" * 65, "<script>"])
def test_request_id_replaced_when_invalid(api, rid):
    got = api.get("/healthz", headers={"X-Request-Id": rid}).headers.get("X-Request-Id")
    assert got and got != rid
    assert re.fullmatch(r"[A-Za-z0-9._:-]{1,64}", got), got


def test_request_id_in_the_audit_row(api, first_urn):
    from conftest import sql_rows
    r = api.get(f"/api/v1/schools/{first_urn}", role="finance_director")
    school = expect(r, 200)
    body = {k: school[k] for k in ("name", "phase", "local_authority", "finance_model", "floor_area_m2")}
    r = api.put(f"/api/v1/schools/{first_urn}", role="finance_director", json=body,
                headers={"If-Match": r.headers["ETag"], "X-Request-Id": "audit-rid-42"})
    expect(r, 200)
    assert r.headers["X-Request-Id"] == "audit-rid-42"
    rows = sql_rows("SELECT request_id FROM audit_log WHERE entity = 'school' ORDER BY id DESC LIMIT 1")
    assert rows == [["audit-rid-42"]]


def test_openapi_problem_types_cover_the_catalogue():
    """Every problem the daemon can send (daemon/core/problem.c's catalogue) is one the
    contract's Problem schema allows, with its title and status, and is listed in x-problem-types."""
    import json
    import re
    from conftest import ROOT
    cat = re.findall(r'X\((\d+), "([^"]+)", "([^"]+)"\)', (ROOT / "daemon/core/problem.c").read_text())
    assert len(cat) > 20
    doc = json.loads((ROOT / "daemon/openapi.json").read_text())
    prob = doc["components"]["schemas"]["Problem"]["properties"]
    listed = {x["slug"]: x for x in doc["x-problem-types"]}
    for status, slug, title in cat:
        assert f"/problems/{slug}" in prob["type"]["enum"], slug
        assert title in prob["title"]["enum"], title
        assert int(status) in prob["status"]["enum"], status
        assert slug in listed and listed[slug]["status"] == int(status), slug
