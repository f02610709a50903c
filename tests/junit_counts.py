#!/usr/bin/python3
"""tests/junit_counts.py FILE: a junit XML report (pytest's, node's) as "tests failures errors skipped",
for tests/run.sh and tests/cluster/run.sh."""
import re
import sys
import xml.etree.ElementTree as ET

# node's reporter copies control characters from messages into the XML as they are
text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "?", open(sys.argv[1], encoding="utf-8", errors="replace").read())
t = f = e = s = 0
for c in ET.fromstring(text).iter("testcase"):
    t += 1
    if c.find("failure") is not None:
        f += 1
    elif c.find("error") is not None:
        e += 1
    elif c.find("skipped") is not None:
        s += 1
print(t, f, e, s)
