#!/usr/bin/env python3
"""gen_monitoring.py: writes schema/seed/080_monitoring.sql, the demo trust's ledger mapping,
actuals, commitments, closed periods, variance comments and an entered outturn (issue 17), and
tests/api/data/ledger_2026_11.csv, a November 2026 ledger export of two schools (159902, 159904), deterministically
(run it again, same files). Debian's python3 only; no network.

    python3 schema/seed/gen_monitoring.py              # writes both files
    python3 schema/seed/gen_monitoring.py --table      # and prints the story's figures
    python3 schema/seed/gen_monitoring.py --write-budgets DIR   # refresh the budgets input (below)

The budgets it profiles. The actuals sit around each 2026-27 budget line's months as the API
gives them (ISSUE17_CONTRACT section 1: the line split by its account's default profile, largest
remainders). The typed lines are in 040_budgets.sql, but the computed lines (INT01-INT06) come
from the finance-rule plugins with etc/bursard.conf's settings, so the input is the API's own
answer: gen_monitoring_budgets.json beside this script holds every entity's 2026-27 budget lines
(account, amount, source) as `GET /api/v1/schools/{urn}/budgets/2026-27` returned them on a fresh
seed. To refresh it after the budgets or the plugins change: `make run`, then

    mkdir /tmp/b && for u in 159901 159902 159903 159904 159905 159906 159907 159908 159909 central; do
      curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/schools/$u/budgets/2026-27 > /tmp/b/$u.json
    done
    python3 schema/seed/gen_monitoring.py --write-budgets /tmp/b && python3 schema/seed/gen_monitoring.py

(no entity plans by post in the demo, so every staff line is typed). When a line as read carries
`months_pence` (issue 17's budget GET), --write-budgets keeps it and this script checks its own
split against it. tests/api/test_monitoring_seed.py checks the input against 040_budgets.sql and
the plugins' rules, the output against this script, and the story through the API.

What is generated (README "The demo trust: monitoring"; every figure INVENTED):
* the ledger mapping: a cost centre per entity (the finance system's three-letter codes) and
  4-digit nominal codes for every account of the chart (4xxx income, 5xxx staff, 6xxx premises,
  7xxx supplies and services, 8xxx the trust's internal recharges), several accounts with more
  than one (teachers' salaries, NI and pension; payroll and agency supply; gas and electricity);
* actuals (kind actual) for the twelve months of 2025-26 and September-November 2026 for every
  entity and every budgeted code but the contingency (never posted to): each month the line's
  profile month with small deterministic noise (a hash of entity, code, year and month), the
  internal codes exactly their profile months (the recharges post as budgeted). 2025-26 is the
  2026-27 budget less the September 2026 teachers' award (3.5%), the April 2026 support award
  (3.3%, September-March only), a year's funding (2%) and price (3%) rises, with 2025-26's rolls
  and staff FTE; its staff and discretionary non-staff spending is then scaled (by 1-5%, the
  central team's by 11%) so that each entity's 2025-26 in-year balance is, to the penny, the
  movement of its opening reserves in 020_trust.sql (2026 less 2025);
* the story at November 2026: Sandpiper Green (159904) overspends on agency supply (E26: two
  teachers on long-term sick leave from October), Cormorant Dock (159902) saves on energy (E16:
  solar panels, LED lighting and a credit note), Oystercatcher (159909) repairs a roof early (E12,
  timing); comments on every variance over the management accounts' thresholds (£10,000 and 10%
  of the profile to date) but the unspent contingency's, and an entered outturn with its note on
  the supply overspend. Nothing of the story is on 159901, the first school: the API tests write
  their own comments and outturns there;
* commitments (orders raised, not invoiced) at November 2026 for six codes;
* closed periods (2025-26 all, 2026-27 September-November) and one ledger import per month.
"""
import argparse
import csv
import hashlib
import io
import json
import re
import sys
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BUDGETS = HERE / "gen_monitoring_budgets.json"
OUT_SQL = HERE / "080_monitoring.sql"
OUT_CSV = ROOT / "tests" / "api" / "data" / "ledger_2026_11.csv"

PRIOR, YEAR = 2025, 2026                 # 2025-26 (a full year of actuals) and 2026-27
CLOSED_2026 = 3                          # September-November 2026 are closed
THRESHOLD_PENCE, THRESHOLD_BP = 1000000, 1000   # monitoring.variance_threshold_* defaults
FD = "Farah Dixon (finance.director@trust.example)"

