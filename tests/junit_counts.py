#!/usr/bin/python3
"""tests/junit_counts.py FILE: a junit XML report (pytest's, node's) as "tests failures errors skipped",
for tests/run.sh and tests/cluster/run.sh.
tests/junit_counts.py --failures FILE...: each failed test's name and the start of its message, to
print just above the last line (CI keeps the end of the output)."""
import re
import sys
import xml.etree.ElementTree as ET

LINES = 12  # of a failure's message


def cases(path):
    # node's reporter copies control characters from messages into the XML as they are
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "?", open(path, encoding="utf-8", errors="replace").read())
    return ET.fromstring(text).iter("testcase")


def counts(path):
    t = f = e = s = 0
    for c in cases(path):
        t += 1
        if c.find("failure") is not None:
            f += 1
        elif c.find("error") is not None:
            e += 1
        elif c.find("skipped") is not None:
            s += 1
    print(t, f, e, s)


def failures(paths):
    for path in paths:
        try:
            found = list(cases(path))
        except (OSError, ET.ParseError) as x:
            print(f"✖ {path}: {x}")
            continue
        for c in found:
            bad = c.find("failure")
            if bad is None:
                bad = c.find("error")
            if bad is None:
                continue
            where = c.get("classname") if c.get("classname") not in (None, "", "test") else ""
            print(f"✖ {c.get('name')}{f' ({where})' if where else ''}")
            message = (bad.text or "").strip() or bad.get("message", "")
            errors = [ln for ln in message.splitlines() if ln.startswith("E ")]
            if errors:
                # pytest's: the failing test's source, then "E" lines saying what failed, then where
                tail = message.splitlines()[-1]
                message = "\n".join(errors[:LINES - 1] + [tail])
            # the message and where it failed in a test file, without the runners' own frames
            lines = [ln for ln in message.splitlines()
                     if ln.strip() and not re.match(r"\s+at (?!.*/tests/)", ln)
                     and not re.match(r"\s*(code|failureType): ", ln)]
            for ln in lines[:LINES]:
                print(f"    {ln[:300]}")
            if len(lines) > LINES:
                print(f"    ... ({len(lines) - LINES} more lines in {path})")


if sys.argv[1] == "--failures":
    failures(sys.argv[2:])
else:
    counts(sys.argv[1])
