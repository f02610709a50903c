"""The house: daemon/'s layers are kept apart by the compiler.

Each layer is compiled with the include paths of itself and the layers below it
only (the Makefile's INC_<layer> and PKG_<layer>); `make layer-flags` prints
the command a file of a layer is compiled with, and each case compiles one
#include with it. A header from a layer above must fail to compile; one from
below must compile.
"""
import os
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("BURSAR_ROOT", Path(__file__).resolve().parents[2]))

# (layer, header, may it see it?)
CASES = [
    ("core", '"money.h"', True),
    ("core", '"bursar_plugin.h"', True),
    ("core", "<cjson/cJSON.h>", True),
    ("core", '"config.h"', False),
    ("core", '"log.h"', False),
    ("core", '"db.h"', False),
    ("core", '"plugin.h"', False),
    ("core", '"router.h"', False),
    ("core", '"api.h"', False),
    ("core", '"server.h"', False),
    ("core", "<mysql.h>", False),
    ("base", '"config.h"', True),
    ("base", '"money.h"', True),
    ("base", '"db.h"', False),
    ("base", '"plugin.h"', False),
    ("base", '"router.h"', False),
    ("plugin", '"plugin.h"', True),
    ("plugin", '"log.h"', True),
    ("plugin", '"db.h"', False),
    ("plugin", '"router.h"', False),
    ("plugin", '"api.h"', False),
    ("store", '"db.h"', True),
    ("store", '"store.h"', True),
    ("store", '"config.h"', True),
    ("store", '"plugin.h"', False),
    ("store", '"router.h"', False),
    ("store", '"api.h"', False),
    ("store", '"worker.h"', False),
    ("http", '"router.h"', True),
    ("http", '"config.h"', True),
    ("http", '"db.h"', False),
    ("http", '"store.h"', False),
    ("http", '"plugin.h"', False),
    ("http", '"api.h"', False),
    ("http", '"worker.h"', False),
    ("api", '"api.h"', True),
    ("api", '"db.h"', True),
    ("api", '"plugin.h"', True),
    ("api", '"router.h"', True),
    ("api", '"server.h"', False),
    ("api", '"cli.h"', False),
    ("daemon", '"server.h"', True),
    ("daemon", '"api.h"', True),
]


_flags = {}


def probe(layer, header):
    if layer not in _flags:
        out = subprocess.run(["make", "-s", "--no-print-directory", "layer-flags", f"LAYER={layer}"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
        _flags[layer] = shlex.split(out)
        assert f"daemon/{layer}" in out or layer == "daemon", out
    return subprocess.run(_flags[layer] + ["-x", "c", "-fsyntax-only", "-"], cwd=ROOT,
                          input=f"#include {header}\n", capture_output=True, text=True)


@pytest.mark.parametrize("layer,header,allowed", CASES,
                         ids=[f"{l}-{h.strip(chr(34)).strip('<>')}" for l, h, _ in CASES])
def test_layer_sees_only_below(layer, header, allowed):
    r = probe(layer, header)
    if allowed:
        assert r.returncode == 0, f"{layer} should see {header}:\n{r.stderr}"
    else:
        assert r.returncode != 0, f"{layer} must not see {header}, but it compiled"
        assert "No such file or directory" in r.stderr, r.stderr


def test_every_layer_folder_is_known():
    """A new folder under daemon/ must be given its place in the Makefile's layers."""
    make = (ROOT / "Makefile").read_text()
    layers = next(l for l in make.splitlines() if l.startswith("LAYERS ="))
    known = set(layers.split("=", 1)[1].split())
    folders = {p.name for p in (ROOT / "daemon").iterdir() if p.is_dir() and any(p.glob("*.c"))}
    assert folders <= known, f"folders not in LAYERS: {sorted(folders - known)}"
