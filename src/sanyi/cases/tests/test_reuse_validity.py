"""Each catalogue material says how long an accepted copy may be reused; the consent is a
history of records; the applicant's own wallet in the API (docs/cases-applying.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from sanyi.applicants.models import ConsentChannel, ConsentScope, ReuseConsent
from sanyi.applicants.services import reuse_consent_grant, reuse_consent_withdraw
from sanyi.cases import services
from sanyi.cases.models import CaseMaterial
from sanyi.cases.services.reuse import copy_valid_until
from sanyi.cases.tests import factories as f
from sanyi.cases.wallet import MaterialCounts, case_material_counts
from sanyi.catalog.choices import MaterialReuse
from sanyi.catalog.models import Material
from sanyi.catalog.tests import factories as catalog_f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


def _item(w, reuse: str = "", days: int | None = None):
    reviewer = org_f.staff(w["district"], Role.CATALOG_ADMIN)
    form = {**f._material("申请书"), "reuse": reuse, "reuse_days": days}
    version = catalog_f.item(
        unit=w["dept"],
        status="published",
        reviewer=reviewer,
        guide=f.licence_guide(materials=[form, f._material("测试许可证（电子证照）")]),
    )
    return version.implementation_item


def _start(w, person, **rule):
    return services.case_start(
        applicant=person, item=_item(w, **rule), channel="online", actor=person.audit_label
    )


def _checked_days_ago(case, days: int) -> None:
    when = timezone.now() - dt.timedelta(days=days)
    CaseMaterial.objects.filter(case=case).update(checked_at=when, uploaded_at=when)


def _origin(case, name="申请书"):
    return case.materials.get(name=name).origin


@pytest.mark.parametrize(("age", "origin"), [(89, "wallet"), (90, "wallet"), (91, "upload")])
def test_days_rule_of_the_row_being_filled_decides(w, age, origin):
    old = f.case(w, state="delivered")
    reuse_consent_grant(applicant=old.applicant, actor=old.applicant.audit_label)
    _checked_days_ago(old, age)
    case = _start(w, old.applicant, reuse=MaterialReuse.DAYS, days=90)
    assert _origin(case) == origin


@pytest.mark.parametrize(("age", "origin"), [(29, "wallet"), (30, "wallet"), (31, "upload")])
def test_default_rule_uses_the_platform_setting(w, settings, age, origin):
    settings.SANYI_MATERIAL_REUSE_DAYS = 30
    old = f.case(w, state="delivered")
    reuse_consent_grant(applicant=old.applicant, actor=old.applicant.audit_label)
    _checked_days_ago(old, age)
    assert _origin(_start(w, old.applicant)) == origin


def test_never_rule_attaches_nothing_not_even_a_licence(w):
    old = f.case(w, state="delivered")
    reuse_consent_grant(applicant=old.applicant, actor=old.applicant.audit_label)
    case = _start(w, old.applicant, reuse=MaterialReuse.NEVER)
    assert _origin(case) == "upload"
    # The licence row says nothing: the licence's own validity decides.
    assert _origin(case, "测试许可证（电子证照）") == "licence"


def test_expiry_rule_takes_licences_only(w):
    old = f.case(w, state="delivered")
    reuse_consent_grant(applicant=old.applicant, actor=old.applicant.audit_label)
    case = _start(w, old.applicant, reuse=MaterialReuse.EXPIRY)
    assert _origin(case) == "upload"


@pytest.mark.parametrize(("delta", "origin"), [(0, "licence"), (-1, "upload"), (1, "licence")])
def test_licence_usable_through_its_last_day(w, delta, origin):
    old = f.case(w, state="delivered")
    reuse_consent_grant(applicant=old.applicant, actor=old.applicant.audit_label)
    old.licence.valid_until = timezone.localdate() + dt.timedelta(days=delta)
    old.licence.save()
    case = _start(w, old.applicant)
    assert _origin(case, "测试许可证（电子证照）") == origin


class _Copy:
    def __init__(self, checked: dt.datetime):
        self.checked_at, self.uploaded_at = checked, None


@hsettings(max_examples=60, deadline=None)
@given(
    days=st.integers(min_value=1, max_value=3650),
    age=st.integers(min_value=0, max_value=4000),
    rule=st.sampled_from([MaterialReuse.DAYS, MaterialReuse.DEFAULT]),
)
def test_copy_valid_until_property(days, age, rule):
    """Usable on day T exactly when T - accepted ≤ the days of the rule."""
    checked = timezone.now() - dt.timedelta(days=age)
    material = Material(reuse=rule, reuse_days=days if rule == MaterialReuse.DAYS else None)
    until = copy_valid_until(_Copy(checked), material)  # type: ignore[arg-type]
    limit = days if rule == MaterialReuse.DAYS else 365
    assert until is not None
    assert (until >= timezone.localdate()) == (age <= limit)
    for never in (MaterialReuse.NEVER, MaterialReuse.EXPIRY):
        assert copy_valid_until(_Copy(checked), Material(reuse=never)) is None  # type: ignore[arg-type]


def test_consent_history_withdraw_and_grant_again(w):
    person = f.applicant()
    first = reuse_consent_grant(applicant=person, actor=person.audit_label)
    assert reuse_consent_grant(applicant=person, actor=person.audit_label) == first
    reuse_consent_withdraw(applicant=person, actor=person.audit_label)
    assert reuse_consent_withdraw(applicant=person, actor=person.audit_label) is None
    second = reuse_consent_grant(
        applicant=person, actor=person.audit_label, scope=ConsentScope.LICENCES
    )
    rows = list(ReuseConsent.objects.filter(applicant=person).order_by("pk"))
    assert [r.pk for r in rows] == [first.pk, second.pk]
    assert rows[0].withdrawn_at is not None and rows[1].withdrawn_at is None
    # Changing the scope closes the open row and opens a new one.
    third = reuse_consent_grant(applicant=person, actor=person.audit_label)
    second.refresh_from_db()
    assert second.withdrawn_at is not None and third.scope == ConsentScope.ALL
    with pytest.raises(IntegrityError), transaction.atomic():
        ReuseConsent.objects.create(
            applicant=person, granted_at=timezone.now(), granted_via="online", granted_by="x"
        )


def test_licences_only_consent_attaches_no_earlier_copy(w):
    old = f.case(w, state="delivered")
    person = old.applicant
    reuse_consent_grant(applicant=person, actor=person.audit_label, scope=ConsentScope.LICENCES)
    case = _start(w, person)
    assert _origin(case) == "upload" and _origin(case, "测试许可证（电子证照）") == "licence"


def test_withdrawing_keeps_submitted_cases_as_they_are(w):
    old = f.case(w, state="delivered")
    person = old.applicant
    reuse_consent_grant(applicant=person, actor=person.audit_label)
    case = _start(w, person)
    reuse_consent_withdraw(applicant=person, actor=person.audit_label)
    assert _origin(case) == "wallet"
    assert case_material_counts(case).reused == 2


def test_counter_consent_needs_a_window_clerk(w):
    person = f.applicant()
    with pytest.raises(PermissionDenied):
        reuse_consent_grant(applicant=person, actor=person.audit_label, via=ConsentChannel.COUNTER)
    approver = org_f.staff(w["dept"], Role.APPROVER)
    with pytest.raises(PermissionDenied):
        reuse_consent_grant(applicant=person, actor=approver, via=ConsentChannel.COUNTER)
    clerk = org_f.staff(w["dept"], Role.WINDOW_CLERK)
    with pytest.raises(PermissionDenied):
        reuse_consent_grant(applicant=person, actor=clerk)  # online, on someone's behalf
    row = reuse_consent_grant(applicant=person, actor=clerk, via=ConsentChannel.COUNTER)
    assert row.granted_via == "counter" and row.granted_by


def test_reused_share_is_a_fraction_shown_as_percent():
    from sanyi.catalog.reports import percent_text

    counts = MaterialCounts(reused=3, shared=1, submitted=5)
    assert counts.reused_share == 0.375 and percent_text(counts.reused_share) == "37.5%"
    assert percent_text(MaterialCounts().reused_share) is None


def _sign_in(client, person):
    from sanyi.applicants.auth import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = person.pk
    session.save()


def test_own_wallet_api_reads_and_changes_only_mine(client, w, django_assert_max_num_queries):
    old = f.case(w, state="delivered")
    person = old.applicant
    assert client.get("/api/v1/wallet/").status_code == 403
    _sign_in(client, person)
    with django_assert_max_num_queries(10):
        data = client.get("/api/v1/wallet/").json()
    assert data["consent"] is None and data["history"] == []
    assert [lic["number"] for lic in data["licences"]] == [old.licence.number]
    assert {m["name"] for m in data["materials"]} >= {"申请书"}
    body = {"consent": True, "scope": "licences"}
    data = client.post("/api/v1/wallet/consent/", body, content_type="application/json").json()
    assert data["consent"]["scope"] == "licences" and len(data["history"]) == 1
    data = client.post(
        "/api/v1/wallet/consent/", {"consent": False}, content_type="application/json"
    ).json()
    assert data["consent"] is None and data["history"][0]["withdrawn_at"]
    bad = client.post("/api/v1/wallet/consent/", {"scope": "x"}, content_type="application/json")
    assert bad.status_code == 400
    # Someone else's records never show.
    other = f.applicant()
    _sign_in(client, other)
    data = client.get("/api/v1/wallet/").json()
    assert data["licences"] == [] and data["history"] == []


def test_wallet_page_queries_do_not_grow_with_history(client, w, django_assert_max_num_queries):
    old = f.case(w, state="delivered")
    person = old.applicant
    for _ in range(5):
        reuse_consent_grant(applicant=person, actor=person.audit_label)
        reuse_consent_withdraw(applicant=person, actor=person.audit_label)
    _sign_in(client, person)
    with django_assert_max_num_queries(12):
        html = client.get("/my/wallet/").content.decode()
    assert html.count("本人网上办理") == 10 and "同意记录" in html
