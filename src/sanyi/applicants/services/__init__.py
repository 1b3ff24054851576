"""Writing applicant profiles, agent authorisations and sign-in codes.

A profile is found by its ID number (一号申请) and reused by every application; a service
that meets an applicant calls ``applicant_find_or_create``, which creates the profile when
the number is new and otherwise returns it unchanged. Knowing someone's ID number and name
proves nothing, so no form, API or counter step changes a profile as a side effect: the
signed-in applicant edits their own contact details (``applicant_update``) and changes the
mobile with codes sent to the old and the new number (``phone_change_*``); a window clerk
who saw the document corrects it (``applicant_correct_at_window``). Contact details given
with one application or request are kept on that application or request.

This package is the app's public API; callers import from here, never a module in it:
profiles (finding, creating and correcting a profile), consent (the history of the
consent to reuse materials and licences), agents
(authorisations to apply for someone else), signin (codes by SMS) and phone_change.
"""

from sanyi.applicants.services.agents import (
    agent_authorisation_create,
    agent_authorisation_revoke,
)
from sanyi.applicants.services.consent import (
    COUNTER_ROLES,
    reuse_consent_grant,
    reuse_consent_withdraw,
)
from sanyi.applicants.services.phone_change import (
    NOT_A_MOBILE_ON_FILE,
    phone_change_request,
    phone_change_verify,
)
from sanyi.applicants.services.profiles import (
    MOBILE_RE,
    PHONE_RE,
    POSTAL_RE,
    PROFILE_FIELDS,
    VERIFIED_FIELDS,
    WINDOW_ROLES,
    applicant_correct_at_window,
    applicant_details_check,
    applicant_find_or_create,
    applicant_update,
    normalise_mobile,
)
from sanyi.applicants.services.signin import (
    TOO_MANY_TRIES,
    WRONG_CODE,
    CodeRequest,
    RateLimited,
    code_max_tries,
    code_ttl,
    signin_code_request,
    signin_code_verify,
    signin_codes_purge,
)

__all__ = [
    "COUNTER_ROLES",
    "MOBILE_RE",
    "NOT_A_MOBILE_ON_FILE",
    "PHONE_RE",
    "POSTAL_RE",
    "PROFILE_FIELDS",
    "TOO_MANY_TRIES",
    "VERIFIED_FIELDS",
    "WINDOW_ROLES",
    "WRONG_CODE",
    "CodeRequest",
    "RateLimited",
    "agent_authorisation_create",
    "agent_authorisation_revoke",
    "applicant_correct_at_window",
    "applicant_details_check",
    "applicant_find_or_create",
    "applicant_update",
    "code_max_tries",
    "code_ttl",
    "normalise_mobile",
    "phone_change_request",
    "phone_change_verify",
    "reuse_consent_grant",
    "reuse_consent_withdraw",
    "signin_code_request",
    "signin_code_verify",
    "signin_codes_purge",
]
