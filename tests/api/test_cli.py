"""The subcommands: migrate and seed are idempotent; token create/list/revoke."""
import re

from conftest import TODAY, TOKENS_FILE, expect, sql_value


def test_migrate_again_is_a_no_op(cli):
    before = sql_value("SELECT COUNT(*) FROM schema_migrations")
    cli("migrate")
    assert sql_value("SELECT COUNT(*) FROM schema_migrations") == before


def test_seed_again_changes_nothing(cli, tmp_path):
    counts = [sql_value(f"SELECT COUNT(*) FROM {t}") for t in ("schools", "school_years", "accounts", "api_tokens")]
    tokens_before = TOKENS_FILE.read_text()
    cp = cli("seed", "--tokens", str(tmp_path / "again"))
    assert cp.returncode == 0
    assert [sql_value(f"SELECT COUNT(*) FROM {t}") for t in ("schools", "school_years", "accounts",
                                                              "api_tokens")] == counts
    assert TOKENS_FILE.read_text() == tokens_before


def test_seed_dates_follow_the_pinned_day(seeded, make_token):
    # the test configuration pins clock.today: the seeded register is relative to it, not to the
    # day the tests run (CAT-159901-2024 started 24 months before "today"), and the seed's rows
    # carry that day's time
    assert TODAY == "2026-11-22"
    assert sql_value("SELECT start_date FROM contracts WHERE reference = 'CAT-159901-2024'") == "2024-11-22"
    assert sql_value("SELECT procurement_started_on FROM contracts WHERE reference = 'CAT-159901-2024'") == \
        "2024-05-22"
    assert sql_value("SELECT MIN(DATE(created_at)) FROM contracts") == TODAY
    assert sql_value("SELECT DATE(at) FROM audit_log WHERE action = 'seed'") == TODAY
    # and the session's clock was given back afterwards: later rows carry the real time
    make_token("auditor")
    assert sql_value("SELECT MAX(at) > MIN(at) FROM audit_log") == "1"


def test_tokens_file_mode(seeded):
    assert TOKENS_FILE.stat().st_mode & 0o077 == 0, oct(TOKENS_FILE.stat().st_mode)


def test_token_list_shows_no_secrets(cli, tokens):
    out = cli("token", "list").stdout
    assert "demo admin" in out
    for tok in tokens.values():
        assert tok not in out


def test_token_create_prints_only_the_token(cli, api, school_urns):
    cp = cli("token", "create", "--role", "business_manager", "--school", school_urns[2], "--label", "cli bm")
    tok = cp.stdout.strip()
    assert re.fullmatch(r"bt_[A-Za-z0-9_-]{43}", tok), cp.stdout
    assert cp.stdout.count("\n") == 1
    expect(api.get(f"/api/v1/schools/{school_urns[2]}/years", token=tok), 200)


def test_token_create_refusals(cli, school_urns):
    n = sql_value("SELECT COUNT(*) FROM api_tokens")
    for args in (["--role", "boss", "--label", "x"],
                 ["--role", "business_manager", "--label", "x"],
                 ["--role", "school_system", "--school", school_urns[0], "--school", school_urns[1], "--label", "x"],
                 ["--role", "business_manager", "--school", "999999", "--label", "x"],
                 ["--role", "auditor", "--school", school_urns[0], "--label", "x"],
                 ["--role", "auditor"]):
        cp = cli("token", "create", *args, check=False)
        assert cp.returncode != 0, args
        assert cp.stdout == "", (args, cp.stdout)
        assert cp.stderr.strip(), args
    assert sql_value("SELECT COUNT(*) FROM api_tokens") == n


def test_token_revoke_unknown(cli):
    cp = cli("token", "revoke", "999999", check=False)
    assert cp.returncode != 0 and "999999" in cp.stderr
    cp = cli("token", "revoke", "abc", check=False)
    assert cp.returncode != 0


def test_unknown_subcommand(cli):
    cp = cli("frobnicate", check=False)
    assert cp.returncode != 0 and "usage" in cp.stderr


def test_routes_and_version():
    import subprocess
    from conftest import BURSARD
    cp = subprocess.run([str(BURSARD), "--version"], capture_output=True, text=True, timeout=10)
    assert cp.returncode == 0 and cp.stdout.startswith("bursard ")
    cp = subprocess.run([str(BURSARD), "--routes"], capture_output=True, text=True, timeout=10)
    assert cp.returncode == 0
    assert "GET /api/v1/schools finance_director business_manager school_system auditor" in cp.stdout
