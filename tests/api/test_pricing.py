"""One pricing function (issue 15, items 2, 3 and 8): the register (a service's cost), the
allocation endpoint, the school-systems feed and a forecast run price a contract's year
alike, exactly (a year's cost rounded once) and with the index history; a year priced on an
assumption says which; an auto-renewing contract with no end has its next renewal and notice
date, and the renewal alerts never ask for notice by a date that has passed.

The demo's CLN-159901-2025 (Kingfisher Wharf's cleaning, NLW-linked, £98,000 + £19,600 VAT a
year) starts 16 months before today (22 Nov 2026): 22 Jul 2025, ends 21 Jul 2028 with two
12-month options unused. In 2027-28 (months from 1 Sep 2027 to 1 Aug 2028):
  anniversaries 22 Jul 2026 (2025-26: NLW 6.70% in the history), 22 Jul 2027 (2026-27: 4.10%),
  22 Jul 2028 (2027-28: not in the history: the default 3.00%, or a forecast's scenario);
  Sep-Jul (11 months) at 9,800,000 x 1.067 x 1.041 = 10,885,320.6;
  Aug 2028 (option 1, assumed taken) at 10,885,320.6 x 1.03 = 11,211,880.218;
  (11 x 10,885,320.6 + 11,211,880.218) / 12 = 10,912,533.9... -> 10,912,534p (£109,125.34);
  VAT the same way: 2,182,507p, all recoverable.
Before the history, every anniversary took 3%: the register said 9,800,000 x 1.03^2 ... and the
forecast (0% for years up to its base) £98,000.00.
"""
import uuid
from datetime import date

import pytest

from conftest import TODAY, expect, problem, sql_value
from test_contracts import activate, create_contract, make_supplier
from test_services import get_service, make_service, subscribe

YEAR = "2027-28"
CLEANING_2027 = 10912534


def contract_id(ref):
    return int(sql_value(f"SELECT id FROM contracts WHERE reference = '{ref}'"))


def service_id(name):
    return int(sql_value(f"SELECT id FROM services WHERE name = '{name}' AND deleted_at IS NULL"))


@pytest.fixture(scope="module")
def cleaning(api):
    """A traded service bought through CLN-159901-2025, taken by Kingfisher Wharf alone (so its
    share is the whole cost); deleted afterwards so that the other tests see the demo as it was."""
    s = make_service(api, name="Pytest cleaning through CLN-159901-2025", category="cleaning", account_code="E14",
                     basis="equal", contract_id=contract_id("CLN-159901-2025"), annual_cost_pence=None,
                     annual_vat_pence=0)
    expect(subscribe(api, s["id"], "159901"), 201)
    yield s
    etag = api.get(f"/api/v1/services/{s['id']}", role="finance_director").headers["ETag"]
    expect(api.delete(f"/api/v1/services/{s['id']}", role="finance_director", headers={"If-Match": etag}), 204)


def nlw(api):
    r = api.get("/api/v1/indices/nlw", role="finance_director")
    return expect(r, 200), r.headers["ETag"]


def put_nlw(api, body, etag):
    return api.put("/api/v1/indices/nlw", role="finance_director", json=body, headers={"If-Match": etag})


def feed_item(api, service, year=YEAR):
    r = api.get("/api/v1/schools/159901/services", role="finance_director", params={"year": year})
    body = expect(r, 200)
    return next(i for i in body["items"] if i["service_id"] == service["id"]), r.headers["ETag"]


