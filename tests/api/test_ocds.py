"""GET /api/v1/ocds/release-package: the contract register as an OCDS 1.1 release package. Its
structure in the project's own words (required fields, types, amounts in pounds printed from the
pence, RFC 3339 dates, the ocid, the method mapped from the route), updated_since, ETag, roles; and,
when the official schemas are beside the repository (../shared/ocds), validation against them."""
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, expect, problem, sql_rows, sql_value
from test_contracts import activate, create_contract, make_supplier

PREFIX = "ocds-xxxxxx-bursar"        # the test config's procurement.ocds_prefix (conftest.py)
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$")
METHODS = {"direct_award": "direct", "single_quote": "limited", "three_quotes": "limited", "framework": "selective",
           "open_tender": "open", "waiver": "direct"}
OCDS_DIR = ROOT.parent / "shared" / "ocds"


def package(api, role="auditor", **params):
    r = api.get("/api/v1/ocds/release-package", role=role, params=params or None)
    return expect(r, 200), r


def pence(amount):
    return int(Decimal(str(amount)) * 100)


def test_package_structure(api):
    pkg, r = package(api)
    assert set(pkg) == {"uri", "version", "publishedDate", "publisher", "releases"}
    assert pkg["version"] == "1.1" and RFC3339.match(pkg["publishedDate"])
    assert pkg["uri"].startswith("http://") and pkg["uri"].endswith("/api/v1/ocds/release-package")
    assert pkg["publisher"] == {"name": "Lea and Estuary Learning Trust"}
    assert pkg["publishedDate"] == max(rel["date"] for rel in pkg["releases"])
    # one release per approved contract; drafts and contracts awaiting approval are not published
    approved = int(sql_value("SELECT COUNT(*) FROM contracts WHERE status IN ('active', 'expired', 'terminated')"))
    assert len(pkg["releases"]) == approved
    ids = {int(rel["ocid"].rsplit("-", 1)[1]) for rel in pkg["releases"]}
    assert len(ids) == approved
    statuses = {int(i): st for i, st in sql_rows("SELECT id, status FROM contracts")}
    assert all(statuses[i] in ("active", "expired", "terminated") for i in ids)


def test_release_fields(api):
    pkg, _ = package(api)
    for rel in pkg["releases"]:
        cid = int(rel["ocid"].rsplit("-", 1)[1])
        assert rel["ocid"] == f"{PREFIX}-{cid}"
        assert rel["id"].startswith(rel["ocid"] + "-") and RFC3339.match(rel["date"])
        assert rel["initiationType"] == "tender" and rel["tag"][:2] == ["award", "contract"]
        c = expect(api.get(f"/api/v1/contracts/{cid}", role="finance_director"), 200)
        roles = {p["id"]: p["roles"] for p in rel["parties"]}
        assert roles["trust"] == ["buyer"] and rel["buyer"] == {"id": "trust", "name": pkg["publisher"]["name"]}
        assert roles[f"supplier-{c['supplier_id']}"] == ["supplier"]
        if c["school"]:
            assert roles[f"GB-URN-{c['school']}"] == ["procuringEntity"]
        t = rel["tender"]
        assert t["id"] == f"{rel['ocid']}-tender" and t["status"] == "complete" and t["title"] == c["title"]
        assert t["procurementMethod"] == METHODS[c["route"]]
        assert t["mainProcurementCategory"] in ("goods", "services", "works")
        [award] = rel["awards"]
        [contract] = rel["contracts"]
        assert contract["awardID"] == award["id"] == f"{rel['ocid']}-award"
        assert award["suppliers"] == [{"id": f"supplier-{c['supplier_id']}", "name": c["supplier_name"]}]
        assert contract["status"] == ("active" if c["status"] == "active" else "terminated")
        for v in (t["value"], award["value"], contract["value"]):
            assert v["currency"] == "GBP" and isinstance(v["amount"], (int, float))
            assert pence(v["amount"]) == c["estimated_value_pence"]
        p = contract["period"]
        assert p["startDate"] == f"{c['start_date']}T00:00:00Z"
        if c["current_end"]:
            assert p["endDate"] == f"{c['current_end']}T23:59:59Z"
            assert p["maxExtentDate"] == f"{c['final_end']}T23:59:59Z"
        else:
            assert "endDate" not in p
        for d in (award.get("date"), contract.get("dateSigned")):
            assert d is None or RFC3339.match(d)


