"""Forecast runs are named and private until published (issue 15, item 6; DESIGN.md "Runs are
named and private until published"): a run's label and notes (PUT), publish and withdraw
(POST .../transitions), deleting a draft, each with If-Match (428, 412), audited in the same
transaction naming the person or token; a business manager gets 403 on a draft (its summary and
compare too), lists show her published runs only, and of a published run only her schools'
parts; the scenario named by its name; GET /forecasts?status=."""
import json

import pytest

from conftest import (ROOT, audit_max, expect, free_port, problem, publish_run, run_bursard, sql, sql_rows, sql_value,
                      unchanged, write_config)

URL = "/api/v1/forecasts"
RUN_Q = ("SELECT id, label, notes, status, published_at, published_by, version FROM forecast_runs "
         "ORDER BY id")
SAVED_Q = ("SELECT (SELECT COUNT(*) FROM forecast_runs), (SELECT COUNT(*) FROM forecast_years), "
           "(SELECT COUNT(*) FROM forecast_warnings)")


def new_run(api, **body):
    body.setdefault("scenario", "expected")
    body.setdefault("horizon", 2)
    return expect(api.post(URL, role="finance_director", json=body), 201)


def etag(api, rid, role="finance_director"):
    r = api.get(f"{URL}/{rid}", role=role, params={"lines": "false"})
    expect(r, 200)
    return r.headers["ETag"]


def move(api, rid, action, tag, role="finance_director"):
    return api.post(f"{URL}/{rid}/transitions", role=role, json={"action": action}, headers={"If-Match": tag})


def audits(since, rid):
    return sql_rows(f"SELECT action, role, actor, before_json, after_json FROM audit_log WHERE id > {since} "
                    f"AND entity = 'forecast' AND entity_id = '{rid}' ORDER BY id")


def test_a_run_is_a_named_draft(api):
    a0 = audit_max()
    f = new_run(api)
    # the scenario by name, the default label: the scenario's name and the run's date
    assert f["scenario"]["name"] == "expected" and f["status"] == "draft"
    assert f["label"].startswith("expected ") and len(f["label"]) == len("expected 2026-11-20")
    assert f["notes"] == "" and f["published_at"] is None and f["published_by"] is None
    [(action, role, actor, _, after)] = audits(a0, f["id"])
    assert (action, role) == ("run", "finance_director") and actor.startswith("token: ")
    assert json.loads(after)["status"] == "draft" and json.loads(after)["label"] == f["label"]
    g = new_run(api, label="Pooling what-if: Southend", notes="Confidential.\nFor the FD only.")
    assert (g["label"], g["notes"]) == ("Pooling what-if: Southend", "Confidential.\nFor the FD only.")
    assert expect(api.get(f"{URL}/{g['id']}", role="auditor", params={"lines": "false"}), 200)["label"] == g["label"]
    # the list says what each run is for, as the run does
    listed = {i["id"]: i for i in expect(api.get(URL, role="auditor", params={"limit": 1000}), 200)["items"]}
    assert listed[g["id"]]["notes"] == "Confidential.\nFor the FD only." and listed[f["id"]]["notes"] == ""


@pytest.mark.parametrize("body, field", [
    ({"scenario": "no such scenario"}, "/scenario"),
    ({"scenario": ""}, "/scenario"),
    ({"scenario": True}, "/scenario"),
    ({"label": ""}, "/label"),
    ({"label": "   "}, "/label"),
    ({"label": "x" * 101}, "/label"),
    ({"label": "=HYPERLINK(1)"}, "/label"),
    ({"notes": "n" * 2001}, "/notes"),
    ({"notes": 3}, "/notes"),
])
def test_bad_names_save_nothing(api, body, field):
    with unchanged(SAVED_Q):
        p = problem(api.post(URL, role="finance_director", json=dict({"scenario": "expected"}, **body)), 422)
    assert field in [e["field"] for e in p["errors"]], p


def test_label_and_notes(api):
    f = new_run(api)
    url = f"{URL}/{f['id']}"
    body = {"label": "Budget 2027 to the board", "notes": "As presented on 3 March."}
    with unchanged(RUN_Q):
        problem(api.put(url, role="finance_director", json=body), 428)
        problem(api.put(url, role="finance_director", json=body, headers={"If-Match": '"99"'}), 412)
        problem(api.put(url, role="finance_director", json={"label": "x"}, headers={"If-Match": '"1"'}), 422)
        problem(api.put(url, role="finance_director", json=dict(body, status="published"),
                        headers={"If-Match": '"1"'}), 422)
        for role in ("auditor", "business_manager"):
            problem(api.put(url, role=role, json=body, headers={"If-Match": '"1"'}), 403)
        problem(api.put(f"{URL}/99999999", role="finance_director", json=body, headers={"If-Match": '"1"'}), 404)
    tag = etag(api, f["id"])
    assert tag.startswith('"1-h')
    a0 = audit_max()
    r = api.put(url, role="finance_director", json=body, headers={"If-Match": tag})
    h = expect(r, 200)
    assert (h["label"], h["notes"], h["version"], h["status"]) == (body["label"], body["notes"], 2, "draft")
    assert r.headers["ETag"].startswith('"2-h')
    [(action, _, _, before, after)] = audits(a0, f["id"])
    assert action == "update" and json.loads(before)["label"] == f["label"] and json.loads(after)["label"] == body["label"]
    # the run reads so everywhere: its own GET, the list
    assert expect(api.get(url, role="auditor", params={"lines": "false"}), 200)["label"] == body["label"]
    items = expect(api.get(URL, role="auditor", params={"limit": 1000}), 200)["items"]
    assert [i["label"] for i in items if i["id"] == f["id"]] == [body["label"]]
    # the old ETag is stale now
    with unchanged(RUN_Q):
        problem(api.put(url, role="finance_director", json=body, headers={"If-Match": tag}), 412)