def test_register_allocation_feed_and_forecast_agree(api, cleaning):
    # the register
    s, _ = get_service(api, cleaning["id"], year=YEAR)
    assert s["cost"]["net_pence"] == CLEANING_2027 and s["cost"]["vat_pence"] == 2182507
    assert s["cost"]["cost_pence"] == CLEANING_2027
    assert s["cost"]["assumptions"] == ["nlw 2027-28 at the default 3.00%", "option 1 (12 months) taken"]
    # the allocation endpoint and the matrix
    a = expect(api.get(f"/api/v1/services/{cleaning['id']}/allocation", role="finance_director",
                       params={"year": YEAR}), 200)
    assert a["cost"]["cost_pence"] == CLEANING_2027 and a["cost"]["assumptions"] == s["cost"]["assumptions"]
    assert [x["share_pence"] for x in a["shares"]] == [CLEANING_2027]
    m = expect(api.get("/api/v1/allocations", role="finance_director", params={"year": YEAR}), 200)
    col = next(x for x in m["services"] if x["id"] == cleaning["id"])
    assert col["cost_pence"] == CLEANING_2027 and col["assumptions"] == s["cost"]["assumptions"]
    # the feed
    item, _ = feed_item(api, cleaning)
    assert item["cost_pence"] == CLEANING_2027 and item["assumptions"] == s["cost"]["assumptions"]
    # a forecast run on a 2026-27 base whose scenario's NLW for 2027-28 is the default's 3%: the
    # services driver books the same figure on Kingfisher Wharf's E14
    exp = expect(api.get(f"/api/v1/scenarios/{service_scenario('expected')}", role="finance_director"), 200)
    body = {k: exp[k] for k in ("description", "base_year", "horizon", "assumptions", "pupils", "places")}
    body["name"] = "Pytest pricing: NLW 3% in 2027-28"
    body["assumptions"]["inflation_bp"]["nlw"] = {"2027-28": 300}
    sc = expect(api.post("/api/v1/scenarios", role="finance_director", json=body), 201)
    run = expect(api.post("/api/v1/forecasts", role="finance_director", params={"lines": "true"},
                          json={"scenario": sc["id"], "base_year": "2026-27", "horizon": 2}), 201)
    full = expect(api.get(f"/api/v1/forecasts/{run['id']}", role="finance_director",
                          params={"explain": "data", "entity": "159901"}), 200)
    ent = next(e for e in full["entities"] if e["urn"] == "159901")
    y = next(y for y in ent["years"] if y["year"] == YEAR)
    e14 = [l for l in y["lines"] if l["account_code"] == "E14" and l["driver"] == "services"]
    assert e14, "Kingfisher Wharf has a services line on E14"
    assert e14[0]["explain"]["cost_pence"] == CLEANING_2027


def service_scenario(name):
    return int(sql_value(f"SELECT id FROM scenarios WHERE name = '{name}' AND deleted_at IS NULL"))


def test_payroll_is_priced_on_its_option_and_says_so(api):
    """PAY-TRUST-2024 ends within 2026-27 with an option left: the allocation endpoint priced 2027-28
    at £0 while the forecast assumed the option taken; both now assume it, and say so."""
    sid = service_id("Payroll, pensions and HR")
    a = expect(api.get(f"/api/v1/services/{sid}/allocation", role="finance_director", params={"year": YEAR}), 200)
    assert a["cost"]["cost_pence"] > 0 and a["cost"]["months"] == 12
    assert any(x.startswith("option 1 (") and x.endswith(" taken") for x in a["cost"]["assumptions"])
    s, _ = get_service(api, sid, year=YEAR)
    assert s["cost"] == a["cost"]


def test_history_edits_change_prices_and_the_feed_etag(api, cleaning):
    before, etag = nlw(api)
    item, feed_etag = feed_item(api, cleaning)
    assert item["cost_pence"] == CLEANING_2027
    r = api.get("/api/v1/schools/159901/services", role="finance_director", params={"year": YEAR},
                headers={"If-None-Match": feed_etag})
    assert r.status_code == 304
    body = {"description": before["description"], "values": dict(before["values"], **{"2025-26": 680}),
            "notes": before["notes"]}
    try:
        after = expect(put_nlw(api, body, etag), 200)
        assert after["values"]["2025-26"] == 680 and after["version"] == before["version"] + 1
        # 9,800,000 x 1.068 x 1.041 = 10,895,522.4; Aug at x 1.03: (11 x 10,895,522.4 + 11,222,388.072) / 12
        # = 10,922,761.27 -> 10,922,761
        item2, feed_etag2 = feed_item(api, cleaning)
        assert item2["cost_pence"] == 10922761 and feed_etag2 != feed_etag
        assert item2["updated_at"] > item["updated_at"]
        r = api.get("/api/v1/schools/159901/services", role="finance_director", params={"year": YEAR},
                    headers={"If-None-Match": feed_etag})
        assert r.status_code == 200
        s, _ = get_service(api, cleaning["id"], year=YEAR)
        assert s["cost"]["cost_pence"] == 10922761
    finally:
        cur, etag2 = nlw(api)
        expect(put_nlw(api, {"description": before["description"], "values": before["values"],
                             "notes": before["notes"]}, etag2), 200)
    item3, _ = feed_item(api, cleaning)
    assert item3["cost_pence"] == CLEANING_2027


