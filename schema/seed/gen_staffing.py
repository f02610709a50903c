#!/usr/bin/env python3
"""gen_staffing.py: writes schema/seed/070_staffing.sql, the demo trust's pay scales, on-cost
rates, LGPS fund rates and posts (issue 16), deterministically (run it again, same file).

    python3 schema/seed/gen_staffing.py            # writes 070_staffing.sql next to it
    python3 schema/seed/gen_staffing.py --table    # and prints the calibration table

The posts are sized with tests/api/staffcalc.py (the independent costing the API tests use)
so that each entity's 2026-27 posts cost, on E01 and E03-E07, what its seeded budget
(040_budgets.sql) holds on that code, within a few per cent. Every name is INVENTED.
Which values are published and which derived: README "The demo trust" and the comments
at the top of the SQL this writes.
"""
import re
import sys
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests" / "api"))
import staffcalc as sc  # noqa: E402

YEAR = 2026                                   # the budget year the posts are sized for
AREAS = ("england", "fringe", "outer_london", "inner_london")
AREA_TITLE = {"england": "rest of England", "fringe": "fringe", "outer_london": "outer London",
              "inner_london": "inner London"}


def half_up(x):
    """To the pound (or penny), half up: published scales are whole pounds."""
    return sc.rnd(x)


# ---------------------------------------------------------------------------- teachers' pay
# STPCD 2025 (September 2025, the 4% award), whole pounds. The minimum and maximum of every
# range are the published statutory values; the main, upper and unqualified intermediate
# points are the published advisory points (the 2024 points x 1.04); leadership L2-L42
# are derived (below).
TEACHERS_2025 = {
    "main": {
        "england": [32916, 34823, 37101, 39556, 42057, 45352],
        "fringe": [34398, 36373, 38627, 41075, 43545, 46839],
        "outer_london": [37870, 39851, 41935, 44128, 46800, 50474],
        "inner_london": [40317, 42234, 44238, 46339, 48952, 52300],
    },
    "upper": {
        "england": [47472, 49232, 51048],
        "fringe": [48913, 50668, 52490],
        "outer_london": [52219, 54151, 56154],
        "inner_london": [57632, 60464, 62496],
    },
    "unqualified": {
        "england": [22601, 25193, 27785, 30071, 32667, 35259],
        "fringe": [24066, 26656, 29248, 31532, 34126, 36718],
        "outer_london": [26789, 29383, 31974, 34265, 36856, 39450],
        "inner_london": [28343, 30935, 33528, 35814, 38402, 40994],
    },
}
# The leadership range's published minimum (L1) and maximum (L43) in each area, 2025.
LEADERSHIP_ENDS_2025 = {"england": (51773, 143796), "fringe": (53198, 145218),
                        "outer_london": (55881, 147866), "inner_london": (61554, 153490)}
POINT_PREFIX = {"main": "M", "upper": "U", "leadership": "L", "unqualified": "UQ"}
RANGE_TITLE = {"main": "main pay range", "upper": "upper pay range", "leadership": "leadership pay range",
               "unqualified": "unqualified teacher pay range"}
TEACHER_AWARD_2026 = Fraction(1035, 1000)      # September 2026: 3.5%
UNQUALIFIED_AWARD_2026 = Fraction(105, 100)    # unqualified range: 5%


def leadership_2025(area):
    """L1..L43 of 2025 in an area: England's points geometric between its published ends;
    an area's uplift on England's point moves linearly from its L1 uplift to its L43."""
    e1, e43 = LEADERSHIP_ENDS_2025["england"]
    a1, a43 = LEADERSHIP_ENDS_2025[area]
    out = []
    for k in range(43):
        eng = e1 * (e43 / e1) ** (k / 42)            # float only to place a derived point
        uplift = (a1 - e1) + ((a43 - e43) - (a1 - e1)) * k / 42
        out.append(int(round(eng + uplift)))
    out[0], out[42] = a1, a43
    return out


def teacher_scales():
    """name -> (title, area, points, {year: [pounds]})"""
    scales = {}
    for rng in ("main", "upper", "leadership", "unqualified"):
        for area in AREAS:
            v25 = leadership_2025(area) if rng == "leadership" else TEACHERS_2025[rng][area]
            award = UNQUALIFIED_AWARD_2026 if rng == "unqualified" else TEACHER_AWARD_2026
            v26 = [half_up(v * award) for v in v25]
            pts = [f"{POINT_PREFIX[rng]}{i + 1}" for i in range(len(v25))]
            title = f"Teachers' {RANGE_TITLE[rng]}, {AREA_TITLE[area]}"
            scales[f"teachers_{rng}_{area}"] = (title, area, pts, {2025: v25, 2026: v26})
    return scales


