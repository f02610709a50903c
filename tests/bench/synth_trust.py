#!/usr/bin/python3
"""tests/bench/synth_trust.py N: SQL for a synthetic trust of N schools and its central team,
for the forecast benchmark through the API (tests/bench/forecast.sh). Never part of make test.

Every school has a 2026-27 budget of 60 approved lines, the census of 2024-2026 and opening
reserves; half pool their GAG (finance_model `central`: they budget the pool allocation INT05,
the central team budgets their GAG as I01 and passes it back as INT06), half pay the top-slice
(`local`: I01 and the INT01 charge). The central team has 60 lines too. Shared services with
entered costs: two traded ones every school takes (cleaning per pupil on E14, professional
services in equal shares on E28a: no school budgets those codes, so each gets a line of its own)
and a core one at the centre (insurance on E23). One scenario,
`synthetic`, like the demo trust's `expected` without its school-specific projections. The
chart of accounts comes from schema/seed/010_accounts.sql, loaded before this. Figures are
invented and deterministic (no randomness: the same N gives the same SQL)."""
import sys

LINES = 60
# (code, description, share of the school's GAG in basis points; negative: a cost)
INCOME = [("I03", "High-needs top-ups", 300), ("I05", "Pupil premium", 900), ("I06", "UIFSM and PE grant", 250),
          ("I07", "Early years", 350), ("I08", "Lettings", 60), ("I09", "Catering", 150),
          ("I12", "Trips", 40), ("I13", "Donations", 10), ("I15", "Extended schools", 20),
          ("I17", "Community facilities", 15), ("I18", "Additional grant", 120)]
# 48 cost lines: several lines on the larger codes, as budgets have them
COSTS = ([("E01", f"Teachers: team {k}", 1000) for k in range(1, 9)]
         + [("E02", "Supply teachers", 150), ("E26", "Agency supply", 100)]
         + [("E03", f"Teaching assistants: team {k}", 400) for k in range(1, 7)]
         + [("E04", "Premises staff", 150), ("E05", "Office staff", 350), ("E05", "Business manager", 120),
            ("E06", "Catering staff", 200), ("E07", "Other staff", 80), ("E08", "Staff expenses", 20),
            ("E09", "Training", 50), ("E10", "Supply insurance", 60), ("E11", "Staff insurance", 20),
            ("E12", "Building maintenance", 150), ("E13", "Grounds", 40), ("E15", "Water", 30),
            ("E16", "Energy", 250), ("E17", "Rates", 60), ("E18", "Other occupation", 40),
            ("E19", "Learning resources", 180), ("E20", "ICT resources", 120), ("E21", "Exam fees", 5),
            ("E22", "Office supplies", 50), ("E23", "RPA and insurance", 40), ("E24", "Special facilities", 30),
            ("E25", "Catering supplies", 160), ("E27", "Curriculum services", 60), ("E28b", "PFI", 0),
            ("E29", "Loan interest", 5), ("E30", "Revenue to capital", 50), ("E31", "Community staff", 20),
            ("E32", "Community costs", 15), ("E19", "Library", 20), ("E20", "ICT licences", 50),
            ("E12", "Reactive repairs", 60), ("CON01", "Contingency", 100)])
TOPSLICE_BP, RETENTION_BP = 500, 600