def test_auto_renewing_without_end_has_a_notice_date_and_an_alert(api):
    """An auto-renewing contract with no end, from 15 Dec 2025 with 30 days' notice: its next renewal
    after 22 Nov 2026 is 15 Dec 2026, notice by 15 Nov 2026, which has passed: the alert says so and
    names the renewal after it (15 Dec 2027, notice by 15 Nov 2027), never "give notice by" 15 Nov."""
    s = make_supplier(api)
    c, _ = create_contract(api, s["id"], start_date="2025-12-15", procurement_started_on="2025-10-01", end_date=None, auto_renew=True,
                           extension_options=[], notice_period=30, annual_value_pence=100000, vat_pence=20000,
                           route="single_quote",
                           evidence={"quotes": [{"supplier": "A Ltd", "amount_pence": 100000, "chosen": True}]})
    assert c["next_renewal"] == "2026-12-15" and c["notice_by"] == "2026-11-15" and c["days_to_notice"] == -7
    activate(api, c["id"])
    body = expect(api.get("/api/v1/alerts/renewals", role="finance_director", params={"within_days": 60}), 200)
    a = next(x for x in body["items"] if x["contract_id"] == c["id"])
    assert a["action"] == "give_notice" and a["next_renewal"] == "2026-12-15" and a["current_end"] is None
    assert a["due_on"] == "2026-12-14" and a["notice_by"] == "2026-11-15"
    assert a["message"] == ("the notice date (2026-11-15) has passed; the contract runs on to its renewal on "
                            "2026-12-15 (the next notice date is 2027-11-15)")
    assert "give notice by 2026-11-15" not in a["message"]


# ---- issue 15 (follow-up): one notice date, a contract's status, entered costs in later years ----

QUOTE = {"quotes": [{"supplier": "A Ltd", "amount_pence": 100000, "chosen": True}]}


def no_end(api, supplier, prefix, start, period, unit):
    c, _ = create_contract(api, supplier, reference=f"{prefix}-{uuid.uuid4().hex[:8].upper()}", start_date=start,
                           procurement_started_on="2023-01-01", end_date=None, auto_renew=True, extension_options=[],
                           notice_period=period, notice_unit=unit, annual_value_pence=100000, vat_pence=0,
                           indexation="none", indexation_bp=0, route="single_quote", evidence=QUOTE)
    return c


def days_from_today(d):
    return (date.fromisoformat(d) - date.fromisoformat(TODAY)).days


def test_notice_dates_agree_in_the_register_filter_sort_and_services(api):
    """Auto-renewing contracts with no end: the register's notice_within_days and sort=notice_by
    use the notice date their JSON has (before the next renewal after 22 Nov 2026), to the day;
    so does the contract summary inside /services. Worked: from 23 Nov 2023 with no notice:
    23 Nov 2026 (tomorrow); from 22 Nov 2023: today is an anniversary, so 22 Nov 2027; from
    29 Feb 2024 with a month's notice: 28 Feb 2027 -> 28 Jan 2027; from 31 Dec 2025, a month:
    30 Nov 2026; from 31 Mar 2027 (not started): 31 Mar 2028 -> 29 Feb 2028; from 31 Jan 2024,
    3 days: 28 Jan 2027."""
    s = make_supplier(api)
    prefix = f"PYN{uuid.uuid4().hex[:4].upper()}"
    cases = [("2023-11-23", 0, "days", "2026-11-23"), ("2023-11-22", 0, "days", "2027-11-22"),
             ("2024-02-29", 1, "months", "2027-01-28"), ("2025-12-31", 1, "months", "2026-11-30"),
             ("2027-03-31", 1, "months", "2028-02-29"), ("2024-01-31", 3, "days", "2027-01-28")]
    made = []
    for start, period, unit, want in cases:
        c = no_end(api, s["id"], prefix, start, period, unit)
        assert c["notice_by"] == want, (start, c["notice_by"])
        made.append(c)
    for c in made:
        n = days_from_today(c["notice_by"])
        inside = expect(api.get("/api/v1/contracts", role="finance_director",
                                params={"q": prefix, "notice_within_days": n, "limit": 100}), 200)
        assert c["id"] in [x["id"] for x in inside["items"]]
        outside = expect(api.get("/api/v1/contracts", role="finance_director",
                                 params={"q": prefix, "notice_within_days": n - 1, "limit": 100}), 200)
        assert c["id"] not in [x["id"] for x in outside["items"]]
    listed = expect(api.get("/api/v1/contracts", role="finance_director",
                            params={"q": prefix, "sort": "notice_by", "limit": 100}), 200)
    assert [x["id"] for x in listed["items"]] == [c["id"] for c in sorted(made, key=lambda c: (c["notice_by"], c["id"]))]
    # paged by the sort's cursor, two at a time: the same order
    ids, params = [], {"q": prefix, "sort": "-notice_by", "limit": 2}
    while True:
        page = expect(api.get("/api/v1/contracts", role="finance_director", params=params), 200)
        ids += [x["id"] for x in page["items"]]
        if page["next"] is None:
            break
        params["after"] = page["next"]
    assert ids == [c["id"] for c in sorted(made, key=lambda c: (c["notice_by"], c["id"]), reverse=True)]
    # the services' contract summary
    sv = make_service(api, name=f"Pytest notice {prefix}", category="ict", account_code="E20", basis="equal",
                      contract_id=made[3]["id"], annual_cost_pence=None, annual_vat_pence=0)
    got, _ = get_service(api, sv["id"])
    assert got["contract"]["notice_by"] == "2026-11-30"
    etag = api.get(f"/api/v1/services/{sv['id']}", role="finance_director").headers["ETag"]
    expect(api.delete(f"/api/v1/services/{sv['id']}", role="finance_director", headers={"If-Match": etag}), 204)


