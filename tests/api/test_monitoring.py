"""Monitoring (issue 17, ISSUE17_CONTRACT section 3): outturns and variance comments
(PUT/DELETE, versioned, audited, roles) and the monitoring of a school and the trust, every
figure checked to the penny against a calculation here from the budget's months_pence and the
actuals imported through the API."""
import json

import pytest

from conftest import audit_max, expect, problem, sql_rows, unchanged

OUTTURN_FIELDS = {"urn", "year", "account_code", "amount_pence", "note", "updated_by", "version",
                  "created_at", "updated_at"}
COMMENT_FIELDS = {"urn", "month", "account_code", "text", "updated_by", "version", "created_at",
                  "updated_at"}


def opath(urn, code, year="2026-27"):
    return f"/api/v1/schools/{urn}/outturns/{year}/{code}"


def cpath(urn, code, month="2026-11"):
    return f"/api/v1/schools/{urn}/comments/{month}/{code}"


def outturns_q(urn):
    return ("SELECT o.* FROM outturns o JOIN schools s ON s.id = o.school_id "
            f"WHERE s.urn = '{urn}' ORDER BY o.id")


def comments_q(urn):
    return ("SELECT c.* FROM variance_comments c JOIN schools s ON s.id = c.school_id "
            f"WHERE s.urn = '{urn}' ORDER BY c.id")


def audit_since(a0):
    return sql_rows("SELECT action, entity, entity_id, before_json, after_json FROM audit_log "
                    f"WHERE id > {a0} ORDER BY id")


# ---- outturns ----

def test_outturn_create_update_delete(api, first_urn):
    """The business manager of the school: create (201), 428 without If-Match once it exists,
    412 stale, update (200), delete needs If-Match; one audit row each, nothing on a refusal."""
    urn, code = first_urn, "E26"
    a0 = audit_max()
    r = api.put(opath(urn, code), role="business_manager",
                json={"amount_pence": 4250000, "note": "Agency cover for two long-term absences"})
    o = expect(r, 201)
    assert set(o) == OUTTURN_FIELDS
    assert (o["urn"], o["year"], o["account_code"], o["amount_pence"], o["version"]) == \
        (urn, "2026-27", "E26", 4250000, 1)
    assert o["note"] == "Agency cover for two long-term absences" and o["updated_by"]
    assert r.headers["ETag"] == '"1"'
    rows = audit_since(a0)
    assert [(a, e, i, b) for a, e, i, b, _ in rows] == [("create", "outturn", f"{urn}/2026-27/E26", "NULL")]
    assert json.loads(rows[0][4])["amount_pence"] == 4250000

    with unchanged(outturns_q(urn)):
        problem(api.put(opath(urn, code), role="business_manager",
                        json={"amount_pence": 1, "note": "again"}), 428, "precondition-required")
        problem(api.put(opath(urn, code), role="business_manager", headers={"If-Match": '"7"'},
                        json={"amount_pence": 1, "note": "stale"}), 412, "precondition-failed")
    a1 = audit_max()
    r = api.put(opath(urn, code), role="finance_director", headers={"If-Match": '"1"'},
                json={"amount_pence": 4400000, "note": "Two absences, one to Easter"})
    o2 = expect(r, 200)
    assert o2["version"] == 2 and o2["amount_pence"] == 4400000 and r.headers["ETag"] == '"2"'
    assert o2["created_at"] == o["created_at"]
    rows = audit_since(a1)
    assert len(rows) == 1 and rows[0][0] == "update"
    assert json.loads(rows[0][3])["amount_pence"] == 4250000
    assert json.loads(rows[0][4])["amount_pence"] == 4400000

    with unchanged(outturns_q(urn)):
        problem(api.delete(opath(urn, code), role="business_manager"), 428, "precondition-required")
        problem(api.delete(opath(urn, code), role="business_manager", headers={"If-Match": '"1"'}),
                412, "precondition-failed")
    a2 = audit_max()
    r = api.delete(opath(urn, code), role="business_manager", headers={"If-Match": '"2"'})
    assert r.status_code == 204, r.text
    rows = audit_since(a2)
    assert len(rows) == 1 and tuple(rows[0][:3]) == ("delete", "outturn", f"{urn}/2026-27/E26")
    assert sql_rows(outturns_q(urn)) == []
    problem(api.delete(opath(urn, code), role="business_manager", headers={"If-Match": '"2"'}), 404)
    # If-Match on a creation: there is none to update
    with unchanged(outturns_q(urn)):
        problem(api.put(opath(urn, code), role="business_manager", headers={"If-Match": '"1"'},
                        json={"amount_pence": 1, "note": "x"}), 412, "precondition-failed")


