"""One error format for the whole API: RFC 9457 problem details (``application/problem+json``).

Every error response, whatever raised it, carries ``type``, ``title`` (Chinese), ``status``,
``detail``, ``instance`` and ``errors`` (field-level messages, dotted paths for nested
fields). ``problem_exception_handler`` is DRF's exception handler; ``problem_response`` builds
the same body for plain Django views (the catch-all 404 under /api/v1/). The schema of the
body is in ``sanyi.api.schema``; docs/api.md lists the problem types.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import got_request_exception
from django.http import Http404, HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from sanyi.core.idempotency import IdempotencyConflict

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:sanyi:problem:"

logger = logging.getLogger("django.request")


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: str

    @property
    def uri(self) -> str:
        return f"{PROBLEM_TYPE_PREFIX}{self.slug}"


VALIDATION_ERROR = ProblemType("validation-error", 400, "输入内容有误")
MALFORMED_REQUEST = ProblemType("malformed-request", 400, "请求内容无法解析")
NOT_AUTHENTICATED = ProblemType("not-authenticated", 401, "需要身份认证")
AUTHENTICATION_FAILED = ProblemType("authentication-failed", 401, "身份认证失败")
PERMISSION_DENIED = ProblemType("permission-denied", 403, "没有权限")
LOGIN_LOCKED_OUT = ProblemType("login-locked-out", 403, "登录已被暂时锁定")
NOT_FOUND = ProblemType("not-found", 404, "找不到请求的内容")
METHOD_NOT_ALLOWED = ProblemType("method-not-allowed", 405, "不支持该请求方法")
NOT_ACCEPTABLE = ProblemType("not-acceptable", 406, "无法提供所要求的格式")
UNSUPPORTED_MEDIA_TYPE = ProblemType("unsupported-media-type", 415, "不支持的内容类型")
IDEMPOTENCY_CONFLICT = ProblemType("idempotency-conflict", 409, "幂等键已用于另一次提交")
TOO_MANY_REQUESTS = ProblemType("too-many-requests", 429, "请求过于频繁")
SERVER_ERROR = ProblemType("server-error", 500, "系统出错")
REQUEST_ERROR = ProblemType("request-error", 400, "请求未能完成")

PROBLEM_TYPES: tuple[ProblemType, ...] = (
    VALIDATION_ERROR,
    MALFORMED_REQUEST,
    NOT_AUTHENTICATED,
    AUTHENTICATION_FAILED,
    PERMISSION_DENIED,
    LOGIN_LOCKED_OUT,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    NOT_ACCEPTABLE,
    UNSUPPORTED_MEDIA_TYPE,
    IDEMPOTENCY_CONFLICT,
    TOO_MANY_REQUESTS,
    SERVER_ERROR,
    REQUEST_ERROR,
)

# Checked in order, so subclasses come before the classes they extend.
_DRF_TYPES: tuple[tuple[type[exceptions.APIException], ProblemType], ...] = (
    (exceptions.ValidationError, VALIDATION_ERROR),
    (exceptions.ParseError, MALFORMED_REQUEST),
    (exceptions.NotAuthenticated, NOT_AUTHENTICATED),
    (exceptions.AuthenticationFailed, AUTHENTICATION_FAILED),
    (exceptions.PermissionDenied, PERMISSION_DENIED),
    (exceptions.NotFound, NOT_FOUND),
    (exceptions.MethodNotAllowed, METHOD_NOT_ALLOWED),
    (exceptions.NotAcceptable, NOT_ACCEPTABLE),
    (exceptions.UnsupportedMediaType, UNSUPPORTED_MEDIA_TYPE),
    (exceptions.Throttled, TOO_MANY_REQUESTS),
)

_NON_FIELD_KEYS = {NON_FIELD_ERRORS, api_settings.NON_FIELD_ERRORS_KEY}


class LoginLockedOut(exceptions.APIException):
    """Too many failed sign-ins for this account from this address (django-axes)."""

    status_code = 403
    default_detail = "登录失败次数过多，账号已被暂时锁定，请稍后再试。"
    default_code = "login_locked_out"


@dataclass(frozen=True)
class FieldError:
    field: str | None  # dotted path ("materials.2.name"); None for the request as a whole
    message: str
    code: str

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "message": self.message, "code": self.code}


def _join(prefix: str | None, key: str | None) -> str | None:
    if key is None:
        return prefix
    return f"{prefix}.{key}" if prefix else key


def flatten_drf_errors(detail: Any, prefix: str | None = None) -> list[FieldError]:
    """DRF's nested error structure as a flat list with dotted field paths.

    Serializers nest dicts for nested serializers, lists of dicts for ``many=True`` (an
    empty dict for each valid item) and dicts with integer keys for ``ListField`` items.
    """
    if isinstance(detail, dict):
        found: list[FieldError] = []
        for key, value in detail.items():
            name = None if key in _NON_FIELD_KEYS else str(key)
            found.extend(flatten_drf_errors(value, _join(prefix, name)))
        return found
    if isinstance(detail, list | tuple):
        found = []
        for index, item in enumerate(detail):
            if isinstance(item, dict | list | tuple):
                found.extend(flatten_drf_errors(item, _join(prefix, str(index))))
            else:
                found.extend(flatten_drf_errors(item, prefix))
        return found
    code = getattr(detail, "code", None) or "invalid"
    return [FieldError(field=prefix, message=str(detail), code=str(code))]


def flatten_django_errors(exc: DjangoValidationError) -> list[FieldError]:
    """A Django ``ValidationError`` (as services raise it) as a flat list of field errors."""
    if hasattr(exc, "error_dict"):
        found = []
        for key, errors in exc.error_dict.items():
            field = None if key in _NON_FIELD_KEYS else key
            for error in errors:
                for message in error.messages:
                    found.append(FieldError(field, message, error.code or "invalid"))
        return found
    return [
        FieldError(None, message, error.code or "invalid")
        for error in exc.error_list
        for message in error.messages
    ]


def _validation_detail(errors: list[FieldError]) -> str:
    if not errors:
        return "请检查输入内容后重试。"
    first = errors[0]
    text = f"{first.field}：{first.message}" if first.field else first.message
    if len(errors) > 1:
        text += f"（共{len(errors)}处错误，详见 errors）"
    return text


def problem_response(
    request,
    problem_type: ProblemType,
    detail: str,
    *,
    errors: list[FieldError] | None = None,
    status: int | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A problem+json response; ``status`` overrides the type's usual status."""
    body = {
        "type": problem_type.uri,
        "title": problem_type.title,
        "status": status or problem_type.status,
        "detail": detail,
        # The path only: query strings may carry personal data (ID numbers in searches).
        "instance": request.path if request is not None else None,
        "errors": [error.as_dict() for error in errors or []],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, cls=DjangoJSONEncoder),
        status=body["status"],
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _drf_problem(request, exc: exceptions.APIException) -> HttpResponse:
    problem_type = next((t for cls, t in _DRF_TYPES if isinstance(exc, cls)), None)
    if isinstance(exc, LoginLockedOut):
        problem_type = LOGIN_LOCKED_OUT
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    errors: list[FieldError] = []
    if problem_type is VALIDATION_ERROR:
        errors = flatten_drf_errors(exc.detail)
        detail = _validation_detail(errors)
    elif problem_type is TOO_MANY_REQUESTS:
        wait = math.ceil(exc.wait) if exc.wait is not None else None
        if wait is not None:
            headers["Retry-After"] = str(wait)
            detail = f"请求过于频繁，请在{wait}秒后再试。"
        else:
            detail = "请求过于频繁，请稍后再试。"
    elif problem_type is METHOD_NOT_ALLOWED:
        detail = f"该接口不支持 {request.method} 请求。" if request else str(exc.detail)
    elif isinstance(exc.detail, dict | list):
        errors = flatten_drf_errors(exc.detail)
        detail = _validation_detail(errors)
    else:
        detail = str(exc.detail)
    if problem_type is None:
        problem_type = REQUEST_ERROR
    return problem_response(
        request, problem_type, detail, errors=errors, status=exc.status_code, headers=headers
    )


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse:
    """DRF exception handler: every exception becomes a problem+json response.

    Unexpected exceptions are logged like Django logs a 500 (so error mail and log
    collectors still see them) and answered without internals.
    """
    request = context.get("request")
    set_rollback()
    if isinstance(exc, Http404):
        # Django's own message names the model in English ("No OrgUnit matches…").
        return problem_response(request, NOT_FOUND, "找不到该对象，编号可能有误或已被删除。")
    if isinstance(exc, DjangoPermissionDenied):
        return problem_response(request, PERMISSION_DENIED, str(exc) or "您没有执行该操作的权限。")
    if isinstance(exc, IdempotencyConflict):
        errors = [FieldError("Idempotency-Key", exc.message, "idempotency_conflict")]
        return problem_response(request, IDEMPOTENCY_CONFLICT, exc.message, errors=errors)
    if isinstance(exc, DjangoValidationError):
        errors = flatten_django_errors(exc)
        return problem_response(
            request, VALIDATION_ERROR, _validation_detail(errors), errors=errors
        )
    if isinstance(exc, exceptions.APIException):
        return _drf_problem(request, exc)
    django_request = getattr(request, "_request", request)
    logger.error(
        "Internal Server Error: %s",
        getattr(django_request, "path", ""),
        exc_info=exc,
        extra={"status_code": 500, "request": django_request},
    )
    got_request_exception.send(sender=None, request=django_request)
    response = problem_response(
        request, SERVER_ERROR, "服务器处理请求时出错，已记录在案，请稍后再试。"
    )
    # Logged above with its traceback; Django's handler would log it again without one.
    response._has_been_logged = True
    return response


