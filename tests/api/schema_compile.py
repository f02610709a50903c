"""JSON Schema compiled into Python closures, for the keywords daemon/openapi.json uses: the
contract check's quick yes (contract.py).

compile_ref(pointer) -> check(value) -> bool, or raises Unsupported when the schema (or one it
refers to) has a keyword not listed here: that schema is then left to jsonschema alone. Each
keyword means what it means to contract.py's jsonschema Validator (2020-12, with its `type`,
decimal `multipleOf` and `date`/`date-time` formats), so a value this refuses jsonschema refuses
too and names why; a value this passes jsonschema would pass. `$ref` is followed in the document
(local pointers only; a schema may refer to itself). jsonschema 4.10 spends most of a large
body's time resolving `$ref`s and dispatching keywords; this does neither per value.
"""
import decimal
import re

from jsonschema._utils import equal, unbool, uniq  # jsonschema's own equality (enum, const, uniqueItems)

# what jsonschema reads and ignores (OpenAPI's `example` is a keyword 2020-12 does not have)
ANNOTATIONS = frozenset({"description", "title", "readOnly", "writeOnly", "deprecated", "examples", "example",
                         "default", "$comment"})
TYPES = {"object": dict, "array": list, "string": str, "null": type(None)}


class Unsupported(Exception):
    """A keyword (or a $ref) this does not compile: the schema is jsonschema's alone."""


def _number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _type_test(t):
    """contract.py's _is_type(x, t) as a function of x."""
    if t in TYPES:
        cls = TYPES[t]
        return lambda x: isinstance(x, cls)
    if t == "boolean":
        return lambda x: isinstance(x, bool)
    if t == "integer":
        return lambda x: not isinstance(x, bool) and (isinstance(x, int) or (isinstance(x, float) and x.is_integer()))
    if t == "number":
        return _number
    raise Unsupported(f"type {t!r}")


def _all(checks):
    if not checks:
        return lambda x: True
    if len(checks) == 1:
        return checks[0]

    def check(x):
        for c in checks:
            if not c(x):
                return False
        return True
    return check


class SchemaCompiler:
    """resolve(pointer) -> the document's object there; conforms(value, format) -> bool (the
    FormatChecker jsonschema is given); formats: the formats it checks (others are annotations)."""

    def __init__(self, resolve, conforms, formats):
        self.resolve = resolve
        self.conforms = conforms
        self.formats = frozenset(formats)
        self._refs = {}

    def compile_ref(self, pointer):
        """The check for the schema at a local pointer ("#/..."), compiled once."""
        if not pointer.startswith("#/"):
            raise Unsupported(f"$ref {pointer!r}")
        f = self._refs.get(pointer)
        if f is None:
            cell = []
            self._refs[pointer] = lambda x: cell[0](x)     # while compiling: a schema that refers to itself
            try:
                cell.append(self.compile(self.resolve(pointer)))
            except Exception:
                del self._refs[pointer]
                raise
            f = self._refs[pointer] = cell[0]
        return f

    def compile(self, schema):
        if schema is True or schema == {}:
            return lambda x: True
        if schema is False:
            return lambda x: False
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        checks = []
        for k, v in schema.items():
            if k in ANNOTATIONS:
                continue
            make = getattr(self, "kw_" + k.lstrip("$"), None)
            if make is None:
                raise Unsupported(f"keyword {k!r}")
            c = make(v, schema)
            if c is not None:
                checks.append(c)
        return _all(checks)

    # ---- kw_<keyword>(its value, the schema) -> check, or None when it checks nothing ----

    def kw_ref(self, v, s):
        return self.compile_ref(v)

    def kw_type(self, v, s):
        tests = [_type_test(t) for t in ([v] if isinstance(v, str) else v)]
        if len(tests) == 1:
            return tests[0]
        return lambda x: any(t(x) for t in tests)

    def kw_enum(self, v, s):
        enums = list(v)

        def check(x):
            if x == 0 or x == 1:
                u = unbool(x)
                return not all(u != unbool(e) for e in enums)
            return x in enums
        return check

    def kw_const(self, v, s):
        return lambda x: equal(x, v)

    def kw_format(self, v, s):
        if v not in self.formats:
            return None
        conforms = self.conforms
        return lambda x: conforms(x, v)

    # numbers
    def kw_minimum(self, v, s):
        return lambda x: not _number(x) or not x < v     # as jsonschema asks it (NaN)

    def kw_maximum(self, v, s):
        return lambda x: not _number(x) or not x > v

    def kw_exclusiveMinimum(self, v, s):
        return lambda x: not _number(x) or not x <= v

    def kw_exclusiveMaximum(self, v, s):
        return lambda x: not _number(x) or not x >= v

    def kw_multipleOf(self, v, s):
        m = decimal.Decimal(str(v))
        return lambda x: not _number(x) or decimal.Decimal(str(x)) % m == 0

    # strings
    def kw_pattern(self, v, s):
        search = re.compile(v).search
        return lambda x: not isinstance(x, str) or search(x) is not None

    def kw_minLength(self, v, s):
        return lambda x: not isinstance(x, str) or len(x) >= v

    def kw_maxLength(self, v, s):
        return lambda x: not isinstance(x, str) or len(x) <= v

    # arrays
    def kw_items(self, v, s):
        if "prefixItems" in s:
            raise Unsupported("prefixItems")
        if v is False:
            return lambda x: not isinstance(x, list) or not x
        item = self.compile(v)

        def check(x):
            if isinstance(x, list):
                for i in x:
                    if not item(i):
                        return False
            return True
        return check

    def kw_minItems(self, v, s):
        return lambda x: not isinstance(x, list) or len(x) >= v

    def kw_maxItems(self, v, s):
        return lambda x: not isinstance(x, list) or len(x) <= v

    def kw_uniqueItems(self, v, s):
        if not v:
            return None
        return lambda x: not isinstance(x, list) or uniq(x)

    # objects
    def kw_properties(self, v, s):
        props = [(name, self.compile(sub)) for name, sub in v.items()]

        def check(x):
            if isinstance(x, dict):
                for name, c in props:
                    if name in x and not c(x[name]):
                        return False
            return True
        return check

    def kw_required(self, v, s):
        names = list(v)
        return lambda x: not isinstance(x, dict) or all(n in x for n in names)

    def kw_additionalProperties(self, v, s):
        if "patternProperties" in s:
            raise Unsupported("patternProperties")
        known = frozenset(s.get("properties", {}))
        if v is False:
            return lambda x: not isinstance(x, dict) or known.issuperset(x)
        if v is True:
            return None
        extra = self.compile(v)

        def check(x):
            if isinstance(x, dict):
                for k, val in x.items():
                    if k not in known and not extra(val):
                        return False
            return True
        return check

    def kw_propertyNames(self, v, s):
        name = self.compile(v)
        return lambda x: not isinstance(x, dict) or all(name(k) for k in x)

    def kw_minProperties(self, v, s):
        return lambda x: not isinstance(x, dict) or len(x) >= v

    def kw_maxProperties(self, v, s):
        return lambda x: not isinstance(x, dict) or len(x) <= v

    # combinations
    def kw_allOf(self, v, s):
        return _all([self.compile(sub) for sub in v])

    def kw_anyOf(self, v, s):
        subs = [self.compile(sub) for sub in v]
        return lambda x: any(c(x) for c in subs)

    def kw_oneOf(self, v, s):
        subs = [self.compile(sub) for sub in v]
        return lambda x: sum(1 for c in subs if c(x)) == 1

    def kw_not(self, v, s):
        sub = self.compile(v)
        return lambda x: not sub(x)