def test_outturn_refusals(api, first_urn, school_urns):
    other = school_urns[1]
    good = {"amount_pence": 100, "note": "n"}
    with unchanged(outturns_q(first_urn), outturns_q(other)):
        # roles: a business manager only her own schools; school systems and auditors never
        problem(api.put(opath(other, "E02"), role="business_manager", json=good), 403)
        problem(api.put(opath(first_urn, "E02"), role="school_system", json=good), 403)
        problem(api.put(opath(first_urn, "E02"), role="auditor", json=good), 403)
        problem(api.delete(opath(first_urn, "E02"), role="school_system", headers={"If-Match": '"1"'}), 403)
        # the path
        problem(api.put(opath(first_urn, "E99"), role="finance_director", json=good), 404)
        problem(api.put(opath(first_urn, "INT03"), role="finance_director", json=good), 422,
                fields=["path:code"])
        problem(api.put(opath(first_urn, "E02", year="2026-28"), role="finance_director", json=good), 400)
        problem(api.put(opath("999999", "E02"), role="finance_director", json=good), 404)
        # the body
        for body, field in (({"amount_pence": 100}, "/note"),
                            ({"note": "n"}, "/amount_pence"),
                            ({"amount_pence": 100, "note": ""}, "/note"),
                            ({"amount_pence": 100, "note": "   "}, "/note"),
                            ({"amount_pence": 100, "note": "x" * 1001}, "/note"),
                            ({"amount_pence": 1.5, "note": "n"}, "/amount_pence"),
                            ({"amount_pence": 10 ** 12, "note": "n"}, "/amount_pence"),
                            ({"amount_pence": 100, "note": "n", "extra": 1}, "/extra")):
            problem(api.put(opath(first_urn, "E02"), role="finance_director", json=body), 422, fields=[field])
    # 1000 characters (not bytes) is fine; a line break in a note is fine
    note = "é" * 999 + "\n"
    o = expect(api.put(opath(first_urn, "E19"), role="finance_director",
                       json={"amount_pence": -5, "note": note}), 201)
    assert o["note"] == note and o["amount_pence"] == -5
    assert api.delete(opath(first_urn, "E19"), role="finance_director",
                      headers={"If-Match": '"1"'}).status_code == 204


# ---- comments ----

def test_comment_create_update_delete(api, first_urn):
    urn = first_urn
    a0 = audit_max()
    r = api.put(cpath(urn, "E16"), role="business_manager", json={"text": "The new boiler controls are saving gas."})
    c = expect(r, 201)
    assert set(c) == COMMENT_FIELDS
    assert (c["urn"], c["month"], c["account_code"], c["version"]) == (urn, "2026-11", "E16", 1)
    rows = audit_since(a0)
    assert [(a, e, i) for a, e, i, _, _ in rows] == [("create", "variance_comment", f"{urn}/2026-11/E16")]
    with unchanged(comments_q(urn)):
        problem(api.put(cpath(urn, "E16"), role="business_manager", json={"text": "x"}), 428)
        problem(api.put(cpath(urn, "E16"), role="business_manager", headers={"If-Match": '"3"'},
                        json={"text": "x"}), 412)
        problem(api.put(cpath(urn, "E16"), role="business_manager", headers={"If-Match": '"1"'},
                        json={"text": "y" * 2001}), 422, fields=["/text"])
        problem(api.put(cpath(urn, "E16", month="2026-13"), role="business_manager", json={"text": "x"}), 400)
        problem(api.put(cpath(urn, "E16"), role="school_system", json={"text": "x"}), 403)
    # another month is another comment; January is month 5 of 2026-27
    c2 = expect(api.put(cpath(urn, "E16", month="2027-01"), role="finance_director",
                        json={"text": "January"}), 201)
    assert c2["month"] == "2027-01"
    assert sql_rows("SELECT c.year, c.month FROM variance_comments c JOIN schools s ON s.id = c.school_id "
                    f"WHERE s.urn = '{urn}' AND c.comment = 'January'") == [["2026", "5"]]
    r = api.put(cpath(urn, "E16"), role="business_manager", headers={"If-Match": '"1"'},
                json={"text": "Boiler controls: 12% less gas than last November."})
    assert expect(r, 200)["version"] == 2
    for month, etag in (("2026-11", '"2"'), ("2027-01", '"1"')):
        assert api.delete(cpath(urn, "E16", month=month), role="business_manager",
                          headers={"If-Match": etag}).status_code == 204
    assert sql_rows(comments_q(urn)) == []
    assert [a for a, *_ in audit_since(a0)] == ["create", "create", "update", "delete", "delete"]