# ---------------------------------------------------------------------------- NJC spine
# The NJC spine from 1 April 2024 (points 2-43; point 1 was deleted in April 2023): the
# April 2023 spine plus £1,290 on every point (published).
NJC_2024 = {2: 23656, 3: 24027, 4: 24404, 5: 24790, 6: 25183, 7: 25584, 8: 25992, 9: 26409, 10: 26835,
            11: 27269, 12: 27711, 13: 28163, 14: 28624, 15: 29093, 16: 29572, 17: 30060, 18: 30559,
            19: 31067, 20: 31586, 21: 32115, 22: 32654, 23: 33366, 24: 34314, 25: 35235, 26: 36124,
            27: 37035, 28: 37938, 29: 38626, 30: 39513, 31: 40476, 32: 41511, 33: 42708, 34: 43693,
            35: 44711, 36: 45718, 37: 46731, 38: 47754, 39: 48710, 40: 49764, 41: 50788, 42: 51802,
            43: 52805}
NJC_AWARD_2025 = Fraction(1032, 1000)          # April 2025: 3.2% on every point
NJC_AWARD_2026 = Fraction(1033, 1000)          # April 2026: the 3.3% offer; point 2 deleted
# The trust's inner London weighting for support staff in Newham (INVENTED: the trust's own
# pay policy), pounds a year added to every point of the weighted spine, raised by each award.
IL_WEIGHTING_2025 = 4575


def njc_scales():
    v25 = {p: half_up(v * NJC_AWARD_2025) for p, v in NJC_2024.items()}
    v26 = {p: half_up(v * NJC_AWARD_2026) for p, v in v25.items() if p != 2}
    w26 = half_up(IL_WEIGHTING_2025 * NJC_AWARD_2026)
    pts = [str(p) for p in range(2, 44)]
    nat = ("NJC pay spine (national)", None, pts,
           {2025: {str(p): v for p, v in v25.items()}, 2026: {str(p): v for p, v in v26.items()}})
    il = ("NJC pay spine with the trust's inner London weighting", None, pts,
          {2025: {str(p): v + IL_WEIGHTING_2025 for p, v in v25.items()},
           2026: {str(p): v + w26 for p, v in v26.items()}})
    return {"njc": nat, "njc_inner_london": il}


def build_scales():
    """name -> (sc.Scale, title, area)"""
    out = {}
    for name, (title, area, pts, years) in teacher_scales().items():
        vals = {(y, p): v * 100 for y, vs in years.items() for p, v in zip(pts, vs)}
        out[name] = (sc.Scale(name, "teacher", pts, vals), title, area)
    for name, (title, area, pts, years) in njc_scales().items():
        vals = {(y, p): v * 100 for y, vs in years.items() for p, v in vs.items()}
        out[name] = (sc.Scale(name, "support", pts, vals), title, area)
    return out


# ---------------------------------------------------------------------------- rates
RATES = [sc.Rates(tax_year=ty, ni_bp=1500, ni_threshold_pence=500000, ni_upper_pence=5027000, tps_bp=2868,
                  levy_bp=50, levy_allowance_pence=1500000, employment_allowance_pence=1050000)
         for ty in (2025, 2026)]
# LGPS employer rates (INVENTED, plausible): the Newham fund (the Newham schools and the central
# team) and the Essex fund (Southend), each reset from April 2026 by the 2025 valuation.
LGPS_FUND = {"newham": {2025: 2100, 2026: 1950}, "essex": {2025: 2060, 2026: 1830}}

