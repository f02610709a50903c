"""GET /api/v1/services/{id}/allocation and GET /api/v1/allocations: the exact split of a service's
cost for a year between its subscribers (largest remainders, ties by URN), with hand-worked figures,
explanations, proration, VAT, nothing to split by, the business manager's view, and the school ×
service matrix as JSON and CSV. The tests use academic years from 2045-46 on, whose census they set
themselves, so that nothing else in the suite moves their figures."""
import csv
import io

import pytest

from conftest import expect, problem
from test_services import make_service, put_set, set_census, subscribe

# far years' entered costs stay as entered with cpi at 0% there (conftest.cpi_flat)
pytestmark = pytest.mark.usefixtures("cpi_flat")


def split(total, weights):
    """The reference largest-remainder split: {key: pence}; weights {key: w}, ties by key."""
    w = sum(weights.values())
    out, rem = {}, []
    for k, x in weights.items():
        q, r = divmod(total * x, w)
        out[k] = q
        rem.append((-r, k))
    for _, k in sorted(rem)[:total - sum(out.values())]:
        out[k] += 1
    return out


def allocation(api, sid, year, role="finance_director"):
    return expect(api.get(f"/api/v1/services/{sid}/allocation", role=role, params={"year": year}), 200)


@pytest.fixture(scope="module")
def census_2045(api):
    """Pupils 412 / 1,458 / 2,000 for 159901-159903 in 2045-46 (FTE 20.50 / 31.25 / 48.25)."""
    set_census(api, "159901", "2045-46", pupils=412, fte=20.5)
    set_census(api, "159902", "2045-46", pupils=1458, fte=31.25)
    set_census(api, "159903", "2045-46", pupils=2000, fte=48.25)
    return {"159901": 412, "159902": 1458, "159903": 2000}


def test_three_schools_by_pupils_hand_worked(api, census_2045):
    """£48,000.00 by 412 / 1,458 / 2,000 pupils (3,870):
       4,800,000 × 412 / 3,870   = 511,007 r 2,910 -> 511,008 (the 1p left: the largest remainder)
       4,800,000 × 1,458 / 3,870 = 1,808,372 r 360
       4,800,000 × 2,000 / 3,870 = 2,480,620 r 600"""
    s = make_service(api, annual_cost_pence=4800000)
    for urn in ("159903", "159901", "159902"):
        expect(subscribe(api, s["id"], urn, start_date="2045-09-01"), 201)
    a = allocation(api, s["id"], "2045-46")
    assert a["year"] == "2045-46" and a["basis"] == "per_pupil" and a["funding"] == "traded"
    assert a["total_pence"] == 4800000 and a["total_value"] == 3870 and a["prorated"] is False
    assert [(x["urn"], x["value"], x["share_pence"], x["remainder_penny"]) for x in a["shares"]] == [
        ("159901", 412, 511008, True), ("159902", 1458, 1808372, False), ("159903", 2000, 2480620, False)]
    assert [x["explanation"] for x in a["shares"]] == [
        "pupils 412 of 3,870 × £48,000.00 (+1p remainder)", "pupils 1,458 of 3,870 × £48,000.00",
        "pupils 2,000 of 3,870 × £48,000.00"]
    assert a["allocated_pence"] == 4800000 and a["unallocated_pence"] == 0 and a["sum_matches"] is True
    assert a["warnings"] == []
    assert all(x["months"] == 12 and x["weight"] == x["value"] * 12 for x in a["shares"])
    # before the subscriptions start, nobody shares the year's cost
    before = allocation(api, s["id"], "2044-45")
    assert before["shares"] == [] and before["unallocated_pence"] == 4800000 and before["sum_matches"]


def test_per_fte(api, census_2045):
    """£10,000.01 by FTE 20.50 / 31.25 / 48.25 (100.00): 205,000, 312,500, 482,500 r ... the 1p left
    goes to the largest remainder: 1,000,001 × 4,825 / 10,000 = 482,500 r 4,825."""
    s = make_service(api, basis="per_fte", annual_cost_pence=1000001)
    for urn in ("159901", "159902", "159903"):
        expect(subscribe(api, s["id"], urn, start_date="2045-09-01"), 201)
    a = allocation(api, s["id"], "2045-46")
    assert [(x["urn"], x["share_pence"]) for x in a["shares"]] == [("159901", 205000), ("159902", 312500),
                                                                    ("159903", 482501)]
    assert a["shares"][2]["explanation"] == "FTE 48.25 of 100.00 × £10,000.01 (+1p remainder)"


def test_ties_go_to_the_lower_urn(api):
    """£1.00 shared equally by three: 33p each and the 1p left to the lowest URN."""
    s = make_service(api, basis="equal", annual_cost_pence=100)
    for urn in ("159906", "159904", "159905"):
        expect(subscribe(api, s["id"], urn, start_date="2045-09-01"), 201)
    a = allocation(api, s["id"], "2045-46")
    assert [(x["urn"], x["share_pence"]) for x in a["shares"]] == [("159904", 34), ("159905", 33), ("159906", 33)]
    assert a["shares"][0]["explanation"] == "1 of 3 schools × £1.00 (+1p remainder)"


