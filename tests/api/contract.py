"""Every response checked against daemon/openapi.json (the contract).

Contract(doc).check(method, path, status, content_type, body) raises
ContractError when the response is not one the document allows:
  - the path is matched to a path template (literal segments win over
    {params}) and the method to its operation; the status must be documented
    for that operation (exact code, then `4XX`-style range, then `default`);
  - a documented response with content: the Content-Type's media type must be
    one of its media types; a JSON one (application/json, */*+json) has its
    body validated against the schema (JSON Schema 2020-12, $refs resolved
    over the whole document, `date` and `date-time` formats checked); any other
    media type (text/csv, Prometheus text) is checked by type only;
  - a documented response without content must have no body;
  - a method a documented path does not take: 405 (components/responses/
    MethodNotAllowed), or OPTIONS' 204; HEAD is checked as GET without a body;
  - an undocumented path (404s, probes): only a problem+json body is checked,
    against components/schemas/Problem.
multipleOf is decimal (the JSON 0.29 is a multiple of 0.01) and `type` is
2020-12's for JSON values, both without jsonschema's slower generic machinery.
Validators are compiled once per schema and shared, and a body already found
valid against a schema is not validated again; validation is serialised
(jsonschema 4.10's RefResolver keeps a scope stack, so it is not thread-safe).
A body is first checked by the schema compiled into Python by fastjsonschema
(schema_compile.py: the same meaning, ten times quicker on a large body); only a
body it refuses, or a schema with a keyword draft 7 lacks, goes to jsonschema,
which names the failing part. A refusal jsonschema
does not confirm is a ContractError of its own (schema_compile.py is wrong).
BURSAR_CONTRACT_CROSSCHECK=1: every body goes to jsonschema as well, and a body
the compiled check passes but jsonschema refuses fails the test.
Works with Debian 12's python3-jsonschema (4.10) and newer (referencing).
"""
import datetime
import decimal
import hashlib
import json
import os
import re
import threading

import jsonschema
from jsonschema import exceptions as js_exceptions

try:  # jsonschema >= 4.18
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012
except ImportError:  # Debian 12: RefResolver
    Registry = None

from schema_compile import SchemaCompiler, Unsupported

METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
DOC_URI = "urn:bursar:openapi.json"
PROBLEM_REF = "#/components/schemas/Problem"
METHOD_NOT_ALLOWED_REF = "#/components/responses/MethodNotAllowed"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z")


class ContractError(AssertionError):
    """A response the document does not allow."""


def _multiple_of(validator, m, instance, schema):
    """multipleOf in decimal: the JSON text 0.29 is a multiple of 0.01, although
    the binary floats are not (jsonschema divides floats)."""
    if not validator.is_type(instance, "number"):
        return
    if decimal.Decimal(str(instance)) % decimal.Decimal(str(m)) != 0:
        yield js_exceptions.ValidationError(f"{instance!r} is not a multiple of {m}")


_JSON_TYPES = {"object": dict, "array": list, "string": str, "null": type(None)}


def _is_type(instance, t):
    if t in _JSON_TYPES:
        return isinstance(instance, _JSON_TYPES[t])
    if isinstance(instance, bool):
        return t == "boolean"
    if t == "integer":
        return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())
    if t == "number":
        return isinstance(instance, (int, float))
    return False


def _type(validator, types, instance, schema):
    """`type` as 2020-12 defines it for JSON values (1.0 is an integer), without
    jsonschema 4.10's generic type checker: a third of the time on a large body."""
    types = [types] if isinstance(types, str) else types
    if not any(_is_type(instance, t) for t in types):
        yield js_exceptions.ValidationError(f"{instance!r} is not of type {', '.join(map(repr, types))}")


Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator,
                                         {"multipleOf": _multiple_of, "type": _type})


def _formats():
    """date (RFC 3339 full-date) and date-time (RFC 3339), checked without the
    optional packages jsonschema would need for them."""
    fc = jsonschema.FormatChecker(())

    @fc.checks("date", raises=ValueError)
    def _date(v):
        if not isinstance(v, str):
            return True
        if not _DATE.match(v):
            return False
        datetime.date.fromisoformat(v)
        return True

    @fc.checks("date-time", raises=ValueError)
    def _date_time(v):
        if not isinstance(v, str):
            return True
        m = _DATE_TIME.match(v)
        if not m:
            return False
        datetime.date.fromisoformat(m.group(1))
        h, mi, s = int(m.group(2)), int(m.group(3)), int(m.group(4))
        return h < 24 and mi < 60 and s < 61
    return fc


def media_type(ct):
    """The media type of a Content-Type value, lower case, without parameters."""
    return (ct or "").split(";")[0].strip().lower()


def is_json(mt):
    return mt == "application/json" or mt.endswith("+json")


