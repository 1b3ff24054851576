"""The signed-in staff member behind a request, typed as the staff ``User``.

Django types ``request.user`` as "a user or AnonymousUser" because it cannot know which
pages sit behind a sign-in check. Workbench pages do (``WorkbenchAccessMiddleware``), so do
the admin site and API views with ``IsAuthenticated``; there the user is a staff account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

if TYPE_CHECKING:
    # Read as the AUTH_USER_MODEL class by django-stubs' plugin (see sanyi.core.actors).
    from django.contrib.auth.models import _User
    from rest_framework.request import Request


class StaffRequest(HttpRequest):
    """The request of a workbench page: only a signed-in staff member reaches one.

    For annotations only; Django builds the request as usual.
    """

    user: _User


def staff_user(request: HttpRequest | Request) -> _User:
    """The signed-in staff member making ``request``, for code that runs only behind a
    sign-in check. An anonymous request that got past one is refused (403), never served
    as nobody."""
    user = request.user
    if isinstance(user, AnonymousUser):
        raise PermissionDenied("请先登录")
    return user
