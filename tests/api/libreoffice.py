"""A file opened and saved again by LibreOffice Calc (headless), as the round-trip tests need.

One LibreOffice profile per test run ($BURSAR_TEST_DIR/libreoffice): only the first start
creates it (the slow part of a start, most of all on a loaded machine); the conversions run
one at a time, as pytest runs the tests. A conversion that fails or times out removes the
profile (a killed soffice may leave it locked), so the next one starts afresh."""
import os
import shutil
import subprocess
import tempfile

from conftest import DIR

PROFILE = DIR / "libreoffice"


def libreoffice(data, name, convert_to, infilter=None):
    """data (a file called name) opened and saved by LibreOffice Calc as convert_to
    (soffice --convert-to), read with infilter if given; the bytes it saved."""
    d = tempfile.mkdtemp(prefix="lo-", dir=DIR)
    try:
        src = os.path.join(d, name)
        out = os.path.join(d, "out")
        with open(src, "wb") as f:
            f.write(data)
        cmd = ["soffice", f"-env:UserInstallation=file://{PROFILE}", "--headless"]
        if infilter is not None:
            cmd += [f"--infilter={infilter}"]
        cmd += ["--convert-to", convert_to, "--outdir", out, src]
        try:
            subprocess.run(cmd, check=True, timeout=180, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (subprocess.SubprocessError, OSError):
            shutil.rmtree(PROFILE, ignore_errors=True)
            raise
        with open(os.path.join(out, name), "rb") as f:
            return f.read()
    finally:
        shutil.rmtree(d, ignore_errors=True)


def libreoffice_resave(data):
    """An XLSX workbook saved again by LibreOffice Calc."""
    return libreoffice(data, "in.xlsx", "xlsx")