def test_prorated_join_in_january(api, census_2045):
    """159902 joins on 1 Jan 2046: 412 × 12 = 4,944 and 1,458 × 8 = 11,664 pupil-months (16,608)."""
    s = make_service(api, annual_cost_pence=974400)
    expect(subscribe(api, s["id"], "159901", start_date="2045-09-01"), 201)
    expect(subscribe(api, s["id"], "159902", start_date="2046-01-01"), 201)
    a = allocation(api, s["id"], "2045-46")
    want = split(974400, {"159901": 4944, "159902": 11664})
    assert a["prorated"] is True and a["total_value"] == 16608 and a["weight_total"] == 16608
    assert [(x["urn"], x["months"], x["weight"], x["share_pence"]) for x in a["shares"]] == [
        ("159901", 12, 4944, want["159901"]), ("159902", 8, 11664, want["159902"])]
    assert a["shares"][1]["explanation"].startswith("pupils 1,458 × 8 months of 16,608 (pupils × months) × £9,744.00")


def test_usage_and_fixed_shares(api):
    """Meals 41,000 / 55,000 / 24,000 of 120,000 × £30,000.00 divide exactly; grounds 25/25/50%."""
    meals = make_service(api, basis="usage", usage_unit="meals", category="catering", annual_cost_pence=3000000)
    for urn, n in (("159907", 41000), ("159908", 55000), ("159909", 24000)):
        expect(subscribe(api, meals["id"], urn, start_date="2045-09-01", usage_units=n), 201)
    a = allocation(api, meals["id"], "2045-46")
    assert [x["share_pence"] for x in a["shares"]] == [1025000, 1375000, 600000]
    assert a["shares"][0]["explanation"] == "meals 41,000 of 120,000 × £30,000.00"
    grounds = make_service(api, basis="fixed_share", category="grounds", annual_cost_pence=100001)
    expect(put_set(api, grounds["id"], [
        {"school": "159907", "start_date": "2045-09-01", "fixed_share_bp": 2500},
        {"school": "159908", "start_date": "2045-09-01", "fixed_share_bp": 2500},
        {"school": "159909", "start_date": "2045-09-01", "fixed_share_bp": 5000}]), 200)
    a = allocation(api, grounds["id"], "2045-46")
    assert [x["share_pence"] for x in a["shares"]] == [25000, 25000, 50001]
    assert a["shares"][2]["explanation"] == "fixed share 5,000 of 10,000 bp × £1,000.01 (+1p remainder)"


def test_nothing_to_split_by(api):
    s = make_service(api, basis="usage", usage_unit="call-outs", annual_cost_pence=50000)
    expect(subscribe(api, s["id"], "159904", start_date="2045-09-01", usage_units=0), 201)
    a = allocation(api, s["id"], "2045-46")
    assert a["shares"][0]["share_pence"] == 0
    assert a["allocated_pence"] == 0 and a["unallocated_pence"] == 50000 and a["sum_matches"] is True
    assert any("nothing to split" in w for w in a["warnings"])


def test_core_service_is_noted(api):
    s = make_service(api, basis="equal", funding="core", annual_cost_pence=900)
    expect(subscribe(api, s["id"], "159904", start_date="2045-09-01"), 201)
    a = allocation(api, s["id"], "2045-46")
    assert a["funding"] == "core" and any("core service" in w for w in a["warnings"])


def test_vat_not_recoverable_is_a_cost(api, spawn):
    """With procurement.vat_recoverable_bp = 7500, a quarter of £2,000 VAT (£500) is a cost."""
    s = make_service(api, basis="equal", annual_cost_pence=1000000, annual_vat_pence=200000)
    expect(subscribe(api, s["id"], "159904", start_date="2045-09-01"), 201)
    expect(subscribe(api, s["id"], "159905", start_date="2045-09-01"), 201)
    assert allocation(api, s["id"], "2045-46")["total_pence"] == 1000000
    d = spawn("vat-75", procurement_extra="vat_recoverable_bp = 7500; ")
    r = api.get(d.url + f"/api/v1/services/{s['id']}/allocation", role="finance_director",
                params={"year": "2045-46"}, fresh=True)
    a = expect(r, 200)
    assert a["cost"]["irrecoverable_vat_pence"] == 50000 and a["total_pence"] == 1050000
    assert [x["share_pence"] for x in a["shares"]] == [525000, 525000]
    # entered for this year (2026-27), raised by cpi (0% in these years: cpi_flat) up to 2045-46
    assert a["cost"]["explanation"] == ("entered annual cost £10,000.00 for 2026-27, raised by cpi 19 times at 0 bp "
                                        "= £10,000.00 net + £500.00 of VAT not recoverable (of £2,000.00) = £10,500.00")
    assert a["cost"]["assumptions"] == ["entered for 2026-27, raised by cpi each year"]


