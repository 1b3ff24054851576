"""Authentication for the API: tokens for integrations, the login session for the browser."""

from rest_framework import authentication, exceptions

from sanyi.portal.selectors import user_must_use_otp


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication with the platform's two rules on top.

    A system admin's session counts only once its second factor is verified, as in the
    workbench. A signed-in browser must prove each write came from our own pages (CSRF);
    the refusal is explained in Chinese. Other systems use tokens and never meet this check.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        # A session opened before the second-factor rule applied to this account does not
        # count; the workbench sends such a user back to the login page likewise.
        if user_must_use_otp(user) and not getattr(user, "is_verified", lambda: False)():
            return None
        return result

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                "CSRF 校验失败：以登录状态提交写操作时，须在 X-CSRFToken 请求头中带上"
                " csrftoken Cookie 的值；其他系统请改用令牌认证。"
            ) from None
