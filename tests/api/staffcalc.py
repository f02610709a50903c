"""staffcalc: an independent costing of posts (issue 16), written from the rules in
/work/wt/ISSUE16_CONTRACT.md section 2 and DESIGN.md "Staffing", in Python with exact
fractions. It shares no code with bursard (no C, no ctypes, no call into the daemon): the
API tests cost the demo's posts with it and compare each post's twelve months to what
bursard says, to the penny; schema/seed/gen_staffing.py sizes the demo's posts with it.

The rules, as this module implements them:
- Months of an academic year y: m = 0..11, September of y to August of y+1.
- The point in month m: from `point` at the start of `point_year`; a teacher scale
  moves up one point each September after point_year (September of point_year+1 the
  first), a support scale each April after the start of point_year (April of
  point_year+1 the first); never beyond `top`, never below `point`.
- The rate: a teacher scale's values of academic year y; a support scale's of pay year
  y for September-March and y+1 for April-August. After a scale's last year with data
  the last value raised by each later year's award (rounded to the penny each year);
  before its first, the first year's.
- Month pay = round(annual x fte/100 x share x d/D / 12 + allowances x d/D / 12): one
  rounding, half away from zero; share = paid_weeks_h x 10 / 52143 (1 when all year);
  d the month's days the post is active (starts_on..ends_on inclusive), D the month's
  days; an FTE change inside a month splits the days, each part at its FTE.
- NI on the month's tax year (September-March: tax year y; April-August: y+1): A,
  round(max(0, pay - T) x ni_bp / 10000), T = round(threshold / 12); M and H the same
  above U = round(upper / 12). Never pro-rated for part months.
- Pension: round(pay x rate / 10000): TPS the tax year's rate (or the latest rate change
  in force on the month's first day), LGPS the entity's fund rate for the tax year (or a
  change), none 0. A tax year after the last one given repeats the last; before the
  first, the first.
- Vacant posts are costed as filled.
- The trust (the central team's): the apprenticeship levy, per tax year from its April,
  HMRC's monthly cumulative method: due to date = max(0, round(pay to date x levy_bp /
  10000) - allowance to date), the allowance to date levy_allowance x k / 12 after k
  months (rounded); each month books due to date less what the months before booked. The
  employment allowance: set against the trust's employer NI month by month from April
  until the tax year's allowance is used (a negative amount). Both are booked only in the
  months of year y, but tax year y starts in April of academic year y-1: its April-August
  (the posts costed for year y-1) count towards the pay and NI to date; a post with no
  scale value then (a point new in year y) is left out of them.
"""
import datetime
from dataclasses import dataclass, field
from fractions import Fraction

FULL_WEEKS_X1000 = 52143
MONTHS = 12


# --------------------------------------------------------------------------- arithmetic

def rnd(x):
    """A Fraction (or int) rounded to an integer, half away from zero."""
    x = Fraction(x)
    n = (abs(x.numerator) * 2 + x.denominator) // (2 * x.denominator)
    return n if x >= 0 else -n


def month_first(year, m):
    """The first day (datetime.date) of month m (0 = September) of academic year `year`."""
    return datetime.date(year + (1 if m >= 4 else 0), (m + 8) % 12 + 1, 1)


def month_days(year, m):
    first = month_first(year, m)
    nxt = datetime.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return (nxt - first).days


def tax_year(year, m):
    return year if m < 7 else year + 1


def parse_year(s):
    """'2026-27' -> 2026 (an int passes through)."""
    return s if isinstance(s, int) else int(str(s).split("-")[0])


def parse_date(s):
    return None if s is None else datetime.date.fromisoformat(s)


# --------------------------------------------------------------------------- data

@dataclass
class Scale:
    name: str
    kind: str                         # 'teacher' or 'support'
    points: list                      # point names in ord order
    values: dict                      # (year, point) -> annual pence

    def index(self, point):
        return self.points.index(point)

    def years(self):
        return sorted({y for (y, _p) in self.values})


@dataclass
class Awards:
    base_year: int
    teacher_bp: dict = field(default_factory=dict)    # academic year -> bp (September award)
    support_bp: dict = field(default_factory=dict)    # pay year -> bp (April award)


@dataclass
class Rates:
    tax_year: int
    ni_bp: int
    ni_threshold_pence: int
    ni_upper_pence: int
    tps_bp: int
    levy_bp: int
    levy_allowance_pence: int
    employment_allowance_pence: int


@dataclass
class RateChange:
    scheme: str                       # 'tps' or 'lgps'
    urn: str                          # lgps: the entity, or '' for every entity
    start: datetime.date              # the first day of a month
    rate_bp: int


@dataclass
class Env:
    rates: list                       # [Rates]
    lgps: dict                        # (urn, tax_year) -> bp
    changes: list = field(default_factory=list)       # [RateChange], in order (later wins)
    awards: Awards = None

    def rates_for(self, ty):
        rs = sorted(self.rates, key=lambda r: r.tax_year)
        best = rs[0]
        for r in rs:
            if r.tax_year <= ty:
                best = r
        return best

    def lgps_for(self, urn, ty):
        years = sorted(y for (u, y) in self.lgps if u == urn)
        if not years:
            raise ValueError(f"no LGPS rate for {urn}")
        best = years[0]
        for y in years:
            if y <= ty:
                best = y
        return self.lgps[(urn, best)]