# ---------------------------------------------------------------------------- entities
# urn: (name, pupils, teachers' area, support scale, LGPS fund, phase)
ENTITIES = {
    "159901": ("Kingfisher Wharf", 690, "inner_london", "njc_inner_london", "newham", "primary"),
    "159902": ("Cormorant Dock", 630, "inner_london", "njc_inner_london", "newham", "primary"),
    "159903": ("Wagtail Fields", 660, "inner_london", "njc_inner_london", "newham", "primary"),
    "159904": ("Sandpiper Green", 522, "inner_london", "njc_inner_london", "newham", "primary"),
    "159905": ("Teal Basin", 409, "inner_london", "njc_inner_london", "newham", "primary"),
    "159906": ("Lapwing Bridge", 118, "inner_london", "njc_inner_london", "newham", "special"),
    "159907": ("Samphire Infant", 357, "england", "njc", "essex", "infant"),
    "159908": ("Samphire Junior", 478, "england", "njc", "essex", "junior"),
    "159909": ("Oystercatcher", 420, "england", "njc", "essex", "primary"),
    "central": ("central team", 0, "inner_london", "njc_inner_london", "newham", None),
}
CODES = ("E01", "E03", "E04", "E05", "E06", "E07")
# Entities that plan their staff by post in the demo (schools.staff_by_post = 1): none here;
# name one to have its budget's staff lines generated from its posts.
STAFF_BY_POST = ()


def budget_targets():
    """(urn, code) -> pence: the 2026-27 staff lines of 040_budgets.sql."""
    text = (HERE / "040_budgets.sql").read_text()
    pat = re.compile(r"WHERE s\.urn = '([a-z0-9]+)' AND b\.year = 2026\), \d+, "
                     r"\(SELECT id FROM accounts WHERE code = '(E0[1-7])'\), '(?:[^']|'')*', (-?\d+)")
    out = {}
    for urn, code, amount in pat.findall(text):
        out[(urn, code)] = out.get((urn, code), 0) + int(amount)
    return out


# ---------------------------------------------------------------------------- post templates
SURNAMES = ["Adeyemi", "Begum", "Clarke", "Dos Santos", "Evans", "Fofana", "Gill", "Hussain", "Iqbal",
            "Johnson", "Kowalski", "Lewis", "Mensah", "Nowak", "Okafor", "Patel", "Quinn", "Rahman",
            "Singh", "Thompson", "Uddin", "Vasquez", "Walker", "Xu", "Yilmaz", "Zielinski", "Ahmed",
            "Brown", "Chowdhury", "Davies", "Ellis", "Francis", "Green", "Hall", "Islam", "James",
            "Khan", "Lopes", "Miah", "Njoku", "Osei", "Price", "Roberts", "Shah", "Taylor", "Uzoma",
            "Varga", "White", "Young", "Ali", "Baker", "Campbell", "Dunn", "Edwards"]
INITIALS = "ABCDEFGHJKLMNPRSTW"
TERM_TIME = 4360                # 39 working weeks + holiday pay: 43.60 paid weeks of 52.143
LUNCH_WEEKS = 4120              # lunchtime supervisors: 39 weeks + a smaller holiday entitlement
TLR2A, TLR2B, TLR1 = 380000, 620000, 1020000   # 2026-27 TLR values used (within the ranges)
SEN_ALLOWANCE = 288500          # the SEN allowance's minimum 2025 (£2,787) x 1.035