def test_amounts_are_printed_from_pence(api):
    """Amounts are JSON numbers with two decimals, exactly the pence / 100 (no floating point)."""
    _, r = package(api)
    amounts = re.findall(r'"amount":([^,}]+)', r.text)
    assert amounts and all(re.fullmatch(r"\d+\.\d\d", a) for a in amounts), amounts[:5]


def test_a_new_approved_contract_appears_for_updated_since(api):
    since = sql_value("SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%fZ')")
    sup = make_supplier(api, companies_house_number=None)
    c, _ = create_contract(api, sup["id"], annual_value_pence=1234567, vat_pence=0, indexation="none",
                           indexation_bp=0, extension_options=[], end_date="2027-08-31")
    pkg, _ = package(api, updated_since=since)
    assert pkg["releases"] == []                         # a draft is not published
    activate(api, c["id"])
    pkg, r = package(api, updated_since=since)
    [rel] = pkg["releases"]
    assert rel["ocid"] == f"{PREFIX}-{c['id']}"
    # 12 months at £12,345.67: the estimated value, in pounds
    assert '"amount":12345.67' in r.text
    assert rel["contracts"][0]["period"] == {"startDate": "2026-09-01T00:00:00Z", "endDate": "2027-08-31T23:59:59Z",
                                             "maxExtentDate": "2027-08-31T23:59:59Z"}
    assert rel["tender"]["procurementMethod"] == "selective"
    assert rel["tender"]["procurementMethodDetails"].startswith("Call-off from a framework agreement: ")
    assert "identifier" not in [p for p in rel["parties"] if p["id"].startswith("supplier-")][0]
    future, _ = package(api, updated_since="2099-01-01T00:00:00Z")
    assert future["releases"] == [] and RFC3339.match(future["publishedDate"])


def test_etag_roles_and_bad_query(api):
    _, r = package(api)
    assert api.get("/api/v1/ocds/release-package", role="auditor",
                   headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    for role in ("finance_director", "business_manager", "school_system"):
        package(api, role=role)
    problem(api.get("/api/v1/ocds/release-package", role="admin"), 403)
    problem(api.get("/api/v1/ocds/release-package", role="auditor", params={"updated_since": "soon"}), 422,
            "validation", ["query:updated_since"])
    problem(api.get("/api/v1/ocds/release-package", role="auditor", params={"limit": "5"}), 422, "validation",
            ["query:limit"])


@pytest.mark.skipif(not (OCDS_DIR / "release-package-schema.json").exists(),
                    reason="the official OCDS schemas are not beside the repository (../shared/ocds)")
def test_validates_against_the_official_schema(api):
    jsonschema = pytest.importorskip("jsonschema")
    pkg_schema = json.loads((OCDS_DIR / "release-package-schema.json").read_text())
    rel_schema = json.loads((OCDS_DIR / "release-schema.json").read_text())
    store = {pkg_schema["id"]: pkg_schema, rel_schema["id"]: rel_schema}
    checker = jsonschema.FormatChecker()
    # python3-jsonschema checks date-time only with an extra package: check RFC 3339 ourselves
    checker.checks("date-time")(lambda s: not isinstance(s, str) or bool(RFC3339.match(s)))
    validator = jsonschema.Draft4Validator(pkg_schema, resolver=jsonschema.RefResolver.from_schema(pkg_schema, store=store),
                                           format_checker=checker)
    pkg, _ = package(api)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(pkg)]
    assert not errors, errors[:10]
    # and a package that breaks the schema is caught (the check is real)
    bad = json.loads(json.dumps(pkg))
    bad["releases"][0]["contracts"][0]["value"]["currency"] = "POUNDS"
    bad["releases"][0]["date"] = "yesterday"
    assert len(list(validator.iter_errors(bad))) >= 2
