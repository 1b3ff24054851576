"""Checking a response against the documented problem+json schema."""

from __future__ import annotations

import copy
import json

import jsonschema

from sanyi.api.errors import PROBLEM_CONTENT_TYPE
from sanyi.api.schema import PROBLEM_FIELD_ERROR_SCHEMA, PROBLEM_SCHEMA


def _as_json_schema(schema: dict) -> dict:
    """OpenAPI 3.0's ``nullable`` spelled as JSON Schema, and the local $ref resolved."""
    schema = copy.deepcopy(schema)
    for prop in schema.get("properties", {}).values():
        if prop.pop("nullable", False):
            prop["type"] = [prop["type"], "null"]
    return schema


PROBLEM_JSON_SCHEMA = _as_json_schema(PROBLEM_SCHEMA)
PROBLEM_JSON_SCHEMA["properties"]["errors"]["items"] = _as_json_schema(PROBLEM_FIELD_ERROR_SCHEMA)


def problem_of(response, status: int) -> dict:
    """The problem body of ``response``, after checking status, media type and shape."""
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = json.loads(response.content)
    jsonschema.validate(body, PROBLEM_JSON_SCHEMA)
    assert body["status"] == status
    return body


def fields_of(problem: dict) -> dict[str | None, list[str]]:
    found: dict[str | None, list[str]] = {}
    for error in problem["errors"]:
        found.setdefault(error["field"], []).append(error["message"])
    return found