class Entity:
    """The posts of one entity being built, with their costs."""

    def __init__(self, urn, scales, env):
        self.urn = urn
        self.name, self.pupils, self.area, self.support, self.fund, self.phase = ENTITIES[urn]
        self.scales = scales
        self.env = env
        self.rows = []                   # (Post, extra dict)
        self.counter = {}
        self.refs = {}
        self.n = 0

    def ts(self, rng):
        return self.scales[f"teachers_{rng}_{self.area}"][0]

    def njc(self):
        return self.scales[self.support][0]

    def post(self, prefix, title, role, code, scale, point, top, point_year=YEAR, fte_h=100, weeks=None,
             tlr=0, sen=0, other=0, pension=None, ni="A", start=None, end=None, vacant=False):
        self.counter[prefix] = self.counter.get(prefix, 0) + 1
        ref = f"{prefix}-{self.counter[prefix]:02d}"
        if pension is None:
            pension = "tps" if scale.kind == "teacher" else "lgps"
        p = sc.Post(urn=self.urn, reference=ref, code=code, role=role, scale=scale, point=point, top=top,
                    point_year=point_year, fte_h=fte_h, paid_weeks_h=weeks, allowances_pence=tlr + sen + other,
                    pension=pension, ni_category=ni, start=start, end=end, vacant=vacant)
        self.n += 1
        base = sum(ord(c) for c in self.urn)
        holder = None if vacant else \
            f"{INITIALS[(base + self.n * 5) % len(INITIALS)]}. {SURNAMES[(base + self.n * 7) % len(SURNAMES)]}"
        extra = {"title": title, "tlr": tlr, "sen": sen, "other": other, "holder": holder}
        return p, extra

    def cost(self, p):
        return sc.cost_year(p, self.env, YEAR).total

    def fill(self, code, target, fixed, extra_cycle):
        """Add the fixed posts (callables giving (Post, extra)) in order while they fit the target,
        then the cycle's; then either one more post of the next kind at the FTE that comes
        closest, or the last post's FTE changed, whichever comes closer."""
        total = 0
        out = []
        makers = list(fixed)
        i = 0
        nxt = None
        while True:
            if makers:
                make = makers.pop(0)
            elif extra_cycle:
                make = extra_cycle[i % len(extra_cycle)]
                i += 1
            else:
                break
            p, x = make()
            c = self.cost(p)
            if total + c > target * 1.002:
                nxt = (p, x)
                break
            out.append((p, x))
            total += c

        def best_fte(p, base):
            keep = p.fte_h
            best = (keep, self.cost(p))
            for f in range(5, 101):
                p.fte_h = f
                c = self.cost(p)
                if abs(target - base - c) < abs(target - base - best[1]):
                    best = (f, c)
            p.fte_h = keep
            return best

        options = [(abs(target - total), None)]
        if nxt is not None:
            f, c = best_fte(nxt[0], total)
            options.append((abs(target - total - c), ("add", f, c)))
        if out:
            last = out[-1][0]
            lc = self.cost(last)
            f, c = best_fte(last, total - lc)
            options.append((abs(target - total + lc - c), ("last", f, c)))
        _err, how = min(options, key=lambda o: o[0])
        if how is not None:
            kind, f, c = how
            p, x = nxt if kind == "add" else out[-1]
            p.fte_h = f
            if f < 90 and "(part-time)" not in x["title"]:
                x["title"] += " (part-time)"
            if kind == "add":
                out.append((p, x))
        # references numbered in order, per prefix
        for p, _x in out:
            prefix = p.reference.split("-")[0]
            self.refs[prefix] = self.refs.get(prefix, 0) + 1
            p.reference = f"{prefix}-{self.refs[prefix]:02d}"
        self.rows.extend(out)


# ---------------------------------------------------------------------------- each entity's structure

