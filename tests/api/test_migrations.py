"""Migrations that move data: 006 packs the line rows of runs saved before it into their
entity-years (forecast_years.lines_json) and replaces the table forecast_lines with a view
that gives the same rows, so nothing saved is lost. Run against a database of its own,
migrated to 005 first."""
import json
import re

from conftest import ROOT, free_port, run_bursard, sql, sql_rows, sql_value, write_config

DB = "bursar_mig006"


def q(db_sql):
    return sql(db_sql.replace("{db}", DB))


def unbatch(s):
    """A value as the mariadb client prints it in batch mode, unescaped."""
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "0": "\0"}.get(m.group(1), m.group(1)), s)


def jvalue(query):
    return json.loads(unbatch(sql_value(query)))


def test_006_packs_saved_lines_and_keeps_them_readable(tmp_path):
    old = tmp_path / "schema005"
    old.mkdir()
    for f in sorted((ROOT / "schema").glob("00[1-5]_*.sql")):
        (old / f.name).symlink_to(f)
    conf = write_config(tmp_path / "mig.conf", free_port())
    text = conf.read_text().replace('name = "bursar";', f'name = "{DB}";')
    conf.write_text(text.replace(f'schema = "{ROOT}/schema";', f'schema = "{old}";'))
    q("DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    try:
        run_bursard("migrate", conf=conf)
        assert sql_value(f"SELECT MAX(version) FROM {DB}.schema_migrations") == "5"
        q("INSERT INTO {db}.scenarios (id, name, base_year, horizon, spec_json) VALUES (1, 's', 2026, 1, '{}');"
          "INSERT INTO {db}.forecast_runs (id, scenario_id, scenario_version, scenario_name, base_year, horizon, "
          "digest, inputs_json, role) VALUES (7, 1, 1, 's', 2026, 1, REPEAT('a', 64), '{}', 'finance_director');"
          "INSERT INTO {db}.forecast_years (run_id, entity, year, income_pence, expenditure_pence, "
          "internal_income_pence, internal_expenditure_pence, staff_pence, non_staff_pence, contingency_pence, "
          "central_charges_pence, kpi_income_pence, balance_pence, opening_pence, closing_pence) VALUES "
          "(7, '159901', 2026, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),"
          "(7, '159901', 2027, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),"
          "(7, 'trust', 2027, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);"
          "INSERT INTO {db}.forecast_lines (run_id, entity, year, line_no, account_code, description, driver, "
          "amount_pence, explain_json) VALUES "
          "(7, '159901', 2027, 2, 'E16', 'Energy: \"solar\" credit', 'inflation:energy', -125050, "
          "'{\"driver\":\"inflation\",\"index\":\"energy\",\"prev_pence\":-120000,\"index_bp\":421}'),"
          "(7, '159901', 2027, 1, 'E01', 'Teachers', 'teacher_pay', 123456789012, "
          "'{\"driver\":\"teacher_pay\",\"e_prev_pence\":1,\"m_pence\":2,\"pay_bp\":250,\"oncost_bp\":0,\"e_pence\":3}'),"
          "(7, 'trust', 2027, 1, 'E01', 'consolidated', 'consolidated', 123456789012, NULL)")
        write_config(conf, free_port())
        conf.write_text(conf.read_text().replace('name = "bursar";', f'name = "{DB}";'))
        run_bursard("migrate", conf=conf)
        assert sql_value(f"SELECT COUNT(*) FROM {DB}.schema_migrations WHERE version = 6") == "1"
        assert sql_value(f"SELECT table_type FROM information_schema.tables WHERE table_schema = '{DB}' "
                         "AND table_name = 'forecast_lines'") == "VIEW"
        # packed in line order, the explanations as JSON (not strings), the base year untouched
        packed = jvalue(f"SELECT lines_json FROM {DB}.forecast_years WHERE entity = '159901' AND year = 2027")
        assert packed == [
            [1, "E01", "Teachers", "teacher_pay", 123456789012,
             {"driver": "teacher_pay", "e_prev_pence": 1, "m_pence": 2, "pay_bp": 250, "oncost_bp": 0,
              "e_pence": 3}],
            [2, "E16", 'Energy: "solar" credit', "inflation:energy", -125050,
             {"driver": "inflation", "index": "energy", "prev_pence": -120000, "index_bp": 421}]]
        assert jvalue(f"SELECT lines_json FROM {DB}.forecast_years WHERE entity = 'trust'") == [
            [1, "E01", "consolidated", "consolidated", 123456789012, None]]
        assert sql_value(f"SELECT lines_json IS NULL FROM {DB}.forecast_years WHERE year = 2026") == "1"
        # the view gives the rows back as the table had them
        rows = sql_rows(f"SELECT entity, line_no, account_code, description, driver, amount_pence, explain_json "
                        f"FROM {DB}.forecast_lines WHERE run_id = 7 ORDER BY entity, line_no")
        assert [r[:6] for r in rows] == [
            ["159901", "1", "E01", "Teachers", "teacher_pay", "123456789012"],
            ["159901", "2", "E16", 'Energy: "solar" credit', "inflation:energy", "-125050"],
            ["trust", "1", "E01", "consolidated", "consolidated", "123456789012"]]
        assert json.loads(unbatch(rows[1][6])) == {"driver": "inflation", "index": "energy", "prev_pence": -120000,
                                          "index_bp": 421}
        assert rows[2][6] == "null"
    finally:
        q("DROP DATABASE IF EXISTS {db}")
