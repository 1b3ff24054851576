"""Who may do what: one row per endpoint and method, for the API and the workbench.

Every URL pattern under /api/v1/ (and every operation of the OpenAPI schema) and every
pattern under /workbench/ must have a row; ``test_matrix.py`` fails on a pattern without
one, so a new endpoint cannot ship without its expectation.

Role groups follow the role checks of the apps (orgs/permissions.py and each app's
selectors): e.g. cases are read by window clerks, approvers and supervisors in scope;
requests for information are read by disclosure officers and supervisors and handled by
officers only.
"""

from __future__ import annotations

from tests.authz.engine import S, Spec
from tests.authz.world import ANONYMOUS, APPLICANT, ROLES, STAFF_ROLES

ANYONE = ROLES
STAFF = STAFF_ROLES
NOBODY: tuple[str, ...] = ()
SYS = ("system_admin",)
CAT = ("catalog_admin",)
# Catalogue working copies are also read by system admins (catalog.selectors._working_scope).
CAT_READ = ("catalog_admin", "system_admin")
DO = ("disclosure_officer",)
CLERK = ("window_clerk",)
APPR = ("approver",)
SUP = ("supervisor",)
CASE = ("window_clerk", "approver", "supervisor")
CASE_ACT = ("window_clerk", "approver")
OPEN = ("disclosure_officer", "supervisor")
LOOKUP = ("window_clerk", "approver", "disclosure_officer", "grid_officer")
_ = (ANONYMOUS, APPLICANT)


def code(w, b, r):
    return {"implementation_code": b["item"].implementation_code}


def draft_code(w, b, r):
    return {"implementation_code": b["draft"].implementation_item.implementation_code}


def own_message(w, b, r):
    if b is w.b:
        return {"pk": w.messages["B"].pk}
    return {"pk": w.messages.get(r, w.messages[APPLICANT]).pk}


def number(key):
    return lambda w, b, r: {"number": b[key].number}


def material(w, b, r):
    return {"material_id": b["case_material"].pk}


def notice(w, b, r):
    return {"notice_id": 1}


def unit(key):
    return lambda w, b, r: {"pk": getattr(b, key).pk}


def appeal(w, b, r):
    return {"pk": b["appeal"].pk}


def delivery(w, b, r):
    return {"pk": b["delivery"].pk}


