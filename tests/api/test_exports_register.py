"""The trust's budgets by status (GET /api/v1/budgets/{year}) and the contract register
(GET /api/v1/contracts, its filters) as CSV and XLSX (Accept), read back with openpyxl: the
columns, the cell types, the same figures as the JSON, CSV and XLSX agreeing; the register's
export holds every contract the filters select, however many pages the JSON would take."""
import uuid

import pytest

from conftest import expect, problem, sql, sql_value
from test_contracts import make_supplier
from test_exports_xlsx import BOM, XLSX, csv_rows, fetch, pence, pounds_pence, sheet_rows, workbook

REGISTER = ["reference", "title", "supplier", "category", "contract_type", "school", "route", "status",
            "start_date", "current_end", "final_end", "notice_by", "annual_value", "vat", "estimated_value",
            "indexation", "indexation_bp", "compliant", "compliance_issues", "warnings"]
REGISTER_MONEY = {"annual_value", "vat", "estimated_value"}
REGISTER_DATES = {"start_date", "current_end", "final_end", "notice_by"}
TRUST = ["urn", "name", "kind", "finance_model", "status", "version", "submitted_on", "approved_on", "income",
         "expenditure", "in_year_balance", "internal_income", "internal_expenditure", "gag", "staff_costs",
         "staff_costs_bp", "contingency"]
TRUST_MONEY = {"income", "expenditure", "in_year_balance", "internal_income", "internal_expenditure", "gag",
               "staff_costs", "contingency"}


def check_agree(crows, xrows, money, dates=(), bp=(), ints=()):
    """The CSV's rows and the XLSX's carry the same text, pence, days and basis points."""
    assert len(crows) == len(xrows)
    head = crows[0]
    assert head == list(xrows[0])
    for c, x in zip(crows[1:], xrows[1:]):
        for h, cv, xv in zip(head, c, x):
            if cv == "":
                assert xv is None, (h, c, x)
            elif h in money:
                assert pounds_pence(cv) == pence(xv), (h, c, x)
            elif h in dates:
                assert xv.strftime("%Y-%m-%d") == cv, (h, c, x)
            elif h in bp:
                assert int(cv) == round(xv * 10000), (h, c, x)
            elif h in ints:
                assert int(cv) == xv, (h, c, x)
            else:
                assert cv == xv, (h, c, x)


# ---- the trust's budgets ----

