"""The ledger's actuals and commitments (issue 17; README "Monitoring: the ledger and actuals"):
reading an entity's cells of a year, the import of a ledger export, and the closed periods."""
import pytest

from conftest import expect, problem, sql, sql_value

READ_YEAR = 2031                      # cells written here by SQL: no import or seed touches 2031-32


@pytest.fixture(scope="module")
def read_cells(api, first_urn, school_urns):
    """Cells of 2031-32 for two schools written straight into the table."""
    other = school_urns[1]
    rows = [(first_urn, 1, "actual", "E02", 123456), (first_urn, 1, "commitment", "E02", 5000),
            (first_urn, 5, "actual", "I01", 99), (first_urn, 5, "actual", "E02", -700),
            (other, 2, "actual", "E02", 42)]
    sql(f"DELETE FROM actuals WHERE year = {READ_YEAR}")
    for urn, month, kind, code, amount in rows:
        sql(f"INSERT INTO actuals (school_id, year, month, kind, account_id, amount_pence) "
            f"SELECT s.id, {READ_YEAR}, {month}, '{kind}', a.id, {amount} FROM schools s, accounts a "
            f"WHERE s.urn = '{urn}' AND a.code = '{code}'")
    yield other
    sql(f"DELETE FROM actuals WHERE year = {READ_YEAR}")


def test_an_entitys_actuals_are_read_in_order(api, first_urn, read_cells):
    body = expect(api.get(f"/api/v1/schools/{first_urn}/actuals?year=2031-32", role="finance_director"), 200)
    assert body == {"urn": first_urn, "year": "2031-32", "items": [
        {"month": "2031-09", "account_code": "E02", "kind": "actual", "amount_pence": 123456},
        {"month": "2031-09", "account_code": "E02", "kind": "commitment", "amount_pence": 5000},
        {"month": "2032-01", "account_code": "E02", "kind": "actual", "amount_pence": -700},
        {"month": "2032-01", "account_code": "I01", "kind": "actual", "amount_pence": 99}]}
    body = expect(api.get(f"/api/v1/schools/{first_urn}/actuals?year=2031-32&kind=commitment", role="auditor"), 200)
    assert [i["amount_pence"] for i in body["items"]] == [5000]
    other = expect(api.get(f"/api/v1/schools/{read_cells}/actuals?year=2031-32", role="auditor"), 200)
    assert other["items"] == [{"month": "2031-10", "account_code": "E02", "kind": "actual", "amount_pence": 42}]
    empty = expect(api.get(f"/api/v1/schools/central/actuals?year=2031-32", role="auditor"), 200)
    assert empty == {"urn": "central", "year": "2031-32", "items": []}


def test_actuals_read_roles_and_queries(api, first_urn, read_cells):
    # a business manager sees her school, not another; a school system nothing
    expect(api.get(f"/api/v1/schools/{first_urn}/actuals?year=2031-32", role="business_manager"), 200)
    problem(api.get(f"/api/v1/schools/{read_cells}/actuals?year=2031-32", role="business_manager"), 403)
    problem(api.get(f"/api/v1/schools/{first_urn}/actuals?year=2031-32", role="school_system"), 403)
    problem(api.get(f"/api/v1/schools/{first_urn}/actuals?year=2031", role="auditor"), 422, "validation",
            fields=["query:year"])
    problem(api.get(f"/api/v1/schools/{first_urn}/actuals?kind=budget", role="auditor"), 422, "validation",
            fields=["query:kind"])
    problem(api.get(f"/api/v1/schools/{first_urn}/actuals?month=2026-11", role="auditor"), 422)
    problem(api.get("/api/v1/schools/999999/actuals", role="auditor"), 404)
