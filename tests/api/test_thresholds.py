"""The statutory thresholds from 1 January 2020 (issue 15, item 10; domain.md section 8) as the
contract check applies them: the row in force on `procurement_started_on`, its VAT basis (the
2020 rows are net of VAT: the value net of VAT is compared), `>=`, PCR 2015 before 24 Feb 2025
and the Act from then, and light-touch concessions as a contract type of their own. Hand-worked
figures on a one-year contract with no indexation (its estimated value is its annual value)."""
import csv
import io

import pytest

from conftest import expect
from test_contracts import FRAMEWORK, contract_body, create_contract, make_supplier

CHECK = "/api/v1/contracts/compliance-check"


@pytest.fixture(scope="module")
def supplier(api):
    return make_supplier(api)


def one_year(supplier_id, started, net, vat, contract_type="goods_services"):
    """A 12-month framework call-off, no options, no indexation: estimated = net + VAT."""
    start = f"{int(started[:4]) + 1}-01-01"
    return contract_body(supplier_id, contract_type=contract_type, procurement_started_on=started,
                         start_date=start, end_date=f"{start[:4]}-12-31", extension_options=[],
                         annual_value_pence=net, vat_pence=vat, indexation="none", indexation_bp=0,
                         evidence={"framework": dict(FRAMEWORK)})


def check(api, body):
    return expect(api.post(CHECK, role="finance_director", json=body), 200)


def warnings(ch):
    return [w["code"] for w in ch["warnings"]]


def missing(ch):
    return [m["item"] for m in ch["missing"]]


def test_a_contract_procured_in_2023_gets_its_statutory_check(api, supplier):
    """£200,000 + £40,000 VAT started on 1 June 2023: the 2022 row (£213,477 incl. VAT, PCR 2015)
    applies; £240,000 is not less than it, so the award notice and the standstill are needed
    (the Act's contract details notice, conflicts and debarment items are not)."""
    ch = check(api, one_year(supplier["id"], "2023-06-01", 20000000, 4000000))
    assert ch["threshold"] == {
        "contract_type": "goods_services", "from": "2022-01-01", "pence": 21347700, "regime": "PCR2015",
        "vat": "incl", "compared_pence": 24000000,
        "explanation": "estimated value incl. VAT £240,000.00 against the goods_services threshold of £213,477.00 "
                       "incl. VAT for procurements started from 2022-01-01 (the Public Contracts Regulations "
                       "2015): not less than the threshold, so the statutory rules apply"}
    assert ch["above_threshold"] and "no_threshold" not in warnings(ch)
    assert missing(ch) == ["award_notice", "standstill"]
    assert not ch["compliant"]


def test_the_2020_row_compares_the_value_net_of_vat(api, supplier):
    """£189,330.00 net + £37,866.00 VAT started in 2021: at the £189,330 net threshold (>=); a
    penny less net is below it although £227,195.99 incl. VAT is well above £189,330."""
    at = check(api, one_year(supplier["id"], "2021-06-01", 18933000, 3786600))
    assert at["estimated_value_pence"] == 22719600
    assert at["threshold"]["from"] == "2020-01-01" and at["threshold"]["vat"] == "net"
    assert at["threshold"]["pence"] == 18933000 and at["threshold"]["compared_pence"] == 18933000
    assert at["above_threshold"]
    assert "net of VAT £189,330.00" in at["threshold"]["explanation"]
    below = check(api, one_year(supplier["id"], "2021-06-01", 18932999, 3786600))
    assert below["threshold"]["compared_pence"] == 18932999 and not below["above_threshold"]
    assert below["compliant"]                         # below the threshold: the framework call-off is enough
    assert "below the threshold" in below["threshold"]["explanation"]


@pytest.mark.parametrize("started,pence,vat,regime", [
    ("2021-12-31", 18933000, "net", "PCR2015"),
    ("2022-01-01", 21347700, "incl", "PCR2015"),
    ("2023-12-31", 21347700, "incl", "PCR2015"),
    ("2024-01-01", 21490400, "incl", "PCR2015"),
    ("2025-02-23", 21490400, "incl", "PCR2015"),
    ("2025-02-24", 21490400, "incl", "PA2023"),
    ("2025-12-31", 21490400, "incl", "PA2023"),
    ("2026-01-01", 20772000, "incl", "PA2023"),
])
def test_goods_and_services_the_day_before_and_the_day_of_each_change(api, supplier, started, pence, vat, regime):
    """£200,000 with no VAT: above the net £189,330 row, below £213,477 and £214,904, below
    £207,720 as well."""
    ch = check(api, one_year(supplier["id"], started, 20000000, 0))
    t = ch["threshold"]
    assert (t["pence"], t["vat"], t["regime"]) == (pence, vat, regime)
    assert ch["above_threshold"] == (20000000 >= pence)


def test_before_2020_there_is_no_threshold(api, supplier):
    ch = check(api, one_year(supplier["id"], "2019-12-31", 20000000, 0))
    assert ch["threshold"] is None and not ch["above_threshold"]
    assert "no_threshold" in warnings(ch)


def test_works_light_touch_and_concessions(api, supplier):
    # works: £5,300,000 is above £5,193,000 (2026), below £5,372,609 (2025)
    assert check(api, one_year(supplier["id"], "2026-01-01", 530000000, 0, "works"))["above_threshold"]
    assert not check(api, one_year(supplier["id"], "2025-12-31", 530000000, 0, "works"))["above_threshold"]
    # light-touch services: £663,540 net of VAT in 2021, incl. VAT from 2022
    lt = one_year(supplier["id"], "2021-12-31", 55295000, 11059000, "light_touch")
    assert not check(api, lt)["above_threshold"]      # £552,950 net
    lt["procurement_started_on"] = "2022-01-01"
    assert check(api, lt)["above_threshold"]          # £663,540 incl. VAT
    # £5,200,000 in 2026: a concession is above its £5,193,000, a light-touch concession
    # (school meals) below its £5,372,609
    con = check(api, one_year(supplier["id"], "2026-03-01", 520000000, 0, "concession"))
    ltc = check(api, one_year(supplier["id"], "2026-03-01", 520000000, 0, "light_touch_concession"))
    assert con["above_threshold"] and con["threshold"]["pence"] == 519300000
    assert not ltc["above_threshold"] and ltc["threshold"]["pence"] == 537260900
    assert ltc["threshold"]["contract_type"] == "light_touch_concession"


def test_a_light_touch_concession_is_saved_and_listed(api, supplier):
    c, _ = create_contract(api, supplier["id"], **{k: v for k, v in one_year(
        supplier["id"], "2026-03-01", 25000000, 0, "light_touch_concession").items() if k not in ("supplier_id", "category")},
        category="catering")
    assert c["contract_type"] == "light_touch_concession"
    got = expect(api.get(f"/api/v1/contracts/{c['id']}", role="finance_director"), 200)
    assert got["contract_type"] == "light_touch_concession"
    assert got["compliance"]["threshold"]["pence"] == 537260900
    r = api.get("/api/v1/contracts", role="finance_director", headers={"Accept": "text/csv"})
    assert r.status_code == 200
    rows = [x for x in csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))) if x["reference"] == c["reference"]]
    assert [x["contract_type"] for x in rows] == ["light_touch_concession"]