API: list[Spec] = [
    # Platform: token, docs, schema. Anyone may ask; the token endpoint checks the password.
    S("api:schema", "get", ANYONE),
    S("api:docs", "get", ANYONE),
    S("api:auth-token", "post", ANYONE, note="400 without a password: the check is the password"),
    S("api:auth-token", "delete", STAFF),
    # Org tree and calendar: public facts.
    S("api:org-unit-list", "get", ANYONE),
    S("api:org-unit-detail", "get", ANYONE, kwargs=unit("community"), scoped=False),
    S("api:org-unit-service-centers", "get", ANYONE, kwargs=unit("sub"), scoped=False),
    S("api:service-center-list", "get", ANYONE),
    S("api:calendar-days", "get", ANYONE, query={"year": 2026}),
    S("api:calendar-workday", "get", ANYONE, query={"date": "2026-10-10"}),
    S("api:calendar-deadline", "get", ANYONE, query={"start": "2026-09-21", "days": 20}),
    S("api:calendar-between", "get", ANYONE, query={"from": "2026-09-21", "to": "2026-10-26"}),
    # Catalogue: published guides are public; drafts and writes are catalogue admins' in scope.
    S("api:catalog-item-list", "get", ANYONE),
    S("api:catalog-item-detail", "get", ANYONE, kwargs=code, scoped=False),
    S("api:catalog-item-versions", "get", ANYONE, kwargs=code, scoped=False),
    S("api:catalog-item-diff", "get", ANYONE, kwargs=code, scoped=False, query={"old": 1}),
    S("api:catalog-item-new-draft", "post", CAT, kwargs=code),
    S("api:catalog-item-cancel", "post", CAT, kwargs=code),
    S("api:catalog-search", "get", ANYONE, query={"q": "许可"}),
    S("api:catalog-life-event-list", "get", ANYONE),
    S(
        "api:catalog-life-event-detail",
        "get",
        NOBODY,
        kwargs=lambda w, b, r: {"pk": 999999},
        scoped=False,
        note="no life event exists: 404 for everyone",
    ),
    S("api:catalog-reduction-report", "get", ANYONE),
    S("api:catalog-draft-create", "post", CAT),
    S("api:catalog-version", "get", ANYONE, obj="version", scoped=False),
    S(
        "api:catalog-version",
        "get",
        CAT_READ,
        obj="draft",
        note="a draft: in scope only",
    ),
    S("api:catalog-version", "patch", CAT, obj="draft"),
    S("api:catalog-version-submit", "post", CAT, obj="draft"),
    S("api:catalog-version-review", "post", CAT, obj="draft"),
    S("api:catalog-version-publish", "post", CAT, obj="draft"),
    S("api:catalog-version-lint", "get", CAT_READ, obj="draft"),
    # Cases: clerks, approvers and supervisors in scope read; supervisors do not act.
    S("api:case-list", "get", CASE, leak="case", shows_own=True),
    S("api:case-list", "post", CLERK),
    S("api:case-overdue", "get", CASE, leak="case"),
    S("api:case-task-list", "get", CASE, query={"scope": "subtree"}, leak="task"),
    S("api:case-task-claim", "post", APPR, obj="task", note="the open step is an approver's"),
    S("api:case-task-act", "post", APPR, obj="task"),
    S("api:case-detail", "get", CASE, obj="case"),
    S("api:case-material-upload", "post", CASE_ACT, obj="case", kwargs=material, fmt="multipart"),
    S("api:case-submit", "post", CASE_ACT, obj="case"),
    S("api:case-precheck", "post", CASE_ACT, obj="precheck"),
    S("api:case-acceptance", "post", CASE_ACT, obj="awaiting"),
    S("api:case-clock-stops", "post", CASE_ACT, obj="case"),
    S("api:case-clock-restart", "post", CASE_ACT, obj="case"),
    S("api:case-extensions", "post", CASE_ACT, obj="case"),
    S("api:case-conclusion", "post", CASE_ACT, obj="case"),
    S("api:case-delivery", "post", CASE_ACT, obj="concluded"),
    S("api:case-visits", "post", CASE_ACT, obj="case"),
    S("api:case-timeline", "get", CASE, obj="case"),
    S("api:case-receipt", "get", CASE, obj="case"),
    # Disclosure: public publications; management by officers (supervisors read) in scope.
    S("api:openness-publication-list", "get", ANYONE),
    S("api:openness-publication-detail", "get", ANYONE, obj="publication", scoped=False),
    S("api:openness-manage-entry-list", "get", OPEN, leak="entry", shows_own=True),
    S("api:openness-manage-entry-list", "post", DO),
    S("api:openness-manage-entry-detail", "get", OPEN, obj="entry"),
    S("api:openness-manage-entry-detail", "patch", DO, obj="entry"),
    S("api:openness-manage-negative-list", "get", OPEN, leak="negative", shows_own=True),
    S("api:openness-manage-negative-list", "post", DO),
    S("api:openness-manage-negative-detail", "get", OPEN, obj="negative"),
    S("api:openness-manage-negative-detail", "patch", DO, obj="negative"),
    S("api:openness-manage-publication-list", "get", OPEN, leak="pub_draft", shows_own=True),
    S("api:openness-manage-publication-list", "post", DO),
    S("api:openness-manage-publication-detail", "get", OPEN, obj="pub_draft"),
    S("api:openness-manage-publication-detail", "patch", DO, obj="pub_draft"),
    *(
        S(f"api:openness-manage-publication-{action}", "post", DO, obj=target)
        for action, target in (
            ("submit", "pub_draft"),
            ("review", "pub_draft"),
            ("publish", "pub_draft"),
            ("revoke", "publication"),
            ("validity", "publication"),
            ("interpretations", "publication"),
        )
    ),
    S("api:openness-manage-publication-attachments", "post", DO, obj="pub_draft", fmt="multipart"),
    # Requests for information: officers and supervisors read, officers act; tracking is
    # public and answers only to the number with its query code.
    S("api:disclosure-request-list", "get", OPEN, leak="request", shows_own=True),
    S("api:disclosure-request-detail", "get", OPEN, obj="request"),
    S(
        "api:disclosure-request-letter",
        "get",
        NOBODY,
        obj="request",
        note="no reply yet, so no letter: 404 for everyone",
    ),
    S(
        "api:disclosure-request-notice",
        "get",
        NOBODY,
        obj="request",
        kwargs=notice,
        note="the request has no notice: 404 for everyone; scope is checked before the notice",
    ),
    S("api:disclosure-appeal-conclude", "post", DO, kwargs=appeal),
    S("api:disclosure-request-track", "post", ANYONE),
    S("api:disclosure-request-track-letter", "post", ANYONE),
    S("api:disclosure-request-track-notice", "post", ANYONE),
    *(
        S(f"api:disclosure-request-{action}", "post", DO, obj="request")
        for action in (
            "confirm",
            "correction-notice",
            "correction-received",
            "consultation-start",
            "consultation-end",
            "extend",
            "fee-notice",
            "fee-paid",
            "reply",
            "withdraw",
            "assign",
            "appeals",
        )
    ),
    # Annual reports: officers and supervisors read, officers create and issue.
    S("api:annual-report-list", "get", OPEN, leak="report", shows_own=True),
    S("api:annual-report-list", "post", DO),
    S("api:annual-report-compute", "post", OPEN),
    S("api:annual-report-detail", "get", OPEN, obj="report"),
    S("api:annual-report-issue", "post", DO, obj="report"),
    # Applicants, e-licences, ratings, notifications.
    S("api:applicant-lookup", "get", LOOKUP, query=lambda w: {"id_number": w.applicant.id_number}),
    S("api:licence-verify", "get", ANYONE),
    S("api:licence-list", "get", CASE, leak="licence", shows_own=True),
    S("api:rating-list", "get", CASE, leak="rating", shows_own=True),
    S("api:rating-stats", "get", CASE),
    S(
        "api:rating-rectification-list",
        "get",
        ("approver", "supervisor"),
        leak="rectification",
        shows_own=True,
    ),
    S("api:rating-return-visit", "post", APPR, obj="rectification"),
    S("api:rating-rectification-complete", "post", APPR, obj="rectification"),
    S("api:rating-appeal", "post", APPR, obj="rectification"),
    S("api:rating-appeal-decide", "post", SUP, obj="rectification"),
    S("api:notify-message-list", "get", STAFF),
    S("api:notify-read-all", "post", STAFF),
    S("api:notify-delivery-list", "get", ("system_admin", "supervisor")),
    S("api:notify-delivery-requeue", "post", SYS, kwargs=delivery, scoped=False),
    S("api:notify-message-detail", "get", STAFF, kwargs=own_message),
    S("api:notify-message-read", "post", STAFF, kwargs=own_message),
]
