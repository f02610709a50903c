"""The contract check's quick yes (contract.py): a schema of daemon/openapi.json compiled into
Python by fastjsonschema (Debian's python3-fastjsonschema), ten times quicker on a large body than
jsonschema 4.10, which spends most of its time resolving `$ref`s and dispatching keywords.

SchemaCompiler(doc, conforms, formats).compile_ref(pointer) -> check(value) -> bool, or raises
Unsupported when the schema (or one it refers to) has a keyword fastjsonschema's draft 7 lacks
(2020-12's own: draft 7 would pass over them in silence): that schema is left to jsonschema alone.
The meaning is contract.py's jsonschema Validator's: the formats it checks (`date`, `date-time`)
are checked by its own functions, and the formats it does not check are not checked here either;
`multipleOf` is decimal in both; fastjsonschema never fills in defaults (use_default=False). A
value this refuses goes to jsonschema, which names why (and a refusal jsonschema does not confirm
fails the test); test_contract.py compares the two keyword by keyword.
"""
import fastjsonschema

# 2020-12 keywords draft 7 does not have: a schema using one is jsonschema's alone
NOT_IN_DRAFT7 = frozenset({"prefixItems", "$defs", "unevaluatedProperties", "unevaluatedItems",
                           "dependentRequired", "dependentSchemas", "$dynamicRef", "$dynamicAnchor",
                           "$anchor", "minContains", "maxContains", "$vocabulary"})
# fastjsonschema's built-in formats, and the ones openapi.json names: checked only where
# contract.py's jsonschema checks them
FORMATS = ("date", "date-time", "time", "email", "idn-email", "hostname", "ipv4", "ipv6", "regex", "uri",
           "uri-reference", "int64", "binary")


class Unsupported(Exception):
    """A keyword (or a $ref) this does not compile: the schema is jsonschema's alone."""


MAPS = ("properties", "patternProperties", "definitions", "dependencies")   # name -> schema
JSON_TYPE = {bool: "boolean", int: "number", float: "number", str: "string", type(None): "null"}


def _typed(schema):
    """schema with each enum/const that has no `type` beside it given one: the JSON types of its
    values. Python's == takes True for 1 and 0 for False, fastjsonschema compares with it, and
    jsonschema does not; with the type the same value is refused by both. A container value
    (a list or an object in an enum or const, compared deeply) is Unsupported."""
    if isinstance(schema, list):
        return [_typed(x) for x in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for k, v in schema.items():
        if k in MAPS and isinstance(v, dict):
            out[k] = {name: _typed(x) for name, x in v.items()}
        elif k in ("enum", "const", "examples", "example", "default"):
            out[k] = v
        else:
            out[k] = _typed(v)
    values = out.get("enum", []) + ([out["const"]] if "const" in out else [])
    if any(type(x) not in JSON_TYPE for x in values):
        raise Unsupported("an enum or const with a list or an object")
    if values and "type" not in out:
        out["type"] = sorted({JSON_TYPE[type(x)] for x in values})
    return out


class SchemaCompiler:
    """doc: the OpenAPI document ($refs are local pointers into it); conforms(value, format) -> bool
    and formats (the names it checks): contract.py's jsonschema FormatChecker."""

    def __init__(self, doc, conforms, formats):
        self.doc = doc
        self.typed_doc = None                     # _typed(doc), made at the first compile
        self.compiled = {}                        # pointer -> check, by compile_ref
        self.formats = {f: (lambda v, f=f: conforms(v, f)) if f in formats else (lambda v: True) for f in FORMATS}
        for f in formats:
            self.formats.setdefault(f, lambda v, f=f: conforms(v, f))

    def _resolve(self, ref):
        if not ref.startswith("#/"):
            raise Unsupported(f"$ref {ref!r}: local pointers only")
        node = self.doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def _check_keywords(self, schema):
        """Unsupported when schema, or a schema it refers to, uses a keyword draft 7 lacks."""
        seen, todo = set(), [schema]
        while todo:
            s = todo.pop()
            if isinstance(s, list):
                todo.extend(s)
                continue
            if not isinstance(s, dict):
                continue
            for k, v in s.items():
                if k in MAPS and isinstance(v, dict):
                    todo.extend(v.values())
                    continue
                if k in NOT_IN_DRAFT7:
                    raise Unsupported(k)
                if k == "$ref" and isinstance(v, str):
                    if v not in seen:
                        seen.add(v)
                        todo.append(self._resolve(v))
                elif k == "format" and isinstance(v, str) and v not in self.formats:
                    raise Unsupported(f"format {v!r}")
                elif k == "type" and any(t not in ("object", "array", "string", "number", "integer",
                                                   "boolean", "null") for t in ([v] if isinstance(v, str) else v)):
                    raise Unsupported(f"type {v!r}")
                elif k not in ("enum", "const", "examples", "example", "default"):
                    todo.append(v)

    def compile(self, schema):
        """check(value) -> bool for a schema whose $refs point into the document."""
        self._check_keywords(schema)
        if self.typed_doc is None:
            self.typed_doc = _typed(self.doc)
        # the schema inside the document, so that its "#/..." pointers resolve
        root = dict(self.typed_doc, **{"$schema": "http://json-schema.org/draft-07/schema#",
                                       "allOf": [_typed(schema)]})
        try:
            validate = fastjsonschema.compile(root, formats=self.formats, use_default=False)
        except fastjsonschema.JsonSchemaDefinitionException as e:
            raise Unsupported(str(e)) from e

        def check(x):
            try:
                validate(x)
            except fastjsonschema.JsonSchemaValueException:
                return False
            return True
        return check

    def compile_ref(self, pointer):
        """compile() of the schema at pointer: once per schema, however many pointers lead to it
        through $refs alone (every problem+json response is one Problem)."""
        target = self._resolve(pointer)
        while isinstance(target, dict) and set(target) == {"$ref"}:
            pointer = target["$ref"]
            target = self._resolve(pointer)
        if pointer not in self.compiled:
            self.compiled[pointer] = self.compile({"$ref": pointer})
        return self.compiled[pointer]