# ---------------------------------------------------------------------------- profiles
# ISSUE17_CONTRACT section 1: the builtin profiles (schema/018_profiles.sql) and the demo chart's
# defaults (schema/seed/012_account_profiles.sql); every other account `even`.
PROFILES = {
    "even": (834, 834, 834, 834, 833, 833, 833, 833, 833, 833, 833, 833),
    "term_time": (947, 842, 1053, 790, 1000, 789, 1053, 684, 947, 1053, 842, 0),
    "quarterly_grant": (0, 2500, 0, 0, 2500, 0, 0, 2500, 0, 0, 2500, 0),
    "april_march_grant": (2500, 0, 0, 2500, 0, 0, 2500, 0, 0, 2500, 0, 0),
    "heating": (500, 800, 1100, 1200, 1300, 1200, 1000, 800, 600, 500, 500, 500),
    "annual_september": (10000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
}
DEFAULT_PROFILE = {"I05": "quarterly_grant", "I08": "term_time", "I09": "term_time", "I12": "term_time",
                   "E02": "term_time", "E26": "term_time", "E19": "term_time", "E25": "term_time",
                   "E16": "heating", "E23": "annual_september"}
MONTHS = ("09", "10", "11", "12", "01", "02", "03", "04", "05", "06", "07", "08")


def split(amount, w):
    """amount split by the weights w (bp, sum 10000): each month floor(|amount| * w / 10000), the
    pence left over one each to the largest remainders (ties: the earlier month), the sign put
    back (core/profile.h's profile_split)."""
    assert sum(w) == 10000 and len(w) == 12
    a = abs(amount)
    out = [a * x // 10000 for x in w]
    rem = [a * x % 10000 for x in w]
    for i in sorted(range(12), key=lambda i: (-rem[i], i))[:a - sum(out)]:
        out[i] += 1
    return [v if amount >= 0 else -v for v in out]


def month_name(year, m):
    """'2026-11' for month 3 of 2026-27."""
    return f"{year + (1 if m >= 5 else 0)}-{MONTHS[m - 1]}"


def rnd(x):
    """A Fraction to the nearest penny, halves away from zero."""
    x = Fraction(x)
    n = (abs(x.numerator) * 2 + x.denominator) // (2 * x.denominator)
    return n if x >= 0 else -n


def noise(key, span_bp):
    """A deterministic integer in [-span_bp, span_bp] for key."""
    if span_bp == 0:
        return 0
    h = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    return h % (2 * span_bp + 1) - span_bp


# ---------------------------------------------------------------------------- the trust
def read_trust():
    """020_trust.sql: [(urn, name)] in order, pupils {(urn, year): n} (and the staff FTE x 100 at
    (urn, "fte", year)), places, opening reserves."""
    text = (HERE / "020_trust.sql").read_text()
    ents = re.findall(r"^\('(\d{6}|central)', '(?:school|central)', '([^']+)'", text, re.M)
    years = re.findall(r"urn='(\d{6}|central)'\), (\d{4}), (\d+|NULL), (\d+|NULL), (\d+), (-?\d+), '", text)
    pupils, places, reserves = {}, {}, {}
    for urn, y, p, pl, fte, r in years:
        y = int(y)
        pupils[(urn, y)] = None if p == "NULL" else int(p)
        pupils[(urn, "fte", y)] = int(fte)
        places[(urn, y)] = None if pl == "NULL" else int(pl)
        reserves[(urn, y)] = int(r)
    return ents, pupils, places, reserves


def read_budgets(path=BUDGETS):
    data = json.loads(Path(path).read_text())
    assert data["year"] == "2026-27"
    return data["entities"]


def write_budgets(src_dir):
    """The committed input from the budget GET bodies saved as DIR/<urn>.json."""
    ents, _p, _pl, _r = read_trust()
    out = {}
    for urn, _name in ents:
        body = json.loads((Path(src_dir) / f"{urn}.json").read_text())
        assert body["year"] == "2026-27" and body["urn"] == urn, (urn, body.get("title"))
        lines = []
        for ln in body["lines"]:
            row = {"account_code": ln["account_code"], "amount_pence": ln["amount_pence"], "source": ln["source"],
                   "description": ln["description"]}
            if ln.get("months_pence") is not None:
                row["months_pence"] = ln["months_pence"]
                row["profile_source"] = ln.get("profile_source")
            lines.append(row)
        out[urn] = lines
    doc = {"year": "2026-27",
           "about": "GET /api/v1/schools/{urn}/budgets/2026-27 of a fresh demo seed: every line's account, "
                    "amount, description and source (typed, or rules: the finance-rule plugins' computed lines). "
                    "Written by gen_monitoring.py --write-budgets; read by gen_monitoring.py.",
           "entities": out}
    text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    BUDGETS.write_text(text)


def read_accounts():
    """010_accounts.sql: {code: (name, kind, internal)} in the chart's order."""
    text = (HERE / "010_accounts.sql").read_text()
    out = {}
    for code, name, kind, internal in re.findall(
            r"^\('([A-Z0-9a-z]+)',\s+'((?:[^']|'')+)', '(income|expenditure)', '[a-z_]+', '[^']+', "
            r"\d, \d, \d, (\d)\)", text, re.M):
        out[code] = (name.replace("''", "'"), kind, internal == "1")
    return out


# ---------------------------------------------------------------------------- the mapping
COST_CENTRES = {"159901": ("KWP", "Kingfisher Wharf Primary Academy"),
                "159902": ("CDP", "Cormorant Dock Primary Academy"),
                "159903": ("WFP", "Wagtail Fields Primary Academy"),
                "159904": ("SGP", "Sandpiper Green Primary Academy"),
                "159905": ("TBP", "Teal Basin Primary Academy"),
                "159906": ("LBS", "Lapwing Bridge School"),
                "159907": ("SIA", "Samphire Infant Academy"),
                "159908": ("SJA", "Samphire Junior Academy"),
                "159909": ("OCP", "Oystercatcher Primary Academy"),
                "central": ("CEN", "Central trust team")}

# (nominal, account, description, share in bp of the account's postings, for the ledger export)
NOMINALS = [
    ("4000", "I01", "GAG: ESFA general annual grant", 10000),
    ("4005", "I01P", "GAG: high-needs place funding", 10000),
    ("4010", "I02", "ESFA 16-19 funding", 10000),
    ("4020", "I05", "Pupil premium", 10000),
    ("4030", "I06", "Universal infant free school meals grant", 0),
    ("4031", "I06", "PE and sport premium", 0),
    ("4032", "I06", "Other DfE grants", 0),
    ("4040", "I18", "Additional grant for schools", 10000),
    ("4100", "I03", "High-needs top-up funding (local authority)", 10000),
    ("4110", "I04", "Minority ethnic pupils funding", 10000),
    ("4120", "I07", "Early years funding (local authority)", 10000),
    ("4121", "I07", "Other local authority grants", 0),
    ("4130", "I15", "Extended school funding", 10000),
    ("4140", "I16", "Community school funding", 10000),
    ("4200", "I08", "Lettings income", 10000),
    ("4210", "I09", "Catering income: paid meals", 10000),
    ("4220", "I10", "Supply absence insurance claims", 10000),
    ("4221", "I11", "Other insurance claims", 10000),
    ("4230", "I12", "Trips and visits contributions", 10000),
    ("4240", "I13", "Donations", 10000),
    ("4250", "I17", "Community facilities income", 10000),
    ("5000", "E01", "Teachers: salaries", 7186),
    ("5001", "E01", "Teachers: employer's NI", 754),
    ("5002", "E01", "Teachers: employer's pension (TPS)", 2060),
    ("5010", "E02", "Supply teachers (payroll): salaries", 7900),
    ("5011", "E02", "Supply teachers (payroll): employer's NI and pension", 2100),
    ("5020", "E26", "Agency supply: short-term cover", 10000),
    ("5021", "E26", "Agency supply: long-term cover", 0),
    ("5100", "E03", "Education support staff: salaries", 7700),
    ("5101", "E03", "Education support staff: employer's NI", 700),
    ("5102", "E03", "Education support staff: employer's pension (LGPS)", 1600),
    ("5200", "E04", "Premises staff", 10000),
    ("5300", "E05", "Administrative and clerical staff", 10000),
    ("5400", "E06", "Catering staff", 10000),
    ("5500", "E07", "Other staff", 10000),
    ("5600", "E31", "Community school staff", 10000),
    ("5700", "E08", "Recruitment, DBS checks and occupational health", 10000),
    ("5710", "E09", "Staff training and CPD", 10000),
    ("5720", "E10", "Supply absence insurance premium", 10000),
    ("5730", "E11", "Staff-related insurance", 10000),
    ("6000", "E12", "Building maintenance and repairs", 10000),
    ("6010", "E13", "Grounds maintenance", 10000),
    ("6020", "E14", "Cleaning and caretaking", 10000),
    ("6030", "E15", "Water and sewerage", 10000),
    ("6040", "E16", "Energy: gas", 4500),
    ("6041", "E16", "Energy: electricity", 5500),
    ("6050", "E17", "Business rates", 10000),
    ("6060", "E18", "Waste, security and compliance", 10000),
    ("6070", "E28b", "PFI unitary charge", 10000),
    ("7000", "E19", "Learning resources and books", 10000),
    ("7010", "E20", "ICT: devices, licences and support", 10000),
    ("7020", "E21", "Examination fees", 10000),
    ("7030", "E22", "Printing, stationery and postage", 10000),
    ("7040", "E23", "Insurance: RPA and other premiums", 10000),
    ("7050", "E24", "Special facilities", 10000),
    ("7060", "E25", "Catering contract", 10000),
    ("7100", "E27", "Curriculum services", 10000),
    ("7110", "E28a", "Professional services: payroll, HR and legal", 8000),
    ("7111", "E28a", "Audit and accountancy", 2000),
    ("7200", "E29", "Loan interest", 10000),
    ("7210", "E30", "Revenue contributions to capital", 10000),
    ("7220", "E32", "Community school costs", 10000),
    ("7900", "CON01", "Contingency", 10000),
    ("8000", "INT01", "Central services charge (top-slice)", 10000),
    ("8001", "INT02", "Central services charge received", 10000),
    ("8010", "INT03", "GAG pooled to the trust", 10000),
    ("8011", "INT04", "Pooled GAG received", 10000),
    ("8020", "INT05", "GAG allocation from the pool", 10000),
    ("8021", "INT06", "GAG allocations to schools", 10000),
    ("8030", "INT07", "Traded services recharge", 10000),
    ("8031", "INT08", "Traded services recharges received", 10000),
]
# Three nominal codes of the export that map to nothing (capital, balance sheet, suspense).
UNMAPPED = [("0040", "159902", "Fixed assets: ICT equipment additions (CIF laptops)", 1245000),
            ("2201", "159904", "VAT recoverable: November purchases", 187466),
            ("9999", "159904", "Suspense: unidentified BACS receipt", -35000)]

# ---------------------------------------------------------------------------- 2025-26
TEACHER_AWARD = Fraction(1035, 1000)     # September 2026
SUPPORT_AWARD = Fraction(1033, 1000)     # April 2026 (months 8..12 of 2025-26 already at it)
FUNDING = Fraction(102, 100)             # a year's funding rise
PRICES = Fraction(103, 100)              # a year's prices (CPI)
TEACHER = {"E01", "E02"}
SUPPORT = {"E03", "E04", "E05", "E06", "E07", "E31"}
LAGGED = {"I01", "I02", "I04", "I05"}    # on the census a year before
CURRENT = {"I03", "I09", "I12", "E19", "E21", "E25"}   # on the year's own roll
FUNDED = {"I06", "I07", "I18", "I15", "I16"}
# scaled, with the staff codes and agency supply, to tie 2025-26's in-year balance to the reserves
DISCRETIONARY = {"E08", "E09", "E12", "E15", "E16", "E18", "E19", "E20", "E22", "E24", "E25", "E27", "E28a"}
TIED = DISCRETIONARY | TEACHER | SUPPORT | {"E26"}
# noise, bp of the month (0: the ledger posts exactly the profile: grants, contracts, premiums)
NOISE = {"I01": 0, "I01P": 0, "I05": 0, "I03": 250, "I06": 150, "I07": 250, "I08": 1800, "I09": 700,
         "I12": 2500, "I13": 2500, "E01": 40, "E02": 1500, "E26": 1800, "E03": 70, "E04": 80, "E05": 80,
         "E07": 150, "E08": 2500, "E09": 3000, "E10": 0, "E12": 2500, "E13": 0, "E14": 0, "E15": 1200,
         "E16": 1000, "E17": 0, "E18": 1200, "E19": 2000, "E20": 2500, "E22": 2000, "E23": 0, "E24": 2000,
         "E25": 500, "E27": 2000, "E28a": 800}


def prior_factor(code, m, urn, pupils, places):
    """2025-26's month m of code as a fraction of 2026-27's."""
    def ratio(a, b):
        pa, pb = pupils.get((urn, a)), pupils.get((urn, b))
        return Fraction(pa, pb) if pa and pb else Fraction(1)
    fte = Fraction(pupils[(urn, "fte", PRIOR)], pupils[(urn, "fte", YEAR)])
    if code in TEACHER:
        return fte / TEACHER_AWARD
    if code in SUPPORT:
        return fte / SUPPORT_AWARD if m <= 7 else fte
    if code == "I01P":
        return Fraction(places[(urn, PRIOR)], places[(urn, YEAR)])
    if code in LAGGED:
        return ratio(PRIOR - 1, PRIOR) / FUNDING
    if code in CURRENT:
        return ratio(PRIOR, YEAR) / (FUNDING if code.startswith("I") else PRICES)
    if code in FUNDED:
        return 1 / FUNDING
    if code == "E17":
        return Fraction(100, 102)
    return 1 / PRICES


class Entity:
    def __init__(self, urn, name):
        self.urn, self.name = urn, name
        self.lines = []                       # (code, amount, source, months)
        self.budget = {}                      # code -> amount
        self.profile = {}                     # code -> [12] the 2026-27 profile months
        self.actual = {PRIOR: {}, YEAR: {}}   # year -> code -> [12] (None after the closed months)
        self.commitment = {}                  # code -> (pence, description) at November 2026


def profile_lines(ent, lines, accounts):
    for ln in lines:
        code, amount = ln["account_code"], ln["amount_pence"]
        assert code in accounts, code
        months = split(amount, PROFILES[DEFAULT_PROFILE.get(code, "even")])
        if ln.get("months_pence") is not None:
            assert ln["months_pence"] == months, (ent.urn, code, ln["months_pence"], months)
        ent.lines.append((code, amount, ln["description"], months))
        ent.budget[code] = ent.budget.get(code, 0) + amount
        p = ent.profile.setdefault(code, [0] * 12)
        for i in range(12):
            p[i] += months[i]


def vary(urn, code, year, months, upto=12):
    """months with each month's noise (months after upto: None)."""
    span = NOISE.get(code, 1500)
    out = []
    for i, v in enumerate(months):
        if i >= upto:
            out.append(None)
            continue
        out.append(v + rnd(Fraction(v * noise(f"{urn}|{code}|{year}|{i + 1}", span), 10000)))
    return out


def central_allocation(pool, pupils_need):
    """The `central` plugin's share-out, approximately: a £50,000 lump sum each and the rest by
    funded pupils x need, largest remainders (ties to the lower URN)."""
    lump = 5000000
    rest = pool - lump * len(pupils_need)
    weights = {u: p * n for u, (p, n) in pupils_need.items()}
    tot = sum(weights.values())
    out = {u: rest * w // tot for u, w in weights.items()}
    left = rest - sum(out.values())
    for u in sorted(weights, key=lambda u: (-(rest * weights[u] % tot), u))[:left]:
        out[u] += 1
    return {u: v + lump for u, v in out.items()}


def prior_year(ents, pupils, places, reserves, accounts):
    """2025-26: every code's twelve months; the internal codes by the plugins' rules on 2025-26's
    GAG; the discretionary spending scaled so each balance is its reserves' movement."""
    by = {e.urn: e for e in ents}
    for e in ents:
        for code, p in e.profile.items():
            if accounts[code][2] or code == "CON01":
                continue
            base = [rnd(p[i] * prior_factor(code, i + 1, e.urn, pupils, places)) for i in range(12)]
            e.actual[PRIOR][code] = vary(e.urn, code, PRIOR, base)
    # internal codes: the plugins' lines on 2025-26's GAG less rates, split evenly
    even = PROFILES["even"]
    pooled = [e for e in ents if "INT03" in e.budget]
    local = [e for e in ents if "INT01" in e.budget]
    cen = by["central"]

    def annual(e, code):
        return sum(e.actual[PRIOR].get(code, [0] * 12))
    pots = {e.urn: annual(e, "I01") - annual(e, "E17") for e in pooled}
    pool = sum(pots.values())
    retained = rnd(Fraction(pool * 600, 10000))
    need = {e.urn: (pupils[(e.urn, PRIOR - 1)], 11500 if e.urn == "159905" else 10000) for e in pooled}
    alloc = central_allocation(pool - retained, need)
    slices = {e.urn: rnd(Fraction((annual(e, "I01") + annual(e, "I01P") - annual(e, "E17")) * 500, 10000))
              for e in local}
    for code_s, code_c, amounts in (("INT03", "INT04", pots), ("INT05", "INT06", alloc), ("INT01", "INT02", slices)):
        tot = [0] * 12
        for urn, amt in amounts.items():
            months = split(amt, even)
            by[urn].actual[PRIOR][code_s] = months
            tot = [a + b for a, b in zip(tot, months)]
        cen.actual[PRIOR][code_c] = tot
    # tie each entity's 2025-26 balance to its reserves
    ties = {}
    for e in ents:
        target = reserves[(e.urn, YEAR)] - reserves[(e.urn, PRIOR)]
        bal = balance(e, PRIOR, accounts)
        disc = sorted(c for c in e.actual[PRIOR] if c in TIED)
        dtot = sum(sum(e.actual[PRIOR][c]) for c in disc)
        k = Fraction(dtot + bal - target, dtot)
        for c in disc:
            e.actual[PRIOR][c] = [rnd(v * k) for v in e.actual[PRIOR][c]]
        left = balance(e, PRIOR, accounts) - target
        big = max(disc, key=lambda c: (sum(e.actual[PRIOR][c]), c))
        e.actual[PRIOR][big][11] += left
        assert balance(e, PRIOR, accounts) == target
        ties[e.urn] = (target, k)
    return ties


def balance(e, year, accounts, upto=12):
    """income less expenditure of e's actuals of year through month upto."""
    b = 0
    for code, months in e.actual[year].items():
        s = sum(v for v in months[:upto] if v is not None)
        b += s if accounts[code][1] == "income" else -s
    return b


# ---------------------------------------------------------------------------- 2026-27 and the story
STORY_EXTRA = {
    # (urn, code): {month: pence added to the month's actual}
    ("159904", "E26"): {2: 644000, 3: 920000},      # two agency teachers: 14 days in October, 20 in November, £230 a day
    ("159902", "E16"): {2: -584000},                 # the supplier's credit note for 2025-26's estimated bills
    ("159909", "E12"): {2: 1365000},                 # the roof repair after the October storm
}
STORY_SCALE = {("159902", "E16"): Fraction(80, 100)}  # solar panels and LED lighting: a fifth less bought
AGENCY_DAY = 23000                                     # £230 a day
AGENCY_DAYS_MORE = 113                                 # to February half-term (44) and Easter (69)

COMMITMENTS = [
    ("159902", "E20", 945000, "Order CDP-PO-1187: 30 Chromebooks and cases, delivery January"),
    ("159903", "E19", 315000, "Order WFP-PO-0942: phonics readers for Reception and Year 1"),
    ("159904", "E26", 690000, "Agency booking: two long-term cover teachers, December (15 days)"),
    ("159906", "E24", 420000, "Order LBS-PO-0611: sensory room equipment"),
    ("159909", "E12", 680000, "Order OCP-PO-0733: gutters and fascias after the roof repair"),
    ("central", "E28a", 1250000, "Order CEN-PO-0215: internal scrutiny programme, spring term visits"),
]

COMMENTS = {
    ("159904", "E26"): (FD, "Two class teachers (Year 2 and Year 5) on long-term sick leave since 6 October, "
                            "covered by agency teachers at £230 a day: £15,640 of cover in October and November "
                            "that the budget did not hold. The outturn assumes cover to February half-term and "
                            "Easter. An absence insurance claim (E10 policy, 20-day excess) has been lodged."),
    ("159902", "E16"): (FD, "Energy: the solar panels and LED lighting installed over the summer cut what the school buys "
                            "by about a fifth, and October holds a credit note of £5,840 for 2025-26's estimated "
                            "bills, read again from the smart meters. The credit is one-off; the lower usage "
                            "should last the year."),
    ("159909", "E12"): (FD, "Timing: the flat roof over the hall was repaired after the October storm (£13,650), "
                            "ahead of the profile. The rest of the year's planned maintenance has been cut back "
                            "to keep the line within its budget; gutters are on order."),
}


def current_year(ents, accounts):
    for e in ents:
        for code, p in e.profile.items():
            if code == "CON01":
                continue
            if accounts[code][2]:
                e.actual[YEAR][code] = p[:CLOSED_2026] + [None] * (12 - CLOSED_2026)
                continue
            scale = STORY_SCALE.get((e.urn, code), Fraction(1))
            base = [rnd(v * scale) for v in p]
            months = vary(e.urn, code, YEAR, base, CLOSED_2026)
            for m, extra in STORY_EXTRA.get((e.urn, code), {}).items():
                months[m - 1] += extra
            e.actual[YEAR][code] = months
    by = {e.urn: e for e in ents}
    for urn, code, pence, desc in COMMITMENTS:
        by[urn].commitment[code] = (pence, desc)


def variances(ents, accounts):
    """[(urn, code, variance to date, profile to date, favourable)] at November 2026."""
    out = []
    for e in ents:
        for code, p in e.profile.items():
            prof = sum(p[:CLOSED_2026])
            act = sum(e.actual[YEAR].get(code, [0] * 3)[:CLOSED_2026])
            var = act - prof
            fav = var > 0 if accounts[code][1] == "income" else var < 0
            out.append((e.urn, code, var, prof, fav))
    return out


def over_threshold(var, prof):
    return abs(var) > THRESHOLD_PENCE and abs(var) * 10000 > THRESHOLD_BP * abs(prof)


def outturn(ents):
    """Sandpiper Green's E26: actuals to date, the rest of the profile and 113 more agency days."""
    e = next(x for x in ents if x.urn == "159904")
    p, a = e.profile["E26"], e.actual[YEAR]["E26"]
    amount = sum(a[:CLOSED_2026]) + sum(p[CLOSED_2026:]) + AGENCY_DAYS_MORE * AGENCY_DAY
    amount = (amount + 5000) // 10000 * 10000          # to the £100
    note = (f"Agency cover for two teachers on long-term sick leave since 6 October: £{money(sum(a[:3]))} spent "
            f"to the end of November against £{money(sum(p[:3]))} profiled. Forecast: the budget's remaining "
            f"£{money(sum(p[3:]))} plus {AGENCY_DAYS_MORE} more agency days at £230 (one teacher back after "
            f"February half-term, the other after Easter), about £{money(AGENCY_DAYS_MORE * AGENCY_DAY)}. "
            "Any absence insurance receipts (I10) are left out until the insurer agrees the claim. "
            "The £30,000 contingency is held against it.")
    return e, amount, note


def money(p):
    return f"{p // 100:,}.{p % 100:02d}" if p >= 0 else "-" + money(-p)


# ---------------------------------------------------------------------------- imports and periods
def period_close(year, m):
    """When month m of year was closed: the 5th working day or so of the next month."""
    y, mm = (year + (1 if m >= 4 else 0)), (m + 9) % 12 + 1
    days = (6, 7, 6, 8, 5, 6, 7, 6, 5, 7, 6, 5)
    return f"{y}-{mm:02d}-{days[m - 1]:02d} 16:{10 + m:02d}:00"


def ledger_rows(urn, code, amount, year, m):
    """How many ledger lines a cell of the export holds (payroll journals one a nominal code,
    invoices a few)."""
    noms = [n for n in NOMINALS if n[1] == code]
    if code.startswith("INT") or code in ("I01", "I01P", "I05", "E10", "E13", "E14", "E17", "E23"):
        return len(noms)
    if code in TEACHER | SUPPORT:
        return len([n for n in noms if n[3]])
    n = 1 + int.from_bytes(hashlib.sha256(f"rows|{urn}|{code}|{year}|{m}".encode()).digest()[:2], "big") % 4
    return min(n, max(len(SUPPLIERS.get(x[0], ("",))) for x in noms))


# ---------------------------------------------------------------------------- output
def q(s):
    return "'" + s.replace("'", "''") + "'"


def sql_text(ents, accounts, ties):
    out = []
    w = out.append
    w("-- 080_monitoring: the demo trust's ledger mapping, actuals and commitments, closed periods,")
    w("-- variance comments and an entered outturn (issue 17). GENERATED by schema/seed/gen_monitoring.py")
    w("-- from gen_monitoring_budgets.json (the API's 2026-27 budget lines): do not edit, run it again.")
    w("-- Every figure is INVENTED. Money in pence in the direction of the account's kind; months")
    w("-- 1 = September .. 12 = August of the academic year (2025 = 2025-26).")
    w("--")
    w("-- The story at November 2026 (README \"The demo trust\"):")
    for (urn, code), (_who, text) in sorted(COMMENTS.items()):
        w(f"-- * {urn} {code}: {text[:80]}...")
    w("-- * 2025-26: each entity's in-year balance of its actuals is its opening reserves' movement")
    w("--   (020_trust.sql, 2026 less 2025), to the penny:")
    for urn, (target, k) in ties.items():
        w(f"--   {urn:7s} {money(target):>13s}  (staff and discretionary spending x {float(k):.3f})")
    w("")
    w(f"SET @fd = {q(FD)};")
    for urn, _n in ((e.urn, e.name) for e in ents):
        w(f"SET @s_{urn} = (SELECT id FROM schools WHERE urn = {q(urn)});")
    for code in accounts:
        w(f"SET @a_{code} = (SELECT id FROM accounts WHERE code = {q(code)});")
    w("")
    w("-- The finance system's cost centres (one an entity) and nominal codes (one account each).")
    w("INSERT INTO ledger_cost_centres (code, school_id, description) VALUES")
    rows = [f"({q(cc)}, @s_{urn}, {q(desc)})" for urn, (cc, desc) in COST_CENTRES.items()]
    w(",\n".join(rows) + ";")
    w("INSERT INTO ledger_nominals (code, account_id, description) VALUES")
    rows = [f"({q(n)}, @a_{code}, {q(desc)})" for n, code, desc, _s in NOMINALS]
    w(",\n".join(rows) + ";")
    w("")
    w("-- Closed periods: 2025-26 all, 2026-27 September to November.")
    w("INSERT INTO periods (year, month, closed, closed_at, closed_by, created_at, updated_at) VALUES")
    rows = []
    for year, upto in ((PRIOR, 12), (YEAR, CLOSED_2026)):
        for m in range(1, upto + 1):
            at = q(period_close(year, m))
            rows.append(f"({year}, {m}, 1, {at}, @fd, {at}, {at})")
    w(",\n".join(rows) + ";")
    w("")
    imports = []
    for year, upto in ((PRIOR, 12), (YEAR, CLOSED_2026)):
        for m in range(1, upto + 1):
            imports.append((year, m, "actual"))
    imports.append((YEAR, CLOSED_2026, "commitment"))
    for year, m, kind in imports:
        cells = []
        nrows = 0
        for e in ents:
            if kind == "actual":
                for code in sorted(e.actual[year]):
                    v = e.actual[year][code][m - 1]
                    if v:
                        cells.append((e.urn, code, v))
                        nrows += ledger_rows(e.urn, code, v, year, m)
            else:
                for code in sorted(e.commitment):
                    cells.append((e.urn, code, e.commitment[code][0]))
                    nrows += 1
        mon = month_name(year, m)
        fname = f"GL_{'commitments' if kind == 'commitment' else 'actuals'}_{mon.replace('-', '_')}.csv"
        at = q(period_close(year, m)[:11] + "09:30:00")
        w(f"-- {mon} {kind}s: {len(cells)} cells from {nrows} ledger rows")
        w("INSERT INTO actual_imports (year, kind, filename, months, row_count, actor, created_at) VALUES "
          f"({year}, '{kind}', {q(fname)}, '{m}', {nrows}, @fd, {at});")
        w("SET @imp = LAST_INSERT_ID();")
        w("INSERT INTO actuals (school_id, year, month, kind, account_id, amount_pence, import_id) VALUES")
        w(",\n".join(f"(@s_{urn}, {year}, {m}, '{kind}', @a_{code}, {v}, @imp)" for urn, code, v in cells) + ";")
    w("")
    w("-- Commentary on the variances over the thresholds at November 2026, and the outturn entered.")
    w("INSERT INTO variance_comments (school_id, year, month, account_id, comment, updated_by, created_at, updated_at) VALUES")
    rows = []
    for urn, code, text, who in comments(ents, accounts):
        at = q("2026-12-04 11:00:00")
        rows.append(f"(@s_{urn}, {YEAR}, {CLOSED_2026}, @a_{code}, {q(text)}, {q(who)}, {at}, {at})")
    w(",\n".join(rows) + ";")
    e, amount, note = outturn(ents)
    at = q("2026-12-03 15:20:00")
    w("INSERT INTO outturns (school_id, year, account_id, amount_pence, note, updated_by, created_at, updated_at) VALUES "
      f"(@s_{e.urn}, {YEAR}, @a_E26, {amount}, {q(note)}, @fd, {at}, {at});")
    return "\n".join(out) + "\n"


def comments(ents, accounts):
    """[(urn, code, text, who)]: every variance over the thresholds at November 2026 but the
    contingency's (unspent until released to a line). None on 159901, the first school: the API
    tests write their own comments and outturns there."""
    out = []
    for urn, code, var, prof, _fav in variances(ents, accounts):
        if not over_threshold(var, prof):
            continue
        if (urn, code) in COMMENTS:
            who, text = COMMENTS[(urn, code)]
        elif code == "CON01":
            continue        # nothing is ever posted to the contingency: not a variance to explain
        else:
            raise SystemExit(f"{urn} {code}: variance {money(var)} on {money(prof)} is over the thresholds "
                             "with no comment: tune NOISE or add one")
        out.append((urn, code, text, who))
    for key in COMMENTS:
        assert any((u, c) == key for u, c, _t, _w in out), f"story variance {key} is not over the thresholds"
    return out


def csv_text(ents, accounts):
    """The November 2026 ledger export of Cormorant Dock (CDP) and Sandpiper Green (SGP):
    debits positive, credits negative (signs=ledger); its mapped rows sum, per cost centre and
    account, to the seeded November actuals; three rows' nominal codes are not mapped."""
    buf = io.StringIO()
    wr = csv.writer(buf, lineterminator="\r\n")
    wr.writerow(["Nominal Code", "Cost Centre", "Period", "Date", "Reference", "Description", "Amount"])
    by = {e.urn: e for e in ents}
    ref = [0]

    def row(nom, cc, date, desc, pence, prefix):
        ref[0] += 1
        sign = "-" if pence < 0 else ""
        wr.writerow([nom, cc, 3, date, f"{prefix}{ref[0]:05d}", desc, f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}"])

    unmapped = {u: [x for x in UNMAPPED if x[1] == u] for u in ("159902", "159904")}
    for urn in ("159902", "159904"):
        e = by[urn]
        cc = COST_CENTRES[urn][0]
        for code in sorted(e.actual[YEAR], key=lambda c: [n[0] for n in NOMINALS if n[1] == c][0]):
            v = e.actual[YEAR][code][CLOSED_2026 - 1]
            if not v:
                continue
            debit = v if accounts[code][1] == "expenditure" else -v
            for nom, desc, part in nominal_parts(e, code, v):
                d = part if accounts[code][1] == "expenditure" else -part
                for i, (txt, amt) in enumerate(transactions(urn, code, nom, desc, d)):
                    day = 28 - 3 * i if code in TEACHER | SUPPORT or code.startswith("INT") else min(4 + 7 * i, 30)
                    row(nom, cc, f"2026-11-{day:02d}", txt, amt,
                        "PJ" if code in TEACHER | SUPPORT else "JNL" if code.startswith(("INT", "I")) else "PI")
            assert debit is not None
        for nom, _u, desc, pence in unmapped[urn]:
            row(nom, cc, "2026-11-20", desc, pence, "JNL")
    return buf.getvalue()


def nominal_parts(e, code, v):
    """v split over code's nominal codes: by their shares, or as the story and the budget lines say."""
    noms = [n for n in NOMINALS if n[1] == code]
    if code == "E26" and e.urn == "159904":
        long_term = STORY_EXTRA[("159904", "E26")][3]
        return [("5020", noms[0][2], v - long_term), ("5021", noms[1][2], long_term)]
    if code == "I06":
        lines = [(ln[1], "4030" if ln[2].startswith("Universal infant") else "4031" if ln[2].startswith("PE and")
                  else "4032") for ln in e.lines if ln[0] == "I06"]
        tot = sum(a for a, _n in lines)
        parts = {}
        done = 0
        for i, (a, nom) in enumerate(lines):
            share = v - done if i == len(lines) - 1 else v * a // tot
            done += share
            parts[nom] = parts.get(nom, 0) + share
        return [(nom, next(n[2] for n in noms if n[0] == nom), p) for nom, p in sorted(parts.items())]
    shares = [(n[0], n[2], n[3]) for n in noms if n[3]]
    out, done = [], 0
    for i, (nom, desc, bp) in enumerate(shares):
        part = v - done if i == len(shares) - 1 else v * bp // 10000
        done += part
        out.append((nom, desc, part))
    return out


SUPPLIERS = {  # invoice descriptions by nominal code
    "5700": ["Sterling DBS checks", "TES recruitment advert", "Occupational health referral"],
    "5710": ["NPQ course fees", "Maths hub training day", "First aid training"],
    "6000": ["Reactive repairs: plumbing", "Boiler service", "Fire alarm call-out", "Glazing repair"],
    "6030": ["Thames Water: November"],
    "6060": ["Waste collection: November", "Security monitoring", "Legionella testing"],
    "7000": ["Books and reading scheme", "Classroom resources", "Art and science consumables", "Phonics resources"],
    "7010": ["Broadband and filtering", "Software licences", "ICT support contract", "Printer lease"],
    "7030": ["Photocopier click charges", "Stationery", "Postage"],
    "7060": ["Catering contract: November meals", "Catering: special diets"],
    "5020": ["Agency supply: daily cover", "Agency supply: PPA cover", "Agency supply: training cover"],
    "7100": ["Music service: November", "Sports coaching", "Educational visits provider"],
    "7110": ["Payroll and HR service: November", "Legal advice", "Clerking to governors"],
    "7111": ["Audit fee: interim visit"],
}
INCOME_DESC = {"I01": "ESFA GAG payment: November", "I01P": "ESFA high-needs place funding: November",
               "I05": "Pupil premium", "I03": "Newham high-needs top-ups: November",
               "I07": "Newham early years funding: November", "I08": "Lettings: hall and pitch hire",
               "I09": "Paid school meals: November", "I12": "Trips: parental contributions",
               "I06": "DfE grant: November instalment"}


def transactions(urn, code, nom, desc, pence):
    """The ledger lines of one nominal code's November amount (pence, ledger sign), summing exactly."""
    if code in TEACHER | SUPPORT:
        return [(f"Payroll November 2026: {desc}", pence)]
    if code.startswith("INT"):
        return [(f"Trust journal: {desc}, November 2026", pence)]
    if code.startswith("I"):
        return [(INCOME_DESC.get(code, desc), pence)]
    if code == "E26" and nom == "5021":
        weeks = [("wk ending 06/11/2026", 3), ("wk ending 13/11/2026", 5), ("wk ending 20/11/2026", 5),
                 ("wk ending 27/11/2026", 5), ("w/c 30/11/2026 (1 Dec accrual)", 2)]
        out, done = [], 0
        for i, (wk, days) in enumerate(weeks):
            amt = pence - done if i == len(weeks) - 1 else pence * days // 20
            done += amt
            out.append((f"Step Supply: long-term cover Y2 and Y5, {wk}", amt))
        return out
    if code == "E16":
        return [(f"{desc}: November", pence)]
    names = SUPPLIERS.get(nom, [desc])
    n = min(ledger_rows(urn, code, pence, YEAR, CLOSED_2026), len(names))
    out, done = [], 0
    for i in range(n):
        h = int.from_bytes(hashlib.sha256(f"txn|{urn}|{nom}|{i}".encode()).digest()[:2], "big") % 10000 + 5000
        left = pence - done
        amt = left if i == n - 1 else left * h // (10000 * (n - i))
        done += amt
        out.append((names[i % len(names)], amt))
    return out


def build(budgets_path=BUDGETS):
    accounts = read_accounts()
    trust, pupils, places, reserves = read_trust()
    budgets = read_budgets(budgets_path)
    ents = []
    for urn, name in trust:
        e = Entity(urn, name)
        profile_lines(e, budgets[urn], accounts)
        ents.append(e)
    ties = prior_year(ents, pupils, places, reserves, accounts)
    current_year(ents, accounts)
    return ents, accounts, ties


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--table", action="store_true", help="print the story's figures")
    ap.add_argument("--budgets", default=str(BUDGETS), help="the budgets input (default: beside this script)")
    ap.add_argument("--write-budgets", metavar="DIR", help="write the budgets input from DIR/<urn>.json and stop")
    args = ap.parse_args()
    if args.write_budgets:
        write_budgets(args.write_budgets)
        return
    ents, accounts, ties = build(args.budgets)
    OUT_SQL.write_text(sql_text(ents, accounts, ties))
    OUT_CSV.parent.mkdir(parents=True, exist_ok=True)
    OUT_CSV.write_text(csv_text(ents, accounts), newline="")
    if args.table:
        print("urn      code   profile to Nov   actual to Nov        variance")
        for urn, code, var, prof, fav in variances(ents, accounts):
            if over_threshold(var, prof) or abs(var) > 500000:
                print(f"{urn:8s} {code:5s} {money(prof):>15s} {money(prof + var):>15s} {money(var):>15s}"
                      f" {'favourable' if fav else 'adverse'}{' *' if over_threshold(var, prof) else ''}")
        e, amount, note = outturn(ents)
        print(f"outturn {e.urn} E26 {money(amount)} (budget {money(e.budget['E26'])})\n  {note}")
        for urn, (target, k) in ties.items():
            print(f"2025-26 {urn:7s} balance {money(target):>13s} spending x {float(k):.4f}")


if __name__ == "__main__":
    main()
