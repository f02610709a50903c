"""The response checker (contract.py) itself: it must be able to fail, or
"every response validates" would mean nothing."""
import json

import pytest

from conftest import CONTRACT, JSON_CT, PROBLEM_CT, expect
from contract import ContractError
from schema_compile import Unsupported

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


# ---- the compiled check (schema_compile.py: fastjsonschema) against jsonschema, keyword by keyword ----

CASES = [  # (schema, values): each value's verdict must be jsonschema's (contract.py's Validator)
    ({"type": "integer"}, [1, 1.0, 1.5, True, "1", None, -0.0, 2 ** 60]),
    ({"type": "number"}, [1, 1.5, True, "1"]),
    ({"type": ["string", "null"]}, ["a", None, 0, False]),
    ({"type": "boolean"}, [True, False, 0, 1]),
    ({"type": "object"}, [{}, [], "x"]),
    ({"type": "array"}, [[], {}, "x"]),
    ({"enum": [0, "a", None]}, [0, False, 0.0, "a", None, 1, True]),
    ({"enum": [True]}, [True, 1, 1.0]),
    ({"const": 1}, [1, 1.0, True, "1"]),
    ({"format": "date"}, ["2026-11-22", "2026-02-30", "2026-1-2", 7]),
    ({"format": "date-time"}, ["2026-11-22T10:00:00Z", "2026-11-22 10:00:00", "2026-11-22T24:00:00Z", None]),
    ({"format": "uri"}, ["not a uri", 3]),
    ({"minimum": 0, "maximum": 10}, [0, 10, -1, 11, 10.5, True, "11"]),
    ({"exclusiveMinimum": 0, "exclusiveMaximum": 10}, [0, 10, 5, 0.1]),
    ({"multipleOf": 0.01}, [0.29, 0.291, 3, "x"]),
    ({"pattern": "^[a-z]{2}$"}, ["ab", "abc", "AB", 12]),
    ({"pattern": "b"}, ["abc", "xyz"]),
    ({"minLength": 2, "maxLength": 3}, ["a", "ab", "abcd", "££", 7, ["a"]]),
    ({"items": {"type": "integer"}, "minItems": 1, "maxItems": 2}, [[1], [], [1, 2, 3], [1, "2"], "12"]),
    ({"items": False}, [[], [1]]),
    ({"uniqueItems": True}, [[1, 2], [1, 1], [1, True], [{"a": 1}, {"a": 1}], [[0], [False]]]),
    ({"properties": {"a": {"type": "string"}}, "required": ["a"], "additionalProperties": False},
     [{"a": "x"}, {"a": 1}, {}, {"a": "x", "b": 1}, [], "a"]),
    ({"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}},
     [{"a": "x", "b": 1}, {"b": "y"}, {"a": "x"}]),
    ({"propertyNames": {"pattern": "^[0-9]{4}-[0-9]{2}$"}, "minProperties": 1, "maxProperties": 2},
     [{"2026-27": 1}, {"x": 1}, {}, {"2026-27": 1, "2027-28": 2, "2028-29": 3}]),
    ({"oneOf": [{"type": "integer"}, {"minimum": 0}]}, [-1, 1, 0.5, -0.5, "x"]),
    ({"anyOf": [{"type": "integer"}, {"type": "null"}]}, [1, None, "x"]),
    ({"allOf": [{"type": "integer"}, {"minimum": 0}]}, [1, -1, 1.5]),
    ({"not": {"type": "string"}}, ["x", 1]),
    ({"$ref": "#/components/schemas/Problem"},
     [GOOD_PROBLEM, dict(GOOD_PROBLEM, status="404"), {"title": "x"}]),
    ({"$ref": "#/components/schemas/BudgetLine", "description": "a $ref with siblings"}, [{}, None]),
    (True, [1, None]),
    (False, [1, None]),
]


@pytest.mark.parametrize("schema,values", CASES, ids=[json.dumps(c[0])[:60] for c in CASES])
def test_the_compiled_check_agrees_with_jsonschema(schema, values):
    CONTRACT.doc.setdefault("x-test", {})["schema"] = schema
    try:
        quick = CONTRACT._compiler.compile(schema)
        slow = CONTRACT._validator("#/x-test/schema")
        for v in values:
            assert quick(v) == slow.is_valid(v), f"{json.dumps(schema)} on {v!r}: compiled {quick(v)}"
    finally:
        CONTRACT._validators.pop("#/x-test/schema", None)
        del CONTRACT.doc["x-test"]


@pytest.mark.parametrize("schema", [{"prefixItems": [{}], "items": False}, {"$ref": "other.json#/x"},
                                    {"type": "decimal"}, {"$defs": {}}, {"unevaluatedProperties": False},
                                    {"properties": {"a": {"dependentRequired": {"b": ["c"]}}}},
                                    {"format": "color"}, {"const": [1, {"a": False}]}])
def test_a_keyword_the_compiled_check_lacks_leaves_the_schema_to_jsonschema(schema):
    with pytest.raises(Unsupported):
        CONTRACT._compiler.compile(schema)


def test_a_refusal_jsonschema_does_not_confirm_fails():
    where = "#/components/schemas/Problem"
    CONTRACT._quick[where] = lambda x: False           # a compiled check gone wrong
    try:
        with pytest.raises(ContractError, match=r"the compiled check .* refuses the body .* jsonschema finds nothing"):
            CONTRACT.validate_body(where, GOOD_PROBLEM, "problem")
    finally:
        del CONTRACT._quick[where]