def test_terminated_contract_stops_and_says_so(api):
    """£1,200.00 a year from 1 Sep 2025 to 31 Aug 2028 with a 12-month option, no indexation,
    terminated with notice on 15 Jan 2027 (`terminated_on`): 2026-27 counts Sep-Jan,
    5 x 120,000 / 12 = 50,000; 2027-28 and 2028-29 are nothing, with no option or re-procurement
    assumed, and say why, in the register, the allocation, the feed and a forecast's line.
    Until then (active) 2027-28 was the whole year. terminated_on before the start, or with
    another move, is 422."""
    s = make_supplier(api)
    c, _ = create_contract(api, s["id"], start_date="2025-09-01", end_date="2028-08-31", procurement_started_on="2025-06-01",
                           extension_options=[12], annual_value_pence=120000, vat_pence=0, indexation="none",
                           indexation_bp=0, route="single_quote", evidence=QUOTE)
    activate(api, c["id"])
    sv = make_service(api, name=f"Pytest terminated {c['reference']}", category="cleaning", account_code="E14",
                      basis="equal", contract_id=c["id"], annual_cost_pence=None, annual_vat_pence=0)
    expect(subscribe(api, sv["id"], "159902"), 201)
    got, _ = get_service(api, sv["id"], year="2027-28")
    assert got["cost"]["cost_pence"] == 120000 and got["cost"]["assumptions"] == []
    problem(api.post(f"/api/v1/contracts/{c['id']}/transitions", role="finance_director",
                     json={"to": "terminated", "reason": "Pytest", "terminated_on": "2025-08-31"}),
            422, "validation", ["/terminated_on"])
    problem(api.post(f"/api/v1/contracts/{c['id']}/transitions", role="finance_director",
                     json={"to": "expired", "terminated_on": "2027-01-15"}), 422, "validation", ["/terminated_on"])
    r = api.get(f"/api/v1/contracts/{c['id']}", role="finance_director")
    assert r.json()["terminated_on"] is None
    done = expect(api.post(f"/api/v1/contracts/{c['id']}/transitions", role="finance_director",
                           json={"to": "terminated", "reason": "Pytest: notice given", "terminated_on": "2027-01-15"},
                           headers={"If-Match": r.headers["ETag"]}), 200)
    assert done["status"] == "terminated" and done["terminated_on"] == "2027-01-15"
    said = ["contract terminated on 2027-01-15; no replacement recorded"]
    got, _ = get_service(api, sv["id"], year="2026-27")
    assert got["cost"]["cost_pence"] == 50000 and got["cost"]["months"] == 5 and got["cost"]["assumptions"] == said
    for year in ("2027-28", "2028-29"):
        a = expect(api.get(f"/api/v1/services/{sv['id']}/allocation", role="finance_director",
                           params={"year": year}), 200)
        assert a["cost"]["cost_pence"] == 0 and a["cost"]["assumptions"] == said
    feed = expect(api.get("/api/v1/schools/159902/services", role="finance_director", params={"year": "2027-28"}), 200)
    item = next(i for i in feed["items"] if i["service_id"] == sv["id"])
    assert item["cost_pence"] == 0 and item["assumptions"] == said
    # a forecast: nothing booked for it after the termination, and the line says why
    run = expect(api.post("/api/v1/forecasts", role="finance_director", params={"lines": "true"},
                          json={"scenario": "expected", "base_year": "2026-27", "horizon": 1}), 201)
    full = expect(api.get(f"/api/v1/forecasts/{run['id']}", role="finance_director",
                          params={"explain": "data", "entity": "159902"}), 200)
    ent = next(e for e in full["entities"] if e["urn"] == "159902")
    labels = [l["explain"].get("label", "") for y in ent["years"] for l in y.get("lines", [])
              if l["account_code"] == "E14" and l["driver"] == "services"]
    assert any(f"contract {c['reference']} terminated on 2027-01-15; no replacement recorded" in x for x in labels)
    etag = api.get(f"/api/v1/services/{sv['id']}", role="finance_director").headers["ETag"]
    expect(api.delete(f"/api/v1/services/{sv['id']}", role="finance_director", headers={"If-Match": etag}), 204)