def test_trust_budgets_csv_and_xlsx(api):
    path = "/api/v1/budgets/2026-27"
    j = api.get(path, role="finance_director")
    v = expect(j, 200)
    c = csv_rows(fetch(api, path, "text/csv"))
    r = fetch(api, path, XLSX, role="auditor")
    assert r.headers["Content-Disposition"] == 'attachment; filename="budgets-2026-27.xlsx"'
    wb = workbook(r)
    assert wb.sheetnames == ["Budgets"]
    ws = wb["Budgets"]
    assert c[0] == TRUST
    assert [x.value for x in ws[1]] == TRUST and ws.freeze_panes == "A2"
    xl = sheet_rows(ws)
    check_agree(c, xl, TRUST_MONEY, dates={"submitted_on", "approved_on"}, bp={"staff_costs_bp"},
                ints={"version"})
    # every entity, in the JSON's order, with its figures; the trust's row last
    assert len(c) == len(v["entities"]) + 2
    for e, row in zip(v["entities"], c[1:]):
        got = dict(zip(TRUST, row))
        assert (got["urn"], got["name"], got["status"]) == (e["urn"], e["name"], e["status"])
        if e["totals"] is None:
            assert got["version"] == "" and got["income"] == ""
            continue
        assert int(got["version"]) == e["version"]
        assert got["submitted_on"] == (e["submitted_at"] or "")[:10]
        for k in ("income", "expenditure", "in_year_balance", "internal_income", "internal_expenditure", "gag",
                  "contingency"):
            assert pounds_pence(got[k]) == e["totals"][f"{k}_pence"], k
        assert pounds_pence(got["staff_costs"]) == e["totals"]["staff_costs_pence"]
        assert got["staff_costs_bp"] == ("" if e["totals"]["staff_costs_bp"] is None
                                         else str(e["totals"]["staff_costs_bp"]))
    trust = dict(zip(TRUST, c[-1]))
    assert trust["urn"] == "trust"
    assert pounds_pence(trust["income"]) == v["trust"]["income_pence"]
    assert pounds_pence(trust["expenditure"]) == v["trust"]["expenditure_pence"]
    assert pounds_pence(trust["in_year_balance"]) == v["trust"]["in_year_balance_pence"]
    # types: money as numbers formatted #,##0.00, dates as dates, the trust's row bold
    first = next(i for i, e in enumerate(v["entities"], start=2) if e["totals"] is not None)
    assert ws.cell(row=first, column=TRUST.index("income") + 1).number_format == "#,##0.00"
    assert ws.cell(row=first, column=TRUST.index("version") + 1).data_type == "n"
    assert ws.cell(row=len(xl), column=1).font.b
    # an ETag over the bytes; 304 on If-None-Match; the JSON's is another
    r2 = api.get(path, role="auditor", headers={"Accept": XLSX, "If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304
    assert r.headers["ETag"] != j.headers["ETag"] and "Accept" in j.headers["Vary"]


def test_trust_budgets_export_roles(api):
    for role in ("business_manager", "school_system"):
        problem(api.get("/api/v1/budgets/2026-27", role=role, headers={"Accept": "text/csv"}), 403)
    problem(api.get("/api/v1/budgets/2026-28", role="finance_director", headers={"Accept": XLSX}), 400)


# ---- the contract register ----

def all_json(api, role="finance_director", **params):
    """Every contract the filters select, a page at a time, as the JSON list gives them."""
    items, after = [], None
    while True:
        q = dict(params, limit=7)
        if after:
            q["after"] = after
        body = expect(api.get("/api/v1/contracts", role=role, params=q), 200)
        items += body["items"]
        if body["next"] is None:
            return items
        after = body["next"]


def check_register(crows, items):
    """The CSV's rows are the JSON's contracts, in its order, with its figures."""
    assert crows[0] == REGISTER
    assert [row[0] for row in crows[1:]] == [c["reference"] for c in items]
    for row, c in zip(crows[1:], items):
        got = dict(zip(REGISTER, row))
        assert got["title"] == c["title"] and got["supplier"] == c["supplier_name"]
        assert (got["category"], got["contract_type"], got["route"], got["status"]) == \
            (c["category"], c["contract_type"], c["route"], c["status"])
        assert got["school"] == (c["school"] or "trust")
        for h, k in (("start_date", "start_date"), ("current_end", "current_end"), ("final_end", "final_end"),
                     ("notice_by", "notice_by")):
            assert got[h] == (c[k] or ""), h
        assert pounds_pence(got["annual_value"]) == c["annual_value_pence"]
        assert pounds_pence(got["vat"]) == c["vat_pence"]
        assert pounds_pence(got["estimated_value"]) == c["estimated_value_pence"]
        ix = c["indexation"] if c["indexation"] != "index" else c["indexation_index"]
        assert got["indexation"] == ix
        assert got["indexation_bp"] == ("" if c["indexation"] == "none"
                                        else str(c["compliance"]["indexation_bp_assumed"]))
        assert got["compliant"] == ("yes" if c["compliance"]["compliant"] else "no")
        assert got["compliance_issues"] == "; ".join(m["message"] for m in c["compliance"]["missing"])
        assert got["warnings"] == "; ".join(m["message"] for m in c["compliance"]["warnings"])


def test_register_csv_and_xlsx(api):
    path = "/api/v1/contracts"
    items = all_json(api)
    assert len(items) > 7                             # more than the JSON's page
    r = fetch(api, path, "text/csv", params={"limit": 7})
    assert r.content.decode("utf-8").startswith(BOM)
    assert r.headers["Content-Disposition"].startswith('attachment; filename="contracts-')
    c = csv_rows(r)
    check_register(c, items)                          # every contract, not a page of 7
    x = fetch(api, path, XLSX)
    assert x.headers["Content-Disposition"].endswith('.xlsx"')
    wb = workbook(x)
    assert wb.sheetnames == ["Contracts"]
    ws = wb["Contracts"]
    assert [h.value for h in ws[1]] == REGISTER and ws.freeze_panes == "A2"
    check_agree(c, sheet_rows(ws), REGISTER_MONEY, dates=REGISTER_DATES, bp={"indexation_bp"})
    col = {h: REGISTER.index(h) + 1 for h in REGISTER}
    assert ws.cell(row=2, column=col["annual_value"]).number_format == "#,##0.00"
    assert ws.cell(row=2, column=col["start_date"]).is_date
    fixed = next(i for i, it in enumerate(items, start=2) if it["indexation"] != "none")
    assert ws.cell(row=fixed, column=col["indexation_bp"]).number_format == "0.00%"
    # the same register gives the same bytes; 304 on its ETag
    r2 = api.get(path, role="finance_director", headers={"Accept": XLSX, "If-None-Match": x.headers["ETag"]})
    assert r2.status_code == 304


@pytest.mark.parametrize("params", [{"status": "active"}, {"category": "catering"}, {"school": "trust"},
                                    {"sort": "-value"}, {"sort": "end"}, {"q": "Catering"},
                                    {"notice_within_days": "400", "sort": "notice_by"}])
def test_register_filters(api, params):
    items = all_json(api, **params)
    check_register(csv_rows(fetch(api, "/api/v1/contracts", "text/csv", params=params)), items)


def test_register_scoped(api, first_urn):
    """A business manager's export: trust-wide contracts and her own schools', as in JSON."""
    items = all_json(api, role="business_manager")
    c = csv_rows(fetch(api, "/api/v1/contracts", "text/csv", role="business_manager"))
    check_register(c, items)
    assert {row[5] for row in c[1:]} <= {"trust", first_urn}
    problem(api.get("/api/v1/contracts", role="school_system", headers={"Accept": "text/csv"}), 403)
    problem(api.get("/api/v1/contracts", role="finance_director", params={"status": "lost"},
                    headers={"Accept": XLSX}), 422, fields=["query:status"])


@pytest.fixture
def many(api):
    """450 contracts of one new supplier (more than two of the export's internal pages of
    200), copied in SQL from a seeded one with their procurement twenty years back, so that
    no other contract's aggregation sees them; deleted afterwards."""
    s = make_supplier(api)
    tag = f"X{uuid.uuid4().hex[:6].upper()}"
    src = sql_value("SELECT MIN(id) FROM contracts")
    sql(f"""INSERT INTO contracts (reference, title, supplier_id, category, contract_type, school_id, route,
            procurement_started_on, evidence_json, start_date, end_date, extension_options, options_used,
            options_used_months, options_total_months, notice_period, notice_unit, auto_renew, annual_value_pence,
            vat_pence, indexation, indexation_index, indexation_bp, status)
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 450)
        SELECT CONCAT('{tag}-', LPAD(n.i, 3, '0')), CONCAT('Bulk line ', n.i), {s['id']}, c.category,
            c.contract_type, NULL, c.route, '2005-01-10', c.evidence_json, '2005-02-01', '2006-01-31',
            c.extension_options, 0, 0, c.options_total_months, c.notice_period, c.notice_unit, 0,
            100000 + n.i * 37, 20000, c.indexation, c.indexation_index, c.indexation_bp, 'draft'
        FROM n JOIN contracts c ON c.id = {src}""")
    yield s, tag
    sql(f"DELETE FROM contracts WHERE supplier_id = {s['id']}")


def test_register_every_row(api, many):
    s, tag = many
    for params in ({"supplier": s["id"]}, {"supplier": s["id"], "sort": "-value"}, {"q": tag, "sort": "reference"}):
        c = csv_rows(fetch(api, "/api/v1/contracts", "text/csv", params=dict(params, limit=1)))
        assert len(c) == 451
        assert len({row[0] for row in c[1:]}) == 450   # each once
        if params.get("sort") == "-value":
            values = [pounds_pence(row[REGISTER.index("annual_value")]) for row in c[1:]]
            assert values == sorted(values, reverse=True)
        if params.get("sort") == "reference":
            assert [row[0] for row in c[1:]] == [f"{tag}-{i:03d}" for i in range(1, 451)]
    xl = sheet_rows(workbook(fetch(api, "/api/v1/contracts", XLSX, params={"supplier": s["id"]}))["Contracts"])
    assert len(xl) == 451