def q(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"


def main():
    n = int(sys.argv[1])
    out = sys.stdout
    w = out.write
    w("-- synthetic trust of %d schools (tests/bench/synth_trust.py)\n" % n)
    # Explicit ids (the central team 1, the schools 2 ..): what follows names schools by them, and a
    # Galera node hands out auto-increment ids in its own steps (1, 4, 7 ...), never consecutive.
    w("INSERT INTO schools (id, urn, kind, name, phase, local_authority, finance_model, floor_area_m2) VALUES\n")
    rows = ["(1, 'central', 'central', 'Synthetic Trust central team', NULL, '', '', NULL)"]
    for i in range(n):
        model = "central" if i % 2 == 0 else "local"
        rows.append("(%d, '%06d', 'school', 'Synthetic School %d', 'primary', 'Synthshire', '%s', %d)"
                    % (i + 2, 300001 + i, i + 1, model, 2500 + i % 900))
    w(",\n".join(rows) + ";\n")

    pooled_gag = 0
    topslices = 0
    schools = []
    for i in range(n):
        urn = "%06d" % (300001 + i)
        pupils = 220 + (i * 37) % 480
        p24, p25, p26 = pupils + 12 * (i % 3), pupils + 6 * (i % 3), pupils
        gag = p25 * 600000                            # ~£6,000 a funded pupil (Oct 2025 census)
        rates = 60 * gag // 10000
        pooled = i % 2 == 0
        lines = []
        if pooled:
            alloc = (gag - rates) * (10000 - RETENTION_BP) // 10000 + rates
            pooled_gag += gag
            lines.append(("INT05", "GAG allocation from the pool", alloc, 0))
        else:
            lines.append(("I01", "GAG", gag, 0))
        for code, desc, bp in INCOME:
            lines.append((code, desc, gag * bp // 10000, 0))
        if not pooled:
            charge = (gag - rates) * TOPSLICE_BP // 10000
            topslices += charge
            lines.append(("INT01", "Central services charge", charge, 0))
        income = sum(a for c, _, a, _ in lines if c.startswith("I") and c != "INT01")
        costs_bp = sum(bp for _, _, bp in COSTS)
        charge = sum(a for c, _, a, _ in lines if c == "INT01")
        spend = income - charge - income * ((i % 7) - 3) // 100    # between -3% and +3% in year
        for code, desc, bp in COSTS:
            if len(lines) >= LINES:
                break
            lines.append((code, desc, spend * bp // costs_bp, 1 if code == "E17" else 0))
        while len(lines) < LINES:
            lines.append(("E22", "Sundries", 100000, 0))
        reserves = income * (3 + i % 12) // 100
        schools.append((urn, p24, p25, p26, reserves, lines))

    central = [("I01", "GAG of the pooled schools", pooled_gag, 0),
               ("INT06", "GAG allocations to the pooled schools", 0, 0),
               ("INT02", "Central services charges", topslices, 0)]
    budget = pooled_gag * RETENTION_BP // 10000 + topslices
    for k in range(LINES - len(central)):
        code, desc, bp = COSTS[k % len(COSTS)]
        central.append((code, "Central: " + desc, max(budget // (LINES - 3), 100), 0))
    central_alloc = sum(l[2] for s in schools for l in s[5] if l[0] == "INT05")
    central[1] = ("INT06", central[1][1], central_alloc, 0)

    w("INSERT INTO school_years (school_id, year, pupils, fte_hundredths, opening_reserves_pence, "
      "reserves_basis) VALUES\n")
    rows = []
    for sid, (urn, p24, p25, p26, reserves, _) in enumerate(schools, start=2):
        rows += ["(%d, 2024, %d, NULL, NULL, NULL)" % (sid, p24), "(%d, 2025, %d, NULL, NULL, NULL)" % (sid, p25),
                 "(%d, 2026, %d, %d, %d, 'estimated')" % (sid, p26, p26 * 11, reserves)]
    rows.append("(1, 2026, NULL, 2250, %d, 'estimated')" % (budget // 5))
    w(",\n".join(rows) + ";\n")

    w("INSERT INTO budgets (school_id, year, status) VALUES\n")
    w(",\n".join("(%d, 2026, 'approved')" % sid for sid in range(1, n + 2)) + ";\n")
    w("CREATE TEMPORARY TABLE synth_lines (sid INT, no INT, code VARCHAR(8), d VARCHAR(200), a BIGINT, x TINYINT);\n")
    entity_lines = [(1, central)] + [(sid, s[5]) for sid, s in enumerate(schools, start=2)]
    for at in range(0, len(entity_lines), 200):
        rows = []
        for sid, lines in entity_lines[at:at + 200]:
            rows += ["(%d, %d, %s, %s, %d, %d)" % (sid, no, q(c), q(d), a, x)
                     for no, (c, d, a, x) in enumerate(lines, start=1)]
        w("INSERT INTO synth_lines VALUES\n" + ",\n".join(rows) + ";\n")
    w("INSERT INTO budget_lines (budget_id, line_no, account_id, description, amount_pence, excluded_from_central) "
      "SELECT b.id, l.no, a.id, l.d, l.a, l.x FROM synth_lines l JOIN budgets b ON b.school_id = l.sid "
      "AND b.year = 2026 JOIN accounts a ON a.code = l.code;\n")
    w("DROP TEMPORARY TABLE synth_lines;\n")
    w("INSERT INTO services (name, category, description, account_code, funding, basis, annual_cost_pence, "
      "annual_vat_pence) VALUES "
      "('Cleaning', 'cleaning', 'Synthetic', 'E14', 'traded', 'per_pupil', %d, 0), "
      "('Professional services', 'professional', 'Synthetic', 'E28a', 'traded', 'equal', %d, 0), "
      "('Insurance', 'insurance', 'Synthetic', 'E23', 'core', 'per_pupil', %d, 0);\n"
      % (n * 2500000, n * 800000, n * 300000))
    w("INSERT INTO subscriptions (service_id, school_id, start_date) SELECT sv.id, sc.id, '2026-09-01' "
      "FROM services sv JOIN schools sc ON sc.kind = 'school' WHERE sv.funding = 'traded' ORDER BY sv.id, sc.id;\n")
    spec = ('{"assumptions":{"funding_per_pupil_bp":{"2027-28":210,"2028-29":100},"place_rate_pence":'
            '{"2027-28":1000000},"teacher_pay_bp":{"2027-28":250,"2028-29":200},"support_pay_bp":{"2027-28":300},'
            '"teacher_oncost_bp":{"2028-29":155},"support_oncost_bp":{},"inflation_bp":{"cpi":{"2027-28":300,'
            '"2028-29":250,"2029-30":200},"energy":{"2027-28":400,"2028-29":300},"nlw":{"2027-28":410,'
            '"2028-29":300}},"retender_change_bp":{"2027-28":500},"base_support_pay_bp":300,'
            '"base_teacher_oncost_bp":0,"base_support_oncost_bp":0},"pupils":{},"places":{}}')
    w("INSERT INTO scenarios (name, description, base_year, horizon, spec_json) VALUES "
      "('synthetic', 'The synthetic trust''s central case', 2026, 5, %s);\n" % q(spec))


if __name__ == "__main__":
    main()