def test_entered_cost_register_feed_and_forecast_agree(api):
    """The demo's trust cleaning team (entered: £295,000.00 a year, no VAT, E14, by floor area) is
    this year's (2026-27) cost; in 2027-28 it is raised by cpi, which the history does not hold for
    2027-28: the default 3%, 29,500,000 x 1.03 = 30,385,000, and the register, the allocation, the
    feed and a forecast whose scenario has cpi 3% for 2027-28 all book the same shares."""
    sid = service_id("Cleaning (trust cleaning team)")
    said = ["entered for 2026-27, raised by cpi each year", "cpi 2027-28 at the default 3.00%"]
    now, _ = get_service(api, sid, year="2026-27")
    assert now["cost"]["cost_pence"] == 29500000 and now["cost"]["assumptions"] == []
    s, _ = get_service(api, sid, year=YEAR)
    assert s["cost"]["cost_pence"] == 30385000 and s["cost"]["assumptions"] == said
    a = expect(api.get(f"/api/v1/services/{sid}/allocation", role="finance_director", params={"year": YEAR}), 200)
    assert a["cost"]["cost_pence"] == 30385000 and a["cost"]["assumptions"] == said
    shares = {x["urn"]: x["share_pence"] for x in a["shares"] if x["share_pence"] > 0}
    assert sum(shares.values()) == 30385000
    urn = sorted(u for u in shares if u != "159901")[0]
    feed = expect(api.get(f"/api/v1/schools/{urn}/services", role="finance_director", params={"year": YEAR}), 200)
    item = next(i for i in feed["items"] if i["service_id"] == sid)
    assert item["cost_pence"] == shares[urn] and item["assumptions"] == said
    exp = expect(api.get(f"/api/v1/scenarios/{service_scenario('expected')}", role="finance_director"), 200)
    body = {k: exp[k] for k in ("description", "base_year", "horizon", "assumptions", "pupils", "places")}
    body["name"] = f"Pytest pricing: cpi 3% in 2027-28 {uuid.uuid4().hex[:6]}"
    body["assumptions"]["inflation_bp"]["cpi"] = {"2027-28": 300}
    sc = expect(api.post("/api/v1/scenarios", role="finance_director", json=body), 201)
    run = expect(api.post("/api/v1/forecasts", role="finance_director", params={"lines": "true"},
                          json={"scenario": sc["id"], "base_year": "2026-27", "horizon": 1}), 201)
    full = expect(api.get(f"/api/v1/forecasts/{run['id']}", role="finance_director",
                          params={"explain": "data", "entity": urn}), 200)
    ent = next(e for e in full["entities"] if e["urn"] == urn)
    y = next(y for y in ent["years"] if y["year"] == YEAR)
    e14 = [l for l in y["lines"] if l["account_code"] == "E14" and l["driver"] == "services"]
    assert e14 and e14[0]["explain"]["cost_pence"] == shares[urn]
