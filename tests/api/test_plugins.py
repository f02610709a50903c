"""Finance-rule plugins: GET /api/v1/plugins, finance_model checked against the
plugins actually loaded, a daemon refusing to start with a broken plugin (the
message names the file), and README's minimal plugin compiled as shown."""
import re
import shutil
import signal
import subprocess

import pytest
import requests

from conftest import (BURSARD, DIR, ROOT, Daemon, config_text, expect, free_port, problem, sql_value,
                      unchanged)

TEST_PLUGINS = ROOT / "tests" / "unit" / "plugins"


def plugin_config(port, plugin_dir, plugins):
    """The test configuration with another plugin directory and plugin list (libconfig text)."""
    text = config_text(port)
    text = text.replace(f'plugins = "{ROOT}/plugins";', f'plugins = "{plugin_dir}";')
    start = text.index("plugins = (")
    end = text.index(");", start) + 2
    return text[:start] + f"plugins = (\n{plugins}\n);" + text[end:]


def writable(school):
    return {k: school[k] for k in ("name", "phase", "local_authority", "finance_model", "floor_area_m2")}


# ---- GET /api/v1/plugins ----

def test_list_loaded_plugins(api):
    r = api.get("/api/v1/plugins", role="finance_director")
    body = expect(r, 200)
    assert set(body) == {"items", "next"} and body["next"] is None
    assert [p["name"] for p in body["items"]] == ["local", "central"]    # configuration order
    local, central = body["items"]
    for p in body["items"]:
        assert set(p) == {"name", "version", "description", "settings"}, p
        assert p["version"] == "1.0.0"
        assert p["description"]
    assert local["settings"] == {"topslice_bp": "500"}
    # the demo's settings (etc/bursard.conf), which the seeded budgets' computed lines follow
    assert central["settings"] == {"retention_bp": "600", "lump_sum_pence": "5000000", "need_factor_bp_159905": "11500"}
    assert "top-slice" in local["description"]
    assert "pooling" in central["description"]
    assert re.fullmatch(r'"h[0-9a-f]{32}"', r.headers["ETag"]), r.headers["ETag"]
    r2 = api.get("/api/v1/plugins", role="auditor", headers={"If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304 and r2.content == b""


@pytest.mark.parametrize("role,status", [("finance_director", 200), ("auditor", 200),
                                         ("business_manager", 200), ("school_system", 403),
                                         ("admin", 403)])
def test_list_plugins_roles(api, role, status):
    r = api.get("/api/v1/plugins", role=role)
    if status == 200:
        expect(r, 200)
    else:
        problem(r, 403, "forbidden")


def test_list_plugins_needs_a_token(api):
    r = api.get("/api/v1/plugins")
    problem(r, 401, "unauthorized")


def test_list_plugins_rejects_query_parameters(api):
    p = problem(api.get("/api/v1/plugins", role="finance_director", params={"limit": "5"}), 422,
                "validation", ["query:limit"])
    assert p["errors"][0]["message"]


def test_list_plugins_other_methods_405(api):
    r = api.post("/api/v1/plugins", role="finance_director", json={})
    problem(r, 405, "method-not-allowed")
    assert "GET" in r.headers.get("Allow", "")


# ---- finance_model names a loaded plugin ----

def test_finance_model_lists_the_loaded_plugins(spawn, tokens, school_urns):
    """A daemon with only `local` loaded refuses `central` (which the session daemon
    accepts), listing what it did load; nothing is written."""
    port = free_port()
    conf = DIR / "only-local.conf"
    conf.write_text(plugin_config(port, f"{ROOT}/plugins",
                                  '  { name = "local"; settings = { topslice_bp = 450; }; }'))
    d = spawn("only-local", port=port, conf=conf)
    auth = {"Authorization": f"Bearer {tokens['finance_director']}"}
    body = expect(requests.get(d.url + "/api/v1/plugins", headers=auth, timeout=5), 200)
    assert [(p["name"], p["settings"]) for p in body["items"]] == [("local", {"topslice_bp": "450"})]
    urn = school_urns[-1]
    r = requests.get(f"{d.url}/api/v1/schools/{urn}", headers=auth, timeout=5)
    school, etag = expect(r, 200), r.headers["ETag"]
    put = writable(school)
    put["finance_model"] = "central"
    with unchanged(f"SELECT * FROM schools WHERE urn = '{urn}'"):
        r = requests.put(f"{d.url}/api/v1/schools/{urn}", json=put, timeout=5,
                         headers=dict(auth, **{"If-Match": etag}))
        p = problem(r, 422, "validation", ["/finance_model"])
    msg = next(e["message"] for e in p["errors"] if e["field"] == "/finance_model")
    assert msg == "must be one of the loaded finance models: local", msg
    assert d.stop() == 0


def test_no_plugins_loaded(spawn, tokens, school_urns):
    port = free_port()
    conf = DIR / "no-plugins.conf"
    conf.write_text(plugin_config(port, f"{ROOT}/plugins", ""))
    d = spawn("no-plugins", port=port, conf=conf)
    auth = {"Authorization": f"Bearer {tokens['finance_director']}"}
    assert expect(requests.get(d.url + "/api/v1/plugins", headers=auth, timeout=5), 200) == \
        {"items": [], "next": None}
    urn = school_urns[-1]
    r = requests.get(f"{d.url}/api/v1/schools/{urn}", headers=auth, timeout=5)
    put = writable(expect(r, 200))
    put["finance_model"] = "local"
    r = requests.put(f"{d.url}/api/v1/schools/{urn}", json=put, timeout=5,
                     headers=dict(auth, **{"If-Match": r.headers["ETag"]}))
    p = problem(r, 422, "validation", ["/finance_model"])
    assert "(none loaded)" in p["errors"][0]["message"]
    assert d.stop() == 0


# ---- a broken plugin stops start-up ----

BROKEN = [
    ("bad_abi", "built for plugin ABI 99, but this bursard has ABI 1"),
    ("short_struct", "shorter than the"),
    ("no_symbol", "does not export the symbol bursar_rules_entry"),
    ("failing_init", "init failed: rate_bp is required"),
    ("wrong_name", 'calls itself "local", not "wrong_name"'),
    ("nothere", "no such file"),
]


@pytest.fixture(scope="module")
def test_plugins():
    built = sorted(p.name for p in TEST_PLUGINS.glob("*.so"))
    assert "bad_abi.so" in built and "minimal.so" in built, \
        f"the test plugins are not built (make unit builds {TEST_PLUGINS}/*.so): {built}"
    return TEST_PLUGINS


@pytest.mark.parametrize("name,reason", BROKEN)
def test_broken_plugin_stops_the_daemon(seeded, test_plugins, name, reason):
    port = free_port()
    conf = DIR / f"broken-{name}.conf"
    conf.write_text(plugin_config(port, test_plugins, f'  {{ name = "{name}"; }}'))
    d = Daemon(f"broken-{name}", port=port, conf=conf)
    d.start(wait=False)
    try:
        rc = d.proc.wait(15)
    except subprocess.TimeoutExpired:
        d.stop(signal.SIGKILL)
        raise AssertionError(f"bursard kept running with a broken plugin\n{d.log_text()}")
    assert rc == 1, d.log_text()
    log = d.log_text()
    assert f"{test_plugins}/{name}.so" in log and reason in log, log
    assert "listening" not in log, log
    # --check-config fails the same way
    cp = subprocess.run([str(BURSARD), "-c", str(conf), "--check-config"], capture_output=True, text=True,
                        timeout=10)
    assert cp.returncode == 1 and "valid" not in cp.stdout, (cp.stdout, cp.stderr)
    assert f"{test_plugins}/{name}.so" in cp.stderr and reason in cp.stderr, cp.stderr


def test_bad_plugin_setting_stops_the_daemon(seeded):
    """The bundled plugins check their settings: a typo stops start-up, naming the setting."""
    conf = DIR / "bad-setting.conf"
    conf.write_text(plugin_config(free_port(), f"{ROOT}/plugins",
                                  '  { name = "central"; settings = { retention_pb = 600; }; }'))
    cp = subprocess.run([str(BURSARD), "-c", str(conf), "--check-config"], capture_output=True, text=True,
                        timeout=10)
    assert cp.returncode == 1, cp.stdout
    assert f"{ROOT}/plugins/central.so: init failed: unknown setting \"retention_pb\"" in cp.stderr, cp.stderr
    conf.write_text(plugin_config(free_port(), f"{ROOT}/plugins",
                                  '  { name = "local"; settings = { topslice_bp = 12000; }; }'))
    cp = subprocess.run([str(BURSARD), "-c", str(conf), "--check-config"], capture_output=True, text=True,
                        timeout=10)
    assert cp.returncode == 1 and "topslice_bp: must be an integer 0..10000" in cp.stderr, cp.stderr


def test_per_school_overrides_accepted(seeded):
    conf = DIR / "overrides.conf"
    conf.write_text(plugin_config(free_port(), f"{ROOT}/plugins", """\
  { name = "local";   settings = { topslice_bp = 500; topslice_bp_159907 = 400; base = "all_income"; }; },
  { name = "central"; settings = { retention_bp = 600; lump_sum_pence = 5000000; need_factor_bp_159905 = 11500; }; }"""))
    cp = subprocess.run([str(BURSARD), "-c", str(conf), "--check-config"], capture_output=True, text=True,
                        timeout=10)
    assert cp.returncode == 0 and "valid" in cp.stdout, cp.stderr


# ---- README's minimal plugin, compiled as shown ----

def readme_section():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Write your own finance rules")
    end = text.find("\n## ", start + 3)
    return text[start:end if end != -1 else len(text)]


def test_readme_plugin_is_the_tested_one():
    """README's code is tests/unit/plugins/minimal.c, which the loader unit tests build and load."""
    code = re.search(r"```c\n(.*?)```", readme_section(), re.S)
    assert code, "no ```c block in README's plugin section"
    assert code.group(1) == (TEST_PLUGINS / "minimal.c").read_text(encoding="utf-8")


def test_readme_plugin_compiles_as_shown_and_loads(spawn, tokens, tmp_path, school_urns):
    """The README's compile command, run with nothing but plugins/bursar_plugin.h, gives a
    plugin the daemon loads, lists, and lets a school's finance_model name."""
    section = readme_section()
    code = re.search(r"```c\n(.*?)```", section, re.S).group(1)
    sh = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    cmd = re.search(r"^(cc .*?[^\\])$", sh.replace("\\\n", " "), re.M)
    assert cmd, f"no cc command in README's plugin section:\n{sh}"
    (tmp_path / "plugins").mkdir()
    shutil.copy(ROOT / "plugins" / "bursar_plugin.h", tmp_path / "plugins")
    (tmp_path / "minimal.c").write_text(code, encoding="utf-8")
    cp = subprocess.run(cmd.group(1), shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert cp.returncode == 0, f"{cmd.group(1)}\n{cp.stderr}"
    assert (tmp_path / "minimal.so").exists()
    nm = subprocess.run(["nm", "-D", "--defined-only", str(tmp_path / "minimal.so")], capture_output=True,
                        text=True, timeout=10)
    if nm.returncode == 0:
        exported = [l.split()[-1] for l in nm.stdout.splitlines() if l.strip()]
        assert exported == ["bursar_rules_entry"], exported
    plugdir = tmp_path / "run"
    plugdir.mkdir()
    shutil.copy(tmp_path / "minimal.so", plugdir)
    for name in ("local", "central"):
        (plugdir / f"{name}.so").symlink_to(ROOT / "plugins" / f"{name}.so")
    port = free_port()
    conf = DIR / "minimal.conf"
    conf.write_text(plugin_config(port, plugdir, """\
  { name = "local"; },
  { name = "minimal"; settings = { fee_pence = 250000; }; },
  { name = "central"; }"""))
    d = spawn("minimal", port=port, conf=conf)
    auth = {"Authorization": f"Bearer {tokens['finance_director']}"}
    body = expect(requests.get(d.url + "/api/v1/plugins", headers=auth, timeout=5), 200)
    assert [p["name"] for p in body["items"]] == ["local", "minimal", "central"]
    assert body["items"][1] == {"name": "minimal", "version": "1.0.0",
                                "description": "A flat central services fee per school",
                                "settings": {"fee_pence": "250000"}}
    assert body["items"][0]["settings"] == {}
    # a school may now run under it, and back
    urn = school_urns[-1]
    r = requests.get(f"{d.url}/api/v1/schools/{urn}", headers=auth, timeout=5)
    school = expect(r, 200)
    put = writable(school)
    put["finance_model"] = "minimal"
    r = requests.put(f"{d.url}/api/v1/schools/{urn}", json=put, timeout=5,
                     headers=dict(auth, **{"If-Match": r.headers["ETag"]}))
    assert expect(r, 200)["finance_model"] == "minimal"
    assert sql_value(f"SELECT finance_model FROM schools WHERE urn = '{urn}'") == "minimal"
    put["finance_model"] = school["finance_model"]
    r = requests.put(f"{d.url}/api/v1/schools/{urn}", json=put, timeout=5,
                     headers=dict(auth, **{"If-Match": r.headers["ETag"]}))
    assert expect(r, 200)["finance_model"] == school["finance_model"]
    assert d.stop() == 0
    assert "unloading minimal" in d.log_text()