def school_posts(e, targets):
    """A school's posts on E01, E03, E04, E05, E07 (no school budgets E06: catering is contracted)."""
    urn = e.urn
    main, upper, lead = e.ts("main"), e.ts("upper"), e.ts("leadership")
    njc = e.njc()
    special = e.phase == "special"
    big = e.pupils >= 600
    # head's point by size (the head teacher group's range, the head at its top)
    head_pt = {True: 24, False: 20}[big] if not special else 22
    if e.pupils < 450 and not special:
        head_pt = 18
    phases = {"infant": ["Nursery", "Reception", "Year 1", "Year 2"],
              "junior": ["Year 3", "Year 4", "Year 5", "Year 6"],
              "primary": ["Nursery", "Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6"],
              "special": ["Early years", "Key stage 1", "Lower key stage 2", "Upper key stage 2",
                          "Key stage 3", "Key stage 4", "Sixth form", "Complex needs"]}[e.phase]
    forms = max(1, round(e.pupils / (210 if e.phase == "primary" else 120 if e.phase != "special" else 12)))
    if e.phase in ("infant", "junior"):
        forms = max(1, round(e.pupils / 120))
    # class teachers: a cycle of points and point years (some moved up a point this September)
    cycle = [("M1", 2026, "main"), ("M3", 2025, "main"), ("U1", 2026, "upper"), ("M5", 2026, "main"),
             ("M2", 2026, "main"), ("M2", 2025, "main"), ("U2", 2025, "upper"), ("M6", 2026, "main"),
             ("M4", 2026, "main"), ("U3", 2026, "upper"), ("M6", 2025, "main"), ("M1", 2026, "main")]
    classes = []
    for ph in phases:
        n = 1 if ph == "Nursery" else (forms if not special else 2)
        for k in range(n):
            classes.append(f"{ph} {'ABCDEF'[k]}" if n > 1 else ph)

    def teacher(title, i, **kw):
        pt, py, rng = cycle[i % len(cycle)]
        sc_ = main if rng == "main" else upper
        return lambda: e.post("TCH", f"Class teacher, {title}" if not title.startswith("Teacher") else title,
                              "teacher", "E01", sc_, pt, None, point_year=py, **kw)

    fixed = [
        lambda: e.post("LDR", "Headteacher", "leadership", "E01", lead, f"L{head_pt}", f"L{head_pt}", point_year=2025),
        lambda: e.post("LDR", "Deputy headteacher", "leadership", "E01", lead, f"L{head_pt - 10}",
                       f"L{head_pt - 6}", point_year=2025),
        lambda: e.post("LDR", "Assistant headteacher (inclusion, SENCO)", "leadership", "E01", lead,
                       f"L{head_pt - 16}", f"L{head_pt - 12}", sen=0),
        lambda: e.post("LDR", "Assistant headteacher (curriculum)", "leadership", "E01", lead,
                       f"L{head_pt - 17}", f"L{head_pt - 13}", point_year=2025),
    ]
    tlr_for = {2: TLR2B, 5: TLR2A, 9: TLR2A, 13: TLR2A}
    for i, cl in enumerate(classes):
        kw = {}
        if special:
            kw["sen"] = SEN_ALLOWANCE + (100000 if i % 3 == 0 else 0)
        if i in tlr_for:
            kw["tlr"] = TLR1 if (i == 2 and big) else tlr_for[i]
        if i == 7:                              # a maternity cover from January, not yet filled
            kw.update(start=_d("2027-01-04"), vacant=True)
        if i == 11:                             # a fixed-term post to Easter
            kw.update(end=_d("2027-04-09"))
        fixed.append(teacher(cl, i, **kw))
    extra = [teacher("Teacher, PPA cover", 3), teacher("Teacher, intervention and catch-up", 0),
             teacher("Teacher, English as an additional language", 6)]
    if special:
        extra = [teacher("Teacher, complex needs class", 4, sen=SEN_ALLOWANCE + 100000),
                 teacher("Teacher, outreach", 9, sen=SEN_ALLOWANCE)]
    e.fill("E01", targets.get((urn, "E01"), 0), fixed, extra)

    # E03: teaching assistants, term-time
    ta_fixed = [
        lambda: e.post("TA", "Higher level teaching assistant", "teaching_assistant", "E03", njc, "14", "17",
                       weeks=TERM_TIME),
        lambda: e.post("TA", "Higher level teaching assistant", "teaching_assistant", "E03", njc, "16", "17",
                       weeks=TERM_TIME, point_year=2025),
        lambda: e.post("TA", "Teaching assistant apprentice", "teaching_assistant", "E03", njc, "3", "3",
                       weeks=TERM_TIME, ni="H"),
        lambda: e.post("TA", "Teaching assistant (under 21)", "teaching_assistant", "E03", njc, "4", "6",
                       weeks=TERM_TIME, fte_h=88, ni="M"),
        lambda: e.post("TA", "Teaching assistant, level 2", "teaching_assistant", "E03", njc, "5", "8",
                       weeks=TERM_TIME, fte_h=88, start=_d("2026-10-13")),
        lambda: e.post("TA", "Teaching assistant, level 3 (SEN)", "teaching_assistant", "E03", njc, "9", "11",
                       weeks=TERM_TIME, fte_h=88, end=_d("2027-03-31")),
    ]
    ta_cycle = [
        lambda: e.post("TA", "Teaching assistant, level 2", "teaching_assistant", "E03", njc, "5", "8",
                       weeks=TERM_TIME, fte_h=88),
        lambda: e.post("TA", "Teaching assistant, level 3 (SEN 1:1)", "teaching_assistant", "E03", njc, "9", "11",
                       weeks=TERM_TIME, fte_h=88, point_year=2025),
        lambda: e.post("TA", "Teaching assistant, level 2", "teaching_assistant", "E03", njc, "7", "8",
                       weeks=TERM_TIME, fte_h=80),
        lambda: e.post("TA", "Teaching assistant, level 1", "teaching_assistant", "E03", njc, "3", "4",
                       weeks=TERM_TIME, fte_h=88),
    ]
    if special:
        ta_cycle = [
            lambda: e.post("TA", "Teaching assistant, level 3 (complex needs)", "teaching_assistant", "E03", njc,
                           "9", "11", weeks=TERM_TIME, fte_h=92),
            lambda: e.post("TA", "Teaching assistant, level 3 (1:1)", "teaching_assistant", "E03", njc, "10", "11",
                           weeks=TERM_TIME, fte_h=92, point_year=2025),
            lambda: e.post("TA", "Teaching assistant, level 2", "teaching_assistant", "E03", njc, "6", "8",
                           weeks=TERM_TIME, fte_h=92),
        ]
    e.fill("E03", targets.get((urn, "E03"), 0), ta_fixed, ta_cycle)

    # E04: premises, all year
    prem = [lambda: e.post("PRM", "Site manager", "premises", "E04", njc, "17", "20")]
    prem_cycle = [lambda: e.post("PRM", "Caretaker", "premises", "E04", njc, "6", "8")]
    e.fill("E04", targets.get((urn, "E04"), 0), prem, prem_cycle)

    # E05: administration
    adm = [
        lambda: e.post("ADM", "School business manager", "admin", "E05", njc, "29" if big else "25",
                       "32" if big else "28", point_year=2025),
        lambda: e.post("ADM", "Office manager", "admin", "E05", njc, "17", "20"),
        lambda: e.post("ADM", "Business administration apprentice", "admin", "E05", njc, "3", "3", ni="H"),
        lambda: e.post("ADM", "Receptionist", "admin", "E05", njc, "6", "8", weeks=TERM_TIME),
    ]
    adm_cycle = [
        lambda: e.post("ADM", "Administrative officer", "admin", "E05", njc, "9", "12", weeks=TERM_TIME),
        lambda: e.post("ADM", "Data and attendance officer", "admin", "E05", njc, "12", "15", point_year=2025),
        lambda: e.post("ADM", "Finance officer", "admin", "E05", njc, "13", "17"),
    ]
    e.fill("E05", targets.get((urn, "E05"), 0), adm, adm_cycle)

    # E07: other staff
    if special:
        oth = [lambda: e.post("OTH", "Speech and language therapist", "other_support", "E07", njc, "30", "33"),
               lambda: e.post("OTH", "School nurse", "other_support", "E07", njc, "26", "29", fte_h=60)]
        oth_cycle = [lambda: e.post("OTH", "Family liaison officer", "other_support", "E07", njc, "17", "20",
                                    weeks=TERM_TIME)]
    elif e.area == "inner_london":
        oth = [lambda: e.post("OTH", "Family support worker", "other_support", "E07", njc, "17", "20",
                              weeks=TERM_TIME, fte_h=60)]
        oth_cycle = [lambda: e.post("OTH", "Lunchtime supervisor", "other_support", "E07", njc, "3", "3",
                                    weeks=LUNCH_WEEKS, fte_h=20)]
    else:
        oth = []
        oth_cycle = [lambda: e.post("OTH", "Lunchtime supervisor", "other_support", "E07", njc, "3", "3",
                                    weeks=LUNCH_WEEKS, fte_h=20)]
    e.fill("E07", targets.get((urn, "E07"), 0), oth, oth_cycle)


