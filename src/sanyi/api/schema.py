"""The problem+json error format in the OpenAPI schema.

``add_problem_responses`` (a drf-spectacular post-processing hook) adds the ``Problem``
schema once, reusable responses for the common errors, and refers every operation to
them, so each endpoint documents the one error format without repeating it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme, TokenScheme
from drf_spectacular.extensions import OpenApiSerializerFieldExtension

from sanyi.api.errors import PROBLEM_CONTENT_TYPE, PROBLEM_TYPES

PROBLEM_FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "一处字段错误",
    "properties": {
        "field": {
            "type": "string",
            "nullable": True,
            "description": (
                "出错的字段或查询参数；嵌套字段用“.”连接（如 materials.2.name）；"
                "null 表示针对整个请求的错误"
            ),
            "example": "start",
        },
        "message": {"type": "string", "description": "错误说明（中文）"},
        "code": {
            "type": "string",
            "description": "错误代码，供程序判断（如 required、invalid、max_value）",
        },
    },
    "required": ["field", "message", "code"],
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "错误响应（RFC 9457 problem details，媒体类型 application/problem+json）。"
        "所有接口出错时都返回这一格式。"
    ),
    "properties": {
        "type": {
            "type": "string",
            "description": "错误类型标识（URI），见 docs/api.md",
            "enum": [problem.uri for problem in PROBLEM_TYPES],
        },
        "title": {"type": "string", "description": "错误类型的中文名称"},
        "status": {"type": "integer", "description": "HTTP 状态码"},
        "detail": {"type": "string", "description": "这一次错误的具体说明（中文）"},
        "instance": {
            "type": "string",
            "nullable": True,
            "description": "出错的请求路径（不含查询参数）",
        },
        "errors": {
            "type": "array",
            "description": "字段错误清单；没有字段错误时为空数组",
            "items": {"$ref": "#/components/schemas/ProblemFieldError"},
        },
    },
    "required": ["type", "title", "status", "detail", "instance", "errors"],
}


class PlatformSessionScheme(SessionScheme):
    """Documents our SessionAuthentication subclass as the usual cookie scheme."""

    target_class = "sanyi.api.authentication.SessionAuthentication"

    def get_security_definition(self, auto_schema):
        definition = super().get_security_definition(auto_schema)
        definition["description"] = (
            "登录会话（浏览器）：登录后自动带上的 Cookie；写操作还须在请求头 X-CSRFToken"
            " 中带上 csrftoken Cookie 的值"
        )
        return definition


class PlatformTokenScheme(TokenScheme):
    """DRF's token scheme, described in Chinese for the interactive docs."""

    priority = 1

    def get_security_definition(self, auto_schema):
        definition = super().get_security_definition(auto_schema)
        definition["description"] = (
            "接口令牌：请求头 Authorization 的值为“Token ”加令牌，"
            "令牌用 POST /api/v1/auth/token/ 获取"
        )
        return definition


def _may_be_blank(field) -> bool:
    if getattr(field, "allow_blank", False):
        return True
    # Read-only model fields lose allow_blank; the model field still says it.
    meta = getattr(getattr(field, "parent", None), "Meta", None)
    model = getattr(meta, "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except Exception:  # a property or method, not a model field
        return False


_OUTER_KEYS = {"readOnly", "writeOnly", "nullable", "deprecated", "description", "title"}


class BlankableEmailField(OpenApiSerializerFieldExtension):
    """An e-mail that may be "" is an address *or* the empty string, not plain
    ``format: email``: a client validating the schema would reject every unit without
    one. drf-spectacular does this for writable fields only; read-only model fields lose
    ``allow_blank``, so this asks the model field."""

    target_class = "rest_framework.fields.EmailField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if not _may_be_blank(self.target):
            return schema
        # anyOf, not oneOf: a validator that ignores formats would find "" matching both.
        # No top-level "type", so drf-spectacular does not add the format back from the
        # field's EmailValidator.
        outer = {k: schema.pop(k) for k in list(schema) if k in _OUTER_KEYS}
        schema.pop("format", None)
        return {
            **outer,
            "anyOf": [{**schema, "format": "email"}, {"type": "string", "maxLength": 0}],
        }


# Reusable responses: (status key, component name, description).
_RESPONSES = (
    ("400", "ValidationProblem", "输入内容或查询参数有误，errors 列出每个出错的字段"),
    ("401", "AuthenticationProblem", "未认证或令牌无效"),
    ("403", "PermissionProblem", "没有权限（含登录会话缺少 CSRF 令牌）"),
    ("404", "NotFoundProblem", "对象不存在"),
    ("429", "ThrottledProblem", "请求过于频繁，Retry-After 响应头给出需等待的秒数"),
    ("default", "Problem", "其他错误，格式相同"),
)


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _is_public(operation: dict[str, Any]) -> bool:
    return any(requirement == {} for requirement in operation.get("security", [{}]))


def add_problem_responses(result, generator, request, public):
    """drf-spectacular hook: document problem+json on every operation."""
    components = result.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["ProblemFieldError"] = PROBLEM_FIELD_ERROR_SCHEMA
    responses = components.setdefault("responses", {})
    for _status, name, description in _RESPONSES:
        responses[name] = _problem_response(description)
    components["schemas"] = dict(sorted(schemas.items()))
    components["responses"] = dict(sorted(responses.items()))

    for path, path_item in result.get("paths", {}).items():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            wanted = ["default", "429"]
            takes_input = operation.get("requestBody") or any(
                parameter.get("in") == "query" for parameter in operation.get("parameters", [])
            )
            if takes_input:
                wanted.append("400")
            if "{" in path:
                wanted.append("404")
            if not _is_public(operation):
                wanted += ["401", "403"]
            elif method in {"post", "put", "patch", "delete"}:
                wanted.append("403")
            for status, name, _description in _RESPONSES:
                if status in wanted and status not in operation["responses"]:
                    operation["responses"][status] = {"$ref": f"#/components/responses/{name}"}
            operation["responses"] = dict(
                sorted(operation["responses"].items(), key=lambda item: _status_key(item[0]))
            )
    return result


def _status_key(status: str) -> tuple[int, str]:
    # Numbered statuses in order, "default" last.
    return (0, status) if status.isdigit() else (1, status)


# The bounds Django derives from the database's integer column types. They differ between
# SQLite (64-bit for every integer field) and PostgreSQL (smallint, integer), so a schema
# carrying them would change with the database it was generated on; they are storage
# limits, not rules of the API, and the schema leaves them out. Bounds a serializer sets
# itself (1 to 5, up to 20 days…) stay.
_STORAGE_BOUNDS = {
    "maximum": {32767, 2147483647, 9223372036854775807},
    "minimum": {-32768, -2147483648, -9223372036854775808},
}


def _drop_storage_bounds(node) -> None:
    if isinstance(node, dict):
        if node.get("type") == "integer":
            dropped = False
            for key, values in _STORAGE_BOUNDS.items():
                if node.get(key) in values:
                    del node[key]
                    dropped = True
            if dropped and node.get("format") == "int64":
                del node["format"]  # SQLite's 64-bit bound brings it; PostgreSQL's does not
        for value in node.values():
            _drop_storage_bounds(value)
    elif isinstance(node, list):
        for value in node:
            _drop_storage_bounds(value)


def drop_storage_integer_bounds(result, generator, request, public):
    """drf-spectacular hook: the same schema whatever database generated it."""
    _drop_storage_bounds(result)
    return result
