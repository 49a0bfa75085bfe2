"""Validation of `--format json` output against the published schema
(citecheck/schemas/citecheck-1.json): every test that reads JSON output goes through it."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads((files("citecheck") / "schemas" / "citecheck-1.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def validate(data: dict) -> dict:
    """`data` (a parsed result) if it matches the schema; raises ValidationError otherwise."""
    _validator().validate(data)
    return data


def loads(text: str) -> dict:
    """Parse a `--format json` result and validate it."""
    return validate(json.loads(text))
