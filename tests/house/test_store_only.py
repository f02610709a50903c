"""The house: SQL lives in daemon/store/ only, and handlers never call each other.

DESIGN.md "Architecture": all SQL is in store/ (one store_<aggregate>.c per
aggregate); an api_<resource>.c parses, validates, authorises, calls the store
and the core, and replies; what two handlers share is a store or core function.
"""
import os
import re
from pathlib import Path

ROOT = Path(os.environ.get("BURSAR_ROOT", Path(__file__).resolve().parents[2]))
DAEMON = ROOT / "daemon"

# SQL as it starts a statement or a clause, inside a C string literal.
SQL = re.compile(r"\b(SELECT\s+\S|INSERT\s+(IGNORE\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|"
                 r"REPLACE\s+INTO\b|CREATE\s+(TABLE|INDEX|VIEW)\b|ALTER\s+TABLE\b|DROP\s+TABLE\b|"
                 r"START\s+TRANSACTION\b|FOR\s+UPDATE\b|\bFROM\s+[a-z_]+\s+[a-z]\b)")
STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def c_files(*exclude):
    for p in sorted(DAEMON.rglob("*.[ch]")):
        if not any(p.is_relative_to(DAEMON / e) for e in exclude):
            yield p


def sql_strings(path):
    text = COMMENT.sub(" ", path.read_text())
    # adjacent literals ("SELECT a " "FROM t") are one string
    for m in re.finditer(r'(?:"(?:[^"\\\n]|\\.)*"\s*)+', text):
        s = "".join(STRING.findall(m.group(0)))
        if SQL.search(s):
            yield text.count("\n", 0, m.start()) + 1, s


def test_the_detector_sees_sql():
    """The check can fail: it finds the SQL that is in store/."""
    found = [s for p in (DAEMON / "store").glob("store_*.c") for _, s in sql_strings(p)]
    assert len(found) > 20, found[:3]


def test_no_sql_outside_the_store():
    bad = [f"{p.relative_to(ROOT)}:{line}: {s[:80]}" for p in c_files("store") for line, s in sql_strings(p)]
    assert not bad, "SQL outside daemon/store/:\n" + "\n".join(bad)


def test_no_handler_has_a_header():
    """Handlers share no header of their own (api.h declares them all): what two share is a module's."""
    bad = sorted(p.name for p in (DAEMON / "api").glob("api_*.h"))
    bad += [f"{p.name} includes {m.group(1)}.h" for p in sorted((DAEMON / "api").glob("*.[ch]"))
            for m in re.finditer(r'#include\s+"(api_[a-z_]+)\.h"', p.read_text())]
    assert not bad, bad


def test_handlers_do_not_call_each_other():
    """No api_*.c file calls a function another api_*.c defines (the same resource's files included)."""
    defined = {}
    for p in (DAEMON / "api").glob("api_*.c"):
        for m in re.finditer(r"^[a-z][^\n;=]*?\b([a-z][a-z0-9_]*)\(", COMMENT.sub(" ", p.read_text()), re.M):
            if not m.group(0).startswith("static"):
                defined.setdefault(m.group(1), p.stem)
    bad = []
    for p in (DAEMON / "api").glob("api_*.c"):
        text = COMMENT.sub(" ", p.read_text())
        for m in re.finditer(r"\b([a-z][a-z0-9_]*)\(", text):
            owner = defined.get(m.group(1))
            if owner and owner != p.stem:
                bad.append(f"{p.name} calls {m.group(1)} ({owner}.c)")
    assert not bad, sorted(set(bad))


def test_only_the_store_runs_statements():
    """db_query / db_exec / db_exec_bulk / db_exec_script are called from daemon/store/ alone."""
    call = re.compile(r"\bdb_(query|exec|exec_bulk|exec_script)\s*\(")
    bad = [f"{p.relative_to(ROOT)}" for p in c_files("store") if call.search(COMMENT.sub(" ", p.read_text()))]
    assert not bad, bad