@dataclass
class Post:
    urn: str
    reference: str
    code: str
    role: str
    scale: Scale
    point: str
    top: str                          # None: the scale's top
    point_year: int
    fte_h: int
    paid_weeks_h: int = None          # None: all year
    allowances_pence: int = 0         # TLR + SEN + fringe + other, a year
    pension: str = "tps"
    ni_category: str = "A"
    start: datetime.date = None
    end: datetime.date = None
    vacant: bool = False
    fte_changes: list = field(default_factory=list)   # [(date, fte_h)] sorted


@dataclass
class Cost:
    months: list                      # 12 x (pay, ni, pension)
    fte_h: int
    active_months: int

    @property
    def pay(self):
        return sum(m[0] for m in self.months)

    @property
    def ni(self):
        return sum(m[1] for m in self.months)

    @property
    def pension(self):
        return sum(m[2] for m in self.months)

    @property
    def total(self):
        return self.pay + self.ni + self.pension


# --------------------------------------------------------------------------- scales

def scale_value(scale, point, year, awards=None):
    """A scale's full-time annual pence for (point name, year); ValueError when none."""
    years = scale.years()
    if not years:
        raise ValueError(f"{scale.name} has no values")
    if year < years[0]:
        y = years[0]
    elif year > years[-1]:
        y = years[-1]
    else:
        y = year
    if (y, point) not in scale.values:
        raise ValueError(f"{scale.name} has no value for {point} in {y}")
    v = scale.values[(y, point)]
    for later in range(years[-1] + 1, year + 1):
        bp = 0
        if awards is not None:
            table = awards.teacher_bp if scale.kind == "teacher" else awards.support_bp
            bp = table.get(later, 0)
        v = rnd(Fraction(v * (10000 + bp), 10000))
    return v


def point_in_month(post, year, m):
    """The point (name) a post holds in month m of academic year `year`."""
    s = post.scale
    p0 = s.index(post.point)
    top = s.index(post.top) if post.top is not None else len(s.points) - 1
    if s.kind == "teacher":
        steps = year - post.point_year
    else:
        steps = (year + 1 if m >= 7 else year) - post.point_year
    return s.points[max(p0, min(top, p0 + max(0, steps)))]


def rate_year(scale, year, m):
    return year if scale.kind == "teacher" or m < 7 else year + 1


# --------------------------------------------------------------------------- one post

def fte_on(post, day):
    f = post.fte_h
    for start, fte in post.fte_changes:
        if start <= day:
            f = fte
    return f


def active(post, day):
    return (post.start is None or day >= post.start) and (post.end is None or day <= post.end)


def cost_year(post, env, year, only=range(MONTHS)):
    """One post's twelve months of academic year `year`: a Cost (`only`: the months to cost,
    the others 0)."""
    share = Fraction(1) if not post.paid_weeks_h else Fraction(post.paid_weeks_h * 10, FULL_WEEKS_X1000)
    months = []
    active_months = 0
    for m in range(MONTHS):
        if m not in only:
            months.append((0, 0, 0))
            continue
        first = month_first(year, m)
        D = month_days(year, m)
        point = point_in_month(post, year, m)
        annual = scale_value(post.scale, point, rate_year(post.scale, year, m), env.awards)
        amount = Fraction(0)
        d_active = 0
        if not post.fte_changes:
            last = first + datetime.timedelta(days=D - 1)
            lo = first if post.start is None or post.start < first else post.start
            hi = last if post.end is None or post.end > last else post.end
            d_active = max(0, (hi - lo).days + 1)
            amount = Fraction(annual * post.fte_h * d_active, 100 * D * 12) * share
        else:
            for i in range(D):
                day = first + datetime.timedelta(days=i)
                if active(post, day):
                    d_active += 1
                    amount += Fraction(annual * fte_on(post, day), 100) * share / (D * 12)
        amount += Fraction(post.allowances_pence * d_active, D * 12)
        pay = rnd(amount) if d_active else 0
        if d_active:
            active_months += 1
        ty = tax_year(year, m)
        r = env.rates_for(ty)
        if post.ni_category == "A":
            thr = rnd(Fraction(r.ni_threshold_pence, 12))
        else:
            thr = rnd(Fraction(r.ni_upper_pence, 12))
        ni = rnd(Fraction(max(0, pay - thr) * r.ni_bp, 10000))
        pension = 0
        if post.pension in ("tps", "lgps"):
            rate = r.tps_bp if post.pension == "tps" else env.lgps_for(post.urn, ty)
            for ch in env.changes:
                if ch.scheme == post.pension and ch.start <= first and \
                        (ch.scheme == "tps" or ch.urn in ("", post.urn)):
                    rate = ch.rate_bp
            pension = rnd(Fraction(pay * rate, 10000))
        months.append((pay, ni, pension))
    # FTE on 1 September, or on the first day the post is active in the year (0: not active)
    sep1 = month_first(year, 0)
    day = sep1 if post.start is None or post.start <= sep1 else post.start
    return Cost(months=months, fte_h=fte_on(post, day) if active_months else 0, active_months=active_months)


