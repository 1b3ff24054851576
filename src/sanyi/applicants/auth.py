"""Applicant sign-in sessions, kept apart from staff login.

An applicant signs in with an SMS code (see ``services.signin_code_request``). The session
then holds the applicant's id under its own key; Django's staff authentication is not
touched, so a staff member and an applicant never share an identity.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from sanyi.applicants.models import Applicant

SESSION_KEY = "sanyi_applicant_id"
_CACHE_ATTR = "_sanyi_applicant"


def current_applicant(request) -> Applicant | None:
    """The applicant signed in on this request's session, or None."""
    if hasattr(request, _CACHE_ATTR):
        return getattr(request, _CACHE_ATTR)
    applicant = None
    pk = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if pk is not None:
        applicant = Applicant.objects.filter(pk=pk).first()
        if applicant is None:
            request.session.pop(SESSION_KEY, None)
    setattr(request, _CACHE_ATTR, applicant)
    return applicant


def login_applicant(request, applicant: Applicant) -> None:
    """Sign the applicant in. A new session key is issued (no session fixation)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = applicant.pk
    setattr(request, _CACHE_ATTR, applicant)


def logout_applicant(request) -> None:
    """Sign the applicant out, leaving any staff login of the same browser as it is."""
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    setattr(request, _CACHE_ATTR, None)


def safe_next(request, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse("applicants:home")


def applicant_login_required(view):
    """Send visitors who are not signed in as an applicant to /my/login/ and back."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        applicant = current_applicant(request)
        if applicant is None:
            login = reverse("applicants:login")
            return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
        request.applicant = applicant
        return view(request, *args, **kwargs)

    return wrapper
