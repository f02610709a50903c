"""The response checker (contract.py) itself: it must be able to fail, or
"every response validates" would mean nothing."""
import json

import pytest

from conftest import CONTRACT, JSON_CT, PROBLEM_CT, expect
from contract import ContractError

GOOD_PROBLEM = {"type": "/problems/not-found", "title": "Not found", "status": 404,
                "detail": "no such school"}


def body(v):
    return json.dumps(v).encode()


def test_a_real_reply_validates(api):
    r = api.get("/api/v1/schools/central", role="auditor")
    school = expect(r, 200)
    CONTRACT.check("GET", "/api/v1/schools/central", 200, JSON_CT, body(school))


def test_a_wrong_body_fails_with_its_pointer(api):
    school = expect(api.get("/api/v1/schools/central", role="auditor"), 200)
    bad = dict(school, version="3")
    with pytest.raises(ContractError, match=r"GET /api/v1/schools/central .* 200: the body at /version "):
        CONTRACT.check("GET", "/api/v1/schools/central", 200, JSON_CT, body(bad))
    missing = {k: v for k, v in school.items() if k != "urn"}
    with pytest.raises(ContractError, match=r"'urn' is a required property"):
        CONTRACT.check("GET", "/api/v1/schools/central", 200, JSON_CT, body(missing))


def test_a_nested_wrong_value_names_its_pointer():
    bad = dict(GOOD_PROBLEM, status=422, errors=[{"field": "/x", "message": 7}])
    with pytest.raises(ContractError, match=r"the body at /errors/0/message "):
        CONTRACT.check("GET", "/api/v1/schools", 422, PROBLEM_CT, body(bad))


def test_an_undocumented_status_fails():
    with pytest.raises(ContractError, match=r"status 418 is not documented"):
        CONTRACT.check("GET", "/api/v1/schools", 418, PROBLEM_CT, body(GOOD_PROBLEM))


def test_an_undocumented_content_type_fails():
    with pytest.raises(ContractError, match=r"Content-Type 'text/html' is not one documented"):
        CONTRACT.check("GET", "/healthz", 200, "text/html", b"<p>ok</p>")


def test_a_body_where_none_is_documented_fails():
    with pytest.raises(ContractError, match=r"no body"):
        CONTRACT.check("DELETE", "/api/v1/suppliers/1", 204, JSON_CT, b"{}")


def test_a_bad_date_fails(api):
    page = expect(api.get("/api/v1/audit", role="auditor", params={"limit": 1}), 200)
    assert page["items"], "the seed writes audit rows"
    page["items"][0]["at"] = "2026-11-22 10:00:00"
    with pytest.raises(ContractError, match=r"the body at /items/0/at .*is not a 'date-time'"):
        CONTRACT.check("GET", "/api/v1/audit", 200, JSON_CT, body(page))


def test_multiple_of_is_decimal():
    year = {"fte": 0.29}
    CONTRACT.validate_body("#/components/schemas/SchoolYear/properties/fte", year["fte"], "fte")
    with pytest.raises(ContractError, match=r"0.291 is not a multiple of 0.01"):
        CONTRACT.validate_body("#/components/schemas/SchoolYear/properties/fte", 0.291, "fte")


def test_an_undocumented_path_still_needs_a_problem():
    CONTRACT.check("GET", "/nowhere", 404, PROBLEM_CT, body(GOOD_PROBLEM))
    with pytest.raises(ContractError, match=r"'title' is a required property"):
        CONTRACT.check("GET", "/nowhere", 404, PROBLEM_CT,
                       body({k: v for k, v in GOOD_PROBLEM.items() if k != "title"}))


def test_an_undocumented_method_is_405_only():
    p = dict(GOOD_PROBLEM, type="/problems/method-not-allowed", title="Method not allowed", status=405)
    CONTRACT.check("PATCH", "/api/v1/schools", 405, PROBLEM_CT, body(p))
    with pytest.raises(ContractError, match=r"documents no PATCH"):
        CONTRACT.check("PATCH", "/api/v1/schools", 200, JSON_CT, b"{}")


def test_literal_segments_win_over_parameters():
    assert CONTRACT.template("/api/v1/forecasts/compare")[0] == "/api/v1/forecasts/compare"
    assert CONTRACT.template("/api/v1/forecasts/12")[0] == "/api/v1/forecasts/{id}"
    assert CONTRACT.template("/api/v1/forecasts/12/x")[0] is None