def central_posts(e, targets):
    lead = e.ts("leadership")
    njc = e.njc()
    # E07: executive leadership and school improvement (teachers' leadership range, TPS)
    exec_ = [lambda: e.post("EXE", "Chief executive officer", "other_support", "E07", lead, "L43", "L43",
                            pension="tps"),
             lambda: e.post("EXE", "Director of education", "other_support", "E07", lead, "L30", "L33",
                            point_year=2025, pension="tps")]
    exec_cycle = [lambda: e.post("EXE", "School improvement partner", "other_support", "E07", lead, "L16", "L19",
                                 pension="tps")]
    e.fill("E07", targets[("central", "E07")], exec_, exec_cycle)
    # E05: finance, HR, estates, ICT and governance (the CFO on the leadership range, LGPS)
    cen = [
        lambda: e.post("CEN", "Chief financial officer", "admin", "E05", lead, "L24", "L27", pension="lgps"),
        lambda: e.post("CEN", "Head of HR", "admin", "E05", njc, "38", "41"),
        lambda: e.post("CEN", "Finance manager", "admin", "E05", njc, "35", "38", point_year=2025),
        lambda: e.post("CEN", "IT and data manager", "admin", "E05", njc, "34", "37"),
        lambda: e.post("CEN", "Governance professional", "admin", "E05", njc, "30", "33", fte_h=80),
        lambda: e.post("CEN", "Finance apprentice", "admin", "E05", njc, "3", "3", ni="H"),
        lambda: e.post("CEN", "Payroll and pensions officer", "admin", "E05", njc, "20", "23"),
        lambda: e.post("CEN", "HR officer", "admin", "E05", njc, "20", "23", point_year=2025),
    ]
    cen_cycle = [
        lambda: e.post("CEN", "Finance officer", "admin", "E05", njc, "17", "20"),
        lambda: e.post("CEN", "IT technician", "admin", "E05", njc, "12", "17"),
        lambda: e.post("CEN", "Data protection and compliance officer", "admin", "E05", njc, "24", "27"),
    ]
    e.fill("E05", targets[("central", "E05")], cen, cen_cycle)
    e.fill("E04", targets[("central", "E04")],
           [lambda: e.post("CEN", "Estates manager", "premises", "E04", njc, "27", "30")], [])