def pointer(parts):
    """A JSON Pointer (RFC 6901) from path parts ("" for the whole document)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class Contract:
    def __init__(self, doc):
        self.doc = doc
        self._lock = threading.Lock()
        self._validators = {}
        self._valid = set()  # (schema pointer, body digest) already found valid
        self._formats = _formats()
        self._compiler = SchemaCompiler(doc, self._formats.conforms, self._formats.checkers)
        self._quick = {}  # schema pointer -> compiled check, or None (jsonschema alone)
        self._crosscheck = os.environ.get("BURSAR_CONTRACT_CROSSCHECK") == "1"
        self._templates = []
        for tpl, item in doc.get("paths", {}).items():
            segs = tpl.strip("/").split("/") if tpl != "/" else [""]
            rx = "/" + "/".join("[^/]+" if re.fullmatch(r"\{[^}]+\}", s) else re.escape(s) for s in segs)
            literal = sum(1 for s in segs if not s.startswith("{"))
            self._templates.append((re.compile(rx + r"\Z"), literal, tpl, item))
        # most literal segments first: /forecasts/compare before /forecasts/{id}
        self._templates.sort(key=lambda t: -t[1])

    # ---- the document -------------------------------------------------

    def resolve(self, ref):
        """The object a local $ref ("#/a/b") points at."""
        assert ref.startswith("#/"), f"only local $refs: {ref}"
        node = self.doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def _deref(self, obj, at):
        """(object, its JSON pointer "#/...") after following $refs from obj found at `at`."""
        while isinstance(obj, dict) and "$ref" in obj:
            at = obj["$ref"]
            obj = self.resolve(at)
        return obj, at

    def template(self, path):
        """(template, path item) for a request path, or (None, None)."""
        for rx, _lit, tpl, item in self._templates:
            if rx.match(path):
                return tpl, item
        return None, None

    def _validator(self, where):
        """A compiled validator for the schema at JSON pointer `where` ("#/...")."""
        v = self._validators.get(where)
        if v is None:
            cls = Validator
            if Registry is not None:
                registry = Registry().with_resource(DOC_URI, DRAFT202012.create_resource(self.doc))
                v = cls({"$ref": DOC_URI + where}, registry=registry, format_checker=self._formats)
            else:
                resolver = jsonschema.RefResolver(DOC_URI, self.doc)
                v = cls({"$ref": where}, resolver=resolver, format_checker=self._formats)
            self._validators[where] = v
        return v

    # ---- a response ---------------------------------------------------

    def _quick_check(self, where):
        """The compiled check for the schema at `where`, or None when it has a keyword
        schema_compile.py does not compile."""
        if where not in self._quick:
            try:
                self._quick[where] = self._compiler.compile_ref(where)
            except Unsupported:
                self._quick[where] = None
        return self._quick[where]

    def validate_body(self, where, body, what):
        """Validate a decoded JSON value against the schema at `where`; raises
        ContractError naming the failing part's JSON Pointer."""
        with self._lock:
            quick = self._quick_check(where)
        passed = quick is not None and quick(body)
        if passed and not self._crosscheck:
            return
        with self._lock:
            err = js_exceptions.best_match(self._validator(where).iter_errors(body))
        if err is None:
            if quick is not None and not passed:
                raise ContractError(f"{what}: the compiled check (schema_compile.py) refuses the body "
                                    f"against {where}, but jsonschema finds nothing wrong with it")
            return
        at = pointer(err.absolute_path)
        schema_at = pointer(err.absolute_schema_path)
        got = json.dumps(err.instance)
        if len(got) > 300:
            got = got[:300] + "..."
        wrong = "the compiled check (schema_compile.py) passed it, but " if passed else ""
        raise ContractError(f"{what}: {wrong}the body at {at or '/'} does not match {where}: "
                            f"{err.message} (schema keyword {schema_at}; value {got})")

    def _response(self, op, at, status):
        """(response object, its pointer) for a status: the code, its range, `default`."""
        responses = op.get("responses", {})
        code = str(status)
        for key in (code, code[0] + "XX", code[0] + "xx", "default"):
            if key in responses:
                return self._deref(responses[key], f"{at}/responses/{key}")
        return None, None

    def check(self, method, path, status, content_type, body):
        """Check one response; body is the raw bytes (b"" for none)."""
        method = method.upper()
        what = f"{method} {path} -> {status}"
        tpl, item = self.template(path)
        mt = media_type(content_type)
        if item is None:
            # not a documented path (a 404 test, say): a problem must still be a Problem
            if body and mt == "application/problem+json":
                self.validate_body(PROBLEM_REF, self._json(body, what), what)
            return
        what = f"{method} {path} ({tpl}) -> {status}"
        op_method = "get" if method == "HEAD" else method.lower()
        op = item.get(op_method) if op_method in METHODS else None
        if op is None:
            if method == "OPTIONS" and status == 204:
                resp, at = {"description": "OPTIONS"}, None
            elif status == 405:
                resp, at = self.resolve(METHOD_NOT_ALLOWED_REF), METHOD_NOT_ALLOWED_REF
            else:
                raise ContractError(f"{what}: {tpl} documents no {method} "
                                    f"(only 405, or 204 for OPTIONS, are allowed)")
        else:
            resp, at = self._response(op, "#/paths/" + pointer([tpl])[1:] + "/" + op_method, status)
            if resp is None:
                raise ContractError(f"{what}: status {status} is not documented for {method} {tpl} "
                                    f"(documented: {', '.join(sorted(op.get('responses', {})))})")
        content = resp.get("content") or {}
        if method == "HEAD":
            return
        if not content:
            if body:
                raise ContractError(f"{what}: the document gives this response no body, "
                                    f"but it has {len(body)} bytes ({content_type or 'no Content-Type'})")
            return
        media = {media_type(k): v for k, v in content.items()}
        if mt not in media:
            raise ContractError(f"{what}: Content-Type {content_type!r} is not one documented "
                                f"({', '.join(content)})")
        schema = media[mt].get("schema")
        if schema is None or not is_json(mt):
            return
        key = next(k for k in content if media_type(k) == mt)
        where = f"{at}/content/{pointer([key])[1:]}/schema"
        seen = (where, hashlib.blake2b(body, digest_size=16).digest())
        if seen in self._valid:  # the same bytes again (a large forecast read twice)
            return
        self.validate_body(where, self._json(body, what), what)
        self._valid.add(seen)

    @staticmethod
    def _json(body, what):
        try:
            return json.loads(body)
        except ValueError as e:
            raise ContractError(f"{what}: the body is not JSON ({e}): {body[:200]!r}")
