"""POST /api/v1/auth/token/: a token for other systems, in exchange for a staff account's
username and password; DELETE revokes it.

Sign-in failures count towards the same django-axes lockout as the login page, and the
endpoint has its own per-address rate limit ("api_token").
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.api.errors import LoginLockedOut
from sanyi.api.services import api_token_issue, api_token_revoke
from sanyi.api.throttles import TokenObtainThrottle
from sanyi.core.request_context import client_ip_of
from sanyi.portal.selectors import (
    confirmed_totp_devices,
    totp_wait_message,
    totp_wait_seconds,
    user_must_use_otp,
)
from sanyi.portal.signin_audit import LOCKED_REASON, channel_of, sign_in_failure_record

TAG = "认证"


class TokenObtainInput(serializers.Serializer):
    username = serializers.CharField(
        max_length=150,
        help_text="工作人员账号的用户名",
        error_messages={
            "required": "请填写用户名（username）",
            "blank": "请填写用户名（username）",
        },
    )
    password = serializers.CharField(
        max_length=128,
        trim_whitespace=False,
        write_only=True,
        style={"input_type": "password"},
        help_text="密码",
        error_messages={"required": "请填写密码（password）", "blank": "请填写密码（password）"},
    )

    otp = serializers.RegexField(
        r"^[0-9]{6}$",
        required=False,
        allow_blank=True,
        help_text="动态验证码：系统管理员账号必填，为手机验证器上当前显示的6位数字",
        error_messages={"invalid": "动态验证码（otp）应为6位数字"},
    )


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(
        help_text="接口令牌。之后的每个请求带上请求头 Authorization: Token <令牌>"
    )
    username = serializers.CharField(help_text="令牌所属账号的用户名")


def _raise_if_now_locked_out(http_request) -> None:
    if getattr(http_request, "axes_locked_out", False):
        # This failure reached the limit. Answer with our own problem instead of letting
        # AxesMiddleware swap in the HTML lockout page.
        http_request.axes_locked_out = False
        raise LoginLockedOut()


class ApiTokenView(APIView):
    throttle_classes = [TokenObtainThrottle]

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        tags=[TAG],
        summary="获取接口令牌",
        description=(
            "用工作人员账号的用户名和密码换取接口令牌，供其他系统调用接口。同一账号"
            "多次获取得到同一个令牌，直到注销。系统管理员账号还须填写动态验证码。"
            "连续输错密码会像登录页面一样暂时锁定账号；"
            "同一地址每分钟最多尝试 10 次。"
        ),
        request=TokenObtainInput,
        responses={200: TokenOutput},
        auth=[],
    )
    def post(self, request):
        given = TokenObtainInput(data=request.data)
        given.is_valid(raise_exception=True)
        username = given.validated_data["username"]
        # axes reads and flags the Django request, not DRF's wrapper around it.
        http_request = request._request
        if not AxesProxyHandler.is_allowed(http_request, {"username": username}):
            sign_in_failure_record(
                username=username,
                ip=client_ip_of(http_request),
                channel=channel_of(http_request),
                reason=LOCKED_REASON,
            )
            raise LoginLockedOut()
        user = authenticate(
            request=http_request, username=username, password=given.validated_data["password"]
        )
        _raise_if_now_locked_out(http_request)
        if user is None:
            raise ValidationError("用户名或密码不正确，或账号已停用。", code="invalid_login")
        if user_must_use_otp(user):
            self._check_second_factor(http_request, user, given.validated_data.get("otp", ""))
        token = api_token_issue(user=user)
        return Response(TokenOutput({"token": token.key, "username": user.get_username()}).data)

    @staticmethod
    def _check_second_factor(http_request, user, code: str) -> None:
        # A token is as strong as a signed-in session, so it needs the same second factor
        # the login page asks system admins for.
        devices = confirmed_totp_devices(user)
        if not devices:
            raise ValidationError(
                {"otp": ["该账号须先登录工作台设置手机验证器，才能获取接口令牌"]},
                code="otp_device_missing",
            )
        if not code:
            raise ValidationError(
                {"otp": ["系统管理员账号须填写动态验证码（otp）"]}, code="required"
            )
        wait = totp_wait_seconds(devices)
        if wait or not any(device.verify_token(code) for device in devices):
            # A wrong code counts as a failed sign-in towards the axes lockout.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": user.get_username()},
                request=http_request,
            )
            _raise_if_now_locked_out(http_request)
            if wait:  # django-otp's back-off after a wrong code: the code was not checked
                raise ValidationError({"otp": [totp_wait_message(wait)]}, code="throttled")
            raise ValidationError({"otp": ["动态验证码不正确或已过期"]}, code="invalid")

    @extend_schema(
        tags=[TAG],
        summary="注销接口令牌",
        description=(
            "注销当前账号的接口令牌，之后用它的请求都会被拒绝；再次获取会得到新令牌。"
            "以登录状态调用时须带 CSRF 令牌。"
        ),
        request=None,
        responses={204: None},
    )
    def delete(self, request):
        api_token_revoke(actor=request.user, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