def test_publish_and_withdraw(api, first_urn):
    f = new_run(api, entities=[first_urn])
    rid, url = f["id"], f"{URL}/{f['id']}"
    # a draft: the business manager sees none of it, its summary, or a comparison with it
    problem(api.get(url, role="business_manager"), 403, "forbidden")
    problem(api.get(f"{url}/summary", role="business_manager"), 403, "forbidden")
    other = new_run(api, entities=[first_urn], scenario="cautious")
    publish_run(api, other["id"])
    p = problem(api.get(f"{URL}/compare", role="business_manager", params={"runs": f"{other['id']},{rid}"}), 403)
    assert "draft" in p["detail"]
    listed = [i["id"] for i in expect(api.get(URL, role="business_manager", params={"limit": 1000}), 200)["items"]]
    assert rid not in listed and other["id"] in listed
    with unchanged(RUN_Q):
        problem(api.post(f"{url}/transitions", role="finance_director", json={"action": "publish"}), 428)
        problem(move(api, rid, "publish", '"7"'), 412)
        problem(move(api, rid, "withdraw", '"1"'), 409, "conflict")
        problem(move(api, rid, "approve", '"1"'), 422)
        for role in ("auditor", "business_manager"):
            problem(move(api, rid, "publish", '"1"', role=role), 403)
    a0 = audit_max()
    r = move(api, rid, "publish", etag(api, rid))
    h = expect(r, 200)
    assert h["status"] == "published" and h["published_at"] and h["published_by"].startswith("token: ")
    [(action, role, actor, before, after)] = audits(a0, rid)
    assert (action, role) == ("publish", "finance_director") and actor == h["published_by"]
    assert json.loads(before)["status"] == "draft" and json.loads(after)["status"] == "published"
    with unchanged(RUN_Q):
        problem(move(api, rid, "publish", r.headers["ETag"]), 409, "conflict")
    # published: her school's part alone
    mine = expect(api.get(url, role="business_manager"), 200)
    assert [e["urn"] for e in mine["entities"]] == [first_urn] and "trust" not in mine
    listed = [i["id"] for i in expect(api.get(URL, role="business_manager", params={"limit": 1000}), 200)["items"]]
    assert rid in listed
    # status filters the list; a business manager's status=draft is empty
    pub = expect(api.get(URL, role="auditor", params={"status": "published", "limit": 1000}), 200)["items"]
    drafts = expect(api.get(URL, role="auditor", params={"status": "draft", "limit": 1000}), 200)["items"]
    assert rid in [i["id"] for i in pub] and rid not in [i["id"] for i in drafts]
    assert all(i["status"] == "draft" for i in drafts) and all(i["status"] == "published" for i in pub)
    assert expect(api.get(URL, role="business_manager", params={"status": "draft"}), 200)["items"] == []
    sid = f["scenario"]["id"]
    both = expect(api.get(URL, role="auditor", params={"status": "published", "scenario": sid, "limit": 1000}), 200)
    assert all(i["scenario_id"] == sid and i["status"] == "published" for i in both["items"])
    problem(api.get(URL, role="auditor", params={"status": "final"}), 422)
    # withdrawn: a draft again, private again
    a0 = audit_max()
    h = expect(move(api, rid, "withdraw", etag(api, rid)), 200)
    assert h["status"] == "draft" and h["published_at"] is None and h["published_by"] is None
    assert [a[0] for a in audits(a0, rid)] == ["withdraw"]
    problem(api.get(url, role="business_manager"), 403, "forbidden")