@csrf_exempt
def api_not_found(request, *args, **kwargs) -> HttpResponse:
    """Unknown addresses under /api/v1/: a problem, not the portal's HTML page."""
    detail = f"接口地址不存在：{request.path}。"
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            detail += f"是否少了结尾的“/”？应为 {request.path}/"
            return problem_response(request, NOT_FOUND, detail)
    return problem_response(request, NOT_FOUND, detail + "全部接口见 /api/v1/docs/")


API_PATH_PREFIX = "/api/"

# What the site's error handlers answer API callers with, by status.
_HANDLER_PROBLEMS = {
    400: (MALFORMED_REQUEST, "请求不完整或格式不对。"),
    403: (PERMISSION_DENIED, "没有权限，或使用登录会话提交时缺少 CSRF 令牌。"),
    404: (NOT_FOUND, "接口地址不存在。全部接口见 /api/v1/docs/"),
    500: (SERVER_ERROR, "服务器处理请求时出错，已记录在案，请稍后再试。"),
}


def is_api_request(request) -> bool:
    return request.path.startswith(API_PATH_PREFIX)


def problem_for_status(request, status: int) -> HttpResponse:
    """For the site-wide error handlers (handler400/403/404/500, the CSRF failure view):
    the problem an API caller gets instead of an HTML page, for errors raised before any
    API view runs (a bad Host header, a middleware refusal). Must not touch the database.
    """
    problem_type, detail = _HANDLER_PROBLEMS[status]
    return problem_response(request, problem_type, detail)