def _d(s):
    import datetime
    return datetime.date.fromisoformat(s)


# ---------------------------------------------------------------------------- SQL

def q(s):
    return "NULL" if s is None else "'" + str(s).replace("'", "''") + "'"


def build():
    scales = build_scales()
    lgps = {}
    for urn, ent in ENTITIES.items():
        for ty, bp in LGPS_FUND[ent[4]].items():
            lgps[(urn, ty)] = bp
    env = sc.Env(rates=RATES, lgps=lgps)
    targets = budget_targets()
    ents = []
    for urn in ENTITIES:
        e = Entity(urn, scales, env)
        if urn == "central":
            central_posts(e, targets)
        else:
            school_posts(e, targets)
        ents.append(e)
    return scales, lgps, env, targets, ents


def table(env, targets, ents):
    rows = []
    for e in ents:
        by = {}
        for p, _x in e.rows:
            by[p.code] = by.get(p.code, 0) + sc.cost_year(p, env, YEAR).total
        for code in CODES:
            b, c = targets.get((e.urn, code), 0), by.get(code, 0)
            if b or c:
                rows.append((e.urn, code, b, c, (c - b) * 100 / b if b else float("inf")))
    return rows


def pounds(p):
    return f"{p / 100:,.2f}"


def sql(scales, lgps, env, targets, ents):
    out = []
    w = out.append
    w("-- 070_staffing: the demo trust's pay scales, on-cost rates, LGPS fund rates and posts (issue 16).")
    w("-- GENERATED by schema/seed/gen_staffing.py (deterministic): edit that script and run it again,")
    w("-- never this file. Every post and holder's name is INVENTED.")
    w("--")
    w("-- Pay scales (pounds x 100 = pence):")
    w("-- * Teachers, 2025-26 (STPCD 2025, the 4% award): every range's minimum and maximum as published;")
    w("--   the main, upper and unqualified intermediate points the published advisory points;")
    w("--   leadership L2-L42 DERIVED (England's geometric between the published L1 and L43, each area's")
    w("--   uplift linear between its published ends). 2026-27 DERIVED: 2025-26 x 1.035 to the pound")
    w("--   (unqualified x 1.05), the September 2026 award (domain.md section 8).")
    w("-- * NJC spine, pay year 2025 (April 2025): the published April 2024 spine (points 2-43) x 1.032 to")
    w("--   the pound, as the 2025 agreement applies; pay year 2026: x 1.033 (the April 2026 offer,")
    w("--   unconfirmed), point 2 deleted. njc_inner_london adds the trust's inner London weighting")
    w(f"--   (INVENTED, £{IL_WEIGHTING_2025:,} in 2025, raised by the award) for the Newham schools and the central team.")
    w("-- On-costs (tax years 2025, 2026): NI 15% above £5,000, upper secondary threshold £50,270; TPS 28.68%;")
    w("-- levy 0.5% less £15,000; employment allowance £10,500. LGPS (INVENTED): Newham fund 21.00% then")
    w("-- 19.50% from April 2026; Essex fund 20.60% then 18.30%.")
    w("-- The posts are sized so each entity's 2026-27 costs on E01, E03-E07 come within a few per cent of")
    w("-- its budget lines in 040_budgets.sql (README \"The demo trust\" has the table). Term-time staff are")
    w(f"-- paid {TERM_TIME / 100:.2f} weeks of 52.143 (39 working weeks and their holiday pay).")
    w("")
    w("INSERT INTO pay_scales (name, title, kind, area) VALUES")
    items = []
    for name, (s, title, area) in scales.items():
        items.append(f"({q(name)}, {q(title)}, {q(s.kind)}, {q(area)})")
    w(",\n".join(items) + ";")
    w("")
    for name, (s, _title, _area) in scales.items():
        w(f"SET @s = (SELECT id FROM pay_scales WHERE name = {q(name)});")
        vals = []
        for y in s.years():
            for ord_, pt in enumerate(s.points, start=1):
                if (y, pt) in s.values:
                    o = int(pt) if s.kind == "support" else ord_
                    vals.append(f"(@s, {y}, {q(pt)}, {o}, {s.values[(y, pt)]})")
        w("INSERT INTO pay_scale_points (scale_id, year, point, ord, annual_pence) VALUES")
        lines = [", ".join(vals[i:i + 6]) for i in range(0, len(vals), 6)]
        w(",\n".join(lines) + ";")
    w("")
    w("INSERT INTO staff_rates (tax_year, ni_bp, ni_threshold_pence, ni_upper_pence, tps_bp, levy_bp, "
      "levy_allowance_pence, employment_allowance_pence) VALUES")
    w(",\n".join(f"({r.tax_year}, {r.ni_bp}, {r.ni_threshold_pence}, {r.ni_upper_pence}, {r.tps_bp}, {r.levy_bp}, "
                 f"{r.levy_allowance_pence}, {r.employment_allowance_pence})" for r in RATES) + ";")
    w("")
    w("INSERT INTO lgps_rates (school_id, tax_year, rate_bp) VALUES")
    w(",\n".join(f"((SELECT id FROM schools WHERE urn = {q(u)}), {ty}, {bp})" for (u, ty), bp in lgps.items()) + ";")
    w("")
    for code in ("E01", "E03", "E04", "E05", "E07"):
        w(f"SET @{code} = (SELECT id FROM accounts WHERE code = {q(code)});")
    for name in scales:
        w(f"SET @sc_{name} = (SELECT id FROM pay_scales WHERE name = {q(name)});")
    cols = ("school_id, reference, title, role, account_id, scale_id, point, top_point, point_year, fte_h, "
            "paid_weeks_h, tlr_pence, sen_pence, fringe_pence, other_allowance_pence, pension, ni_category, "
            "starts_on, ends_on, vacant, holder_name")
    rows = table(env, targets, ents)
    for e in ents:
        w("")
        w(f"-- {e.urn} {e.name}: {len(e.rows)} posts")
        for (u, code, b, c, pct) in rows:
            if u == e.urn:
                w(f"--   {code}: budget {pounds(b)}, posts {pounds(c)} ({pct:+.2f}%)")
        w(f"SET @e = (SELECT id FROM schools WHERE urn = {q(e.urn)});")
        w(f"INSERT INTO posts ({cols}) VALUES")
        vals = []
        for p, x in e.rows:
            vals.append(
                f"(@e, {q(p.reference)}, {q(x['title'])}, {q(p.role)}, @{p.code}, @sc_{p.scale.name}, {q(p.point)}, "
                f"{q(p.top)}, {p.point_year}, {p.fte_h}, {p.paid_weeks_h if p.paid_weeks_h else 'NULL'}, "
                f"{x['tlr']}, {x['sen']}, 0, {x['other']}, {q(p.pension)}, {q(p.ni_category)}, "
                f"{q(p.start.isoformat() if p.start else None)}, {q(p.end.isoformat() if p.end else None)}, "
                f"{1 if p.vacant else 0}, {q(x['holder'])})")
        w(",\n".join(vals) + ";")
    if STAFF_BY_POST:
        w("")
        w("UPDATE schools SET staff_by_post = 1 WHERE urn IN (" + ", ".join(q(u) for u in STAFF_BY_POST) + ");")
    return "\n".join(out) + "\n"


def main():
    scales, lgps, env, targets, ents = build()
    text = sql(scales, lgps, env, targets, ents)
    (HERE / "070_staffing.sql").write_text(text)
    if "--table" in sys.argv:
        print("| entity | code | budget £ | posts' cost £ | difference |")
        print("|---|---|---:|---:|---:|")
        for urn, code, b, c, pct in table(env, targets, ents):
            print(f"| {urn} | {code} | {pounds(b)} | {pounds(c)} | {pct:+.2f}% |")
        for e in ents:
            fte = {}
            for p, _x in e.rows:
                fte[p.role] = fte.get(p.role, 0) + p.fte_h
            print(f"{e.urn} {e.name}: {len(e.rows)} posts, " +
                  ", ".join(f"{r} {v / 100:.2f} FTE" for r, v in fte.items()))
        t = sc.cost_trust([p for e in ents for p, _x in e.rows], env, YEAR)
        print(f"posts {sum(len(e.rows) for e in ents)}; pay bill {pounds(t.pay_bill)}; levy {pounds(t.levy)}; "
              f"employment allowance {pounds(t.employment_allowance)}")


if __name__ == "__main__":
    main()