def test_delete_a_draft(api, first_urn):
    f = new_run(api)
    rid, url = f["id"], f"{URL}/{f['id']}"
    with unchanged(SAVED_Q):
        problem(api.delete(url, role="finance_director"), 428)
        problem(api.delete(url, role="finance_director", headers={"If-Match": '"5"'}), 412)
        for role in ("auditor", "business_manager"):
            problem(api.delete(url, role=role, headers={"If-Match": '"1"'}), 403)
    # a published run stays (withdraw it first)
    publish_run(api, rid)
    with unchanged(SAVED_Q):
        problem(api.delete(url, role="finance_director", headers={"If-Match": etag(api, rid)}), 409, "conflict")
    expect(move(api, rid, "withdraw", etag(api, rid)), 200)
    n_years = int(sql_value(f"SELECT COUNT(*) FROM forecast_years WHERE run_id = {rid}"))
    assert n_years == 11 * 3
    a0 = audit_max()
    r = api.delete(url, role="finance_director", headers={"If-Match": etag(api, rid)})
    assert r.status_code == 204
    [(action, _, _, before, after)] = audits(a0, rid)
    assert action == "delete" and json.loads(before)["id"] == rid and after in (None, "NULL")
    for table in ("forecast_runs WHERE id", "forecast_years WHERE run_id", "forecast_warnings WHERE run_id",
                  "forecast_lines WHERE run_id"):
        assert sql_value(f"SELECT COUNT(*) FROM {table} = {rid}") == "0"
    problem(api.get(url, role="finance_director"), 404)
    problem(api.delete(url, role="finance_director", headers={"If-Match": '"1"'}), 404)


def test_business_manager_sees_her_schools_of_a_published_run(api, first_urn):
    f = new_run(api, horizon=3)
    rid = f["id"]
    publish_run(api, rid)
    one = expect(api.get(f"{URL}/{rid}", role="business_manager", params={"lines": "false"}), 200)
    assert [e["urn"] for e in one["entities"]] == [first_urn] and "trust" not in one
    assert {w["entity"] for w in one["warnings"]} <= {first_urn}
    s = expect(api.get(f"{URL}/{rid}/summary", role="business_manager"), 200)
    assert [e["entity"] for e in s["entities"]] == [first_urn]
    assert {w["entity"] for w in s["warnings"]} <= {first_urn}
    g = new_run(api, horizon=3, scenario="cautious")
    publish_run(api, g["id"])
    c = expect(api.get(f"{URL}/compare", role="business_manager", params={"runs": f"{rid},{g['id']}"}), 200)
    assert {i["entity"] for i in c["items"]} == {first_urn} and len(c["items"]) == 4
    assert [h["id"] for h in c["runs"]] == [rid, g["id"]]
    # the CSV and XLSX of the summary and the comparison hold her school alone too
    r = api.get(f"{URL}/{rid}/summary", role="business_manager", headers={"Accept": "text/csv"})
    assert r.status_code == 200
    rows = r.content.decode("utf-8-sig").splitlines()[1:]
    assert rows and all(row.startswith(f"{first_urn},") for row in rows)
    r = api.get(f"{URL}/compare", role="business_manager", params={"runs": f"{rid},{g['id']}"},
                headers={"Accept": "text/csv"})
    rows = r.content.decode("utf-8-sig").splitlines()[1:]
    assert r.status_code == 200 and len(rows) == 4 * 5 and all(row.startswith(f"{first_urn},") for row in rows)


def test_migration_publishes_runs_saved_before_it(tmp_path):
    """Runs saved before schema/010 were visible to business managers: they stay visible,
    published when they were run and labelled as a new run would be (the decision of
    schema/010_forecast_run_status.sql). A database of its own, migrated to 008 first."""
    db = "bursar_mig010"
    old = tmp_path / "schema008"
    old.mkdir()
    for f in sorted((ROOT / "schema").glob("00[1-8]_*.sql")):
        (old / f.name).symlink_to(f)
    conf = write_config(tmp_path / "mig.conf", free_port())
    text = conf.read_text().replace('name = "bursar";', f'name = "{db}";')
    conf.write_text(text.replace(f'schema = "{ROOT}/schema";', f'schema = "{old}";'))
    sql(f"DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    try:
        run_bursard("migrate", conf=conf)
        sql(f"INSERT INTO {db}.scenarios (id, name, base_year, horizon, spec_json) VALUES (1, 'expected', 2026, 1, '{{}}');"
            f"INSERT INTO {db}.forecast_runs (id, scenario_id, scenario_version, scenario_name, base_year, horizon, "
            "digest, inputs_json, role, created_at) VALUES (7, 1, 1, 'expected', 2026, 1, REPEAT('a', 64), '{}', "
            "'finance_director', '2026-10-02 09:30:00.000000')")
        conf.write_text(conf.read_text().replace(f'schema = "{old}";', f'schema = "{ROOT}/schema";'))
        run_bursard("migrate", conf=conf)
        assert sql_rows(f"SELECT label, notes, status, published_at, published_by FROM {db}.forecast_runs") == [
            ["expected 2026-10-02", "", "published", "2026-10-02 09:30:00.000000", "before run status (migration 010)"]]
        # a run saved after it starts a draft
        sql(f"INSERT INTO {db}.forecast_runs (scenario_id, scenario_version, scenario_name, label, base_year, horizon, "
            "digest, inputs_json, role) VALUES (1, 1, 'expected', 'x', 2026, 1, REPEAT('b', 64), '{}', 'finance_director')")
        assert sql_value(f"SELECT status FROM {db}.forecast_runs WHERE id <> 7") == "draft"
    finally:
        sql(f"DROP DATABASE IF EXISTS {db}")