def test_business_manager_sees_own_schools(api, census_2045, first_urn):
    s = make_service(api, annual_cost_pence=4800000)
    for urn in ("159901", "159902", "159903"):
        expect(subscribe(api, s["id"], urn, start_date="2045-09-01"), 201)
    a = allocation(api, s["id"], "2045-46", role="business_manager")
    assert [x["urn"] for x in a["shares"]] == [first_urn]
    assert a["other_schools_pence"] == 1808372 + 2480620 and a["other_subscriptions"] == 2
    assert a["shares"][0]["share_pence"] + a["other_schools_pence"] == a["total_pence"]
    assert "other_schools_pence" not in allocation(api, s["id"], "2045-46", role="auditor")


def test_allocation_errors_and_roles(api):
    s = make_service(api)
    problem(api.get(f"/api/v1/services/{s['id']}/allocation", role="finance_director", params={"year": "2045/46"}),
            422, "validation", ["query:year"])
    problem(api.get("/api/v1/services/99999999/allocation", role="finance_director"), 404)
    for role in ("school_system", "admin"):
        problem(api.get(f"/api/v1/services/{s['id']}/allocation", role=role), 403, "forbidden")
    r = api.get(f"/api/v1/services/{s['id']}/allocation", role="auditor")
    assert expect(r, 200)["year"] == "2026-27"
    assert api.get(f"/api/v1/services/{s['id']}/allocation", role="auditor",
                   headers={"If-None-Match": r.headers["ETag"]}).status_code == 304


def test_matrix_json(api, census_2045):
    s = make_service(api, name="Pytest matrix, per pupil", annual_cost_pence=4800000)
    for urn in ("159901", "159902", "159903"):
        expect(subscribe(api, s["id"], urn, start_date="2045-09-01"), 201)
    m = expect(api.get("/api/v1/allocations", role="auditor", params={"year": "2045-46"}), 200)
    assert m["year"] == "2045-46"
    col = [i for i, x in enumerate(m["services"]) if x["id"] == s["id"]][0]
    assert m["services"][col]["cost_pence"] == 4800000 and m["services"][col]["allocated_pence"] == 4800000
    cells = {row["urn"]: row["shares_pence"][col] for row in m["schools"]}
    assert (cells["159901"], cells["159902"], cells["159903"]) == (511008, 1808372, 2480620)
    assert [row["urn"] for row in m["schools"]] == sorted(row["urn"] for row in m["schools"])
    for row in m["schools"]:
        assert len(row["shares_pence"]) == len(m["services"])
        assert sum(row["shares_pence"]) == row["total_pence"] == row["traded_pence"] + row["core_pence"]
    t = m["totals"]
    assert t["shares_pence"] == [sum(row["shares_pence"][i] for row in m["schools"]) for i in range(len(m["services"]))]
    assert t["total_pence"] == sum(row["total_pence"] for row in m["schools"]) == sum(t["shares_pence"])
    assert t["cost_pence"] == sum(x["cost_pence"] for x in m["services"])
    assert t["total_pence"] + t["unallocated_pence"] == t["cost_pence"] and t["sum_matches"] is True


def test_matrix_csv(api, census_2045):
    s = make_service(api, name='Pytest "CSV", quoted', annual_cost_pence=4800000)
    for urn in ("159901", "159902", "159903"):
        expect(subscribe(api, s["id"], urn, start_date="2045-09-01"), 201)
    r = api.get("/api/v1/allocations", role="finance_director", params={"year": "2045-46"},
                headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert r.headers["Content-Disposition"] == 'attachment; filename="allocations-2045-46.csv"'
    assert "\r\n" in r.text and '"Pytest ""CSV"", quoted"' in r.text
    assert r.text.startswith("\ufeff")                # a UTF-8 BOM
    rows = list(csv.reader(io.StringIO(r.text[1:], newline="")))
    head = rows[0]
    assert head[:2] == ["urn", "school"] and head[-3:] == ["total", "traded", "core"]
    col = head.index('Pytest "CSV", quoted')
    by_urn = {row[0]: row for row in rows[1:]}
    assert (by_urn["159901"][col], by_urn["159902"][col], by_urn["159903"][col]) == ("5110.08", "18083.72", "24806.20")
    assert rows[-1][:2] == ["total", "All schools"] and rows[-1][col] == "48000.00"
    body = rows[1:-1]
    for j in range(2, len(head)):
        assert round(sum(int(row[j].replace(".", "")) for row in body)) == int(rows[-1][j].replace(".", ""))
    assert api.get("/api/v1/allocations", role="finance_director", params={"year": "2045-46"},
                   headers={"Accept": "text/csv", "If-None-Match": r.headers["ETag"]}).status_code == 304


def test_matrix_roles(api):
    for role in ("business_manager", "school_system", "admin"):
        problem(api.get("/api/v1/allocations", role=role), 403, "forbidden")
    problem(api.get("/api/v1/allocations", role="finance_director", params={"year": "x"}), 422, "validation",
            ["query:year"])
    m = expect(api.get("/api/v1/allocations", role="finance_director"), 200)
    assert m["year"] == "2026-27" and m["totals"]["sum_matches"] is True