# --------------------------------------------------------------------------- the trust

@dataclass
class TrustYear:
    year: int
    lines: dict                       # (urn, code) -> dict(pay, ni, pension, total, posts, fte_h, months)
    levy_m: list
    allowance_m: list
    pay_bill: int

    @property
    def levy(self):
        return sum(self.levy_m)

    @property
    def employment_allowance(self):
        return sum(self.allowance_m)


def cost_trust(posts, env, year):
    """Every post of the trust for academic year `year`, summed by entity and code, with the
    central team's levy and employment allowance."""
    lines = {}
    pay_m = [0] * MONTHS
    ni_m = [0] * MONTHS
    for p in posts:
        c = cost_year(p, env, year)
        ln = lines.setdefault((p.urn, p.code), {"pay": 0, "ni": 0, "pension": 0, "total": 0, "posts": 0,
                                                 "fte_h": 0, "months": [[0, 0, 0] for _ in range(MONTHS)]})
        ln["pay"] += c.pay
        ln["ni"] += c.ni
        ln["pension"] += c.pension
        ln["total"] += c.total
        if c.active_months:
            ln["posts"] += 1
            ln["fte_h"] += c.fte_h
        for m, (pay, ni, pen) in enumerate(c.months):
            ln["months"][m][0] += pay
            ln["months"][m][1] += ni
            ln["months"][m][2] += pen
            pay_m[m] += pay
            ni_m[m] += ni
    # April-August of year y-1: the first five months of tax year y
    prev_pay = [0] * 5
    prev_ni = [0] * 5
    for p in posts:
        try:
            c = cost_year(p, env, year - 1, only=range(7, MONTHS))
        except ValueError:               # no scale value then (a point new this year): left out
            continue
        for i in range(5):
            prev_pay[i] += c.months[7 + i][0]
            prev_ni[i] += c.months[7 + i][1]
    levy_m = [0] * MONTHS
    allowance_m = [0] * MONTHS
    # the tax years' months in order: (pay, ni, month of year y or None)
    tax_years = [(year, [(prev_pay[i], prev_ni[i], None) for i in range(5)] +
                  [(pay_m[m], ni_m[m], m) for m in range(0, 7)]),
                 (year + 1, [(pay_m[m], ni_m[m], m) for m in range(7, 12)])]
    for ty, months in tax_years:
        r = env.rates_for(ty)
        booked = 0
        cum_pay = 0
        left = r.employment_allowance_pence
        for k, (pay, ni, m) in enumerate(months, start=1):
            cum_pay += pay
            allow = rnd(Fraction(r.levy_allowance_pence * k, 12))
            due = max(0, rnd(Fraction(cum_pay * r.levy_bp, 10000)) - allow)
            used = max(0, min(left, ni))
            left -= used
            if m is not None:
                levy_m[m] = due - booked
                allowance_m[m] = -used
            booked = due
    return TrustYear(year=year, lines=lines, levy_m=levy_m, allowance_m=allowance_m, pay_bill=sum(pay_m))


# --------------------------------------------------------------------------- from the API's JSON

def scale_from_json(j):
    """A Scale from GET /api/v1/pay-scales/{name} (points of every year)."""
    pts = sorted({(p["ord"], p["point"]) for p in j["points"]})
    order = []
    for _o, name in pts:
        if name not in order:
            order.append(name)
    values = {(parse_year(p["year"]), p["point"]): p["annual_pence"] for p in j["points"]}
    return Scale(name=j["name"], kind=j["kind"], points=order, values=values)


def rates_from_json(j):
    return Rates(tax_year=parse_year(j["tax_year"]), ni_bp=j["ni_bp"], ni_threshold_pence=j["ni_threshold_pence"],
                 ni_upper_pence=j["ni_upper_pence"], tps_bp=j["tps_bp"], levy_bp=j["levy_bp"],
                 levy_allowance_pence=j["levy_allowance_pence"],
                 employment_allowance_pence=j["employment_allowance_pence"])


def post_from_json(j, scales):
    """A Post from the API's post JSON; scales: name -> Scale."""
    return Post(urn=j["urn"], reference=j["reference"], code=j["account_code"], role=j["role"],
                scale=scales[j["scale"]], point=j["point"], top=j.get("top_point"),
                point_year=parse_year(j["point_year"]), fte_h=j["fte_h"], paid_weeks_h=j.get("paid_weeks_h"),
                allowances_pence=j["tlr_pence"] + j["sen_pence"] + j["fringe_pence"] + j["other_allowance_pence"],
                pension=j["pension"], ni_category=j["ni_category"], start=parse_date(j.get("starts_on")),
                end=parse_date(j.get("ends_on")), vacant=j["vacant"])
