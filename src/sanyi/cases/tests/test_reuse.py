"""Materials never asked twice: e-licences and earlier checked materials attached by
themselves to a new application, with the applicant's consent (docs/cases-applying.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sanyi.applicants.selectors import reuse_consent_of
from sanyi.applicants.services import reuse_consent_grant, reuse_consent_withdraw
from sanyi.audit.models import AuditEvent
from sanyi.cases import services
from sanyi.cases.models import CaseMaterial
from sanyi.cases.services.reuse import material_key
from sanyi.cases.tests import factories as f
from sanyi.catalog.tests import factories as catalog_f
from sanyi.licences.models import LicenceStatus
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


def follow_up_item(w):
    """An item that asks for the licence ``item`` issues and for the same 申请书."""
    reviewer = org_f.staff(w["district"], Role.CATALOG_ADMIN)
    version = catalog_f.item(
        unit=w["dept"],
        status="published",
        reviewer=reviewer,
        guide=f.licence_guide(
            materials=[
                f._material("申请书"),
                f._material("测试许可证（电子证照）"),
                f._material("户口簿"),
                f._material("营业执照", source="shared_data"),
            ],
            result={"name": "", "type": "other", "sample": ""},
        ),
    )
    return version.implementation_item


def _consent(person, consent=True):
    if consent:
        reuse_consent_grant(applicant=person, actor=person.audit_label)
    else:
        reuse_consent_withdraw(applicant=person, actor=person.audit_label)


def _start(w, person):
    return services.case_start(
        applicant=person, item=follow_up_item(w), channel="online", actor=person.audit_label
    )


def test_material_key_matches_spacing_brackets_and_licence_suffix():
    assert material_key("测试许可证（电子证照）") == material_key("测试 许可证")
    assert material_key("ID Card") == material_key("id card")
    assert material_key("申请书") != material_key("申请表")


def test_no_consent_nothing_attached(w):
    old = f.case(w, state="delivered")
    case = _start(w, old.applicant)
    assert not case.materials.exclude(origin__in=["upload", "shared"]).exists()
    assert not case.materials.exclude(file="").exists()


def test_consent_attaches_licence_and_earlier_material(w):
    old = f.case(w, state="delivered")
    person = old.applicant
    _consent(person)
    case = _start(w, person)
    rows = {m.name: m for m in case.materials.select_related("licence", "reused_from__case")}
    lic = rows["测试许可证（电子证照）"]
    assert lic.origin == "licence" and lic.licence == old.licence and lic.status == "pending"
    form = rows["申请书"]
    assert form.origin == "wallet" and form.reused_from.case == old and form.file
    assert rows["户口簿"].origin == "upload" and not rows["户口簿"].file
    assert rows["营业执照"].status == "shared"
    entry = AuditEvent.objects.filter(action="cases.start", object_id=str(case.pk)).get()
    assert len(entry.changes["reused"]) == 2


def test_withdrawn_consent_stops_attaching(w):
    old = f.case(w, state="delivered")
    person = old.applicant
    _consent(person)
    _consent(person, False)
    case = _start(w, person)
    assert set(case.materials.values_list("origin", flat=True)) <= {"upload", "shared"}


def test_expired_or_revoked_licence_and_old_material_not_attached(w, settings):
    old = f.case(w, state="delivered")
    person = old.applicant
    _consent(person)
    licence = old.licence
    licence.valid_until = timezone.localdate() - dt.timedelta(days=1)
    licence.save()
    settings.SANYI_MATERIAL_REUSE_DAYS = 30
    CaseMaterial.objects.filter(case=old).update(
        checked_at=timezone.now() - dt.timedelta(days=31),
        uploaded_at=timezone.now() - dt.timedelta(days=40),
    )
    case = _start(w, person)
    assert set(case.materials.values_list("origin", flat=True)) <= {"upload", "shared"}
    licence.valid_until = None
    licence.status = LicenceStatus.REVOKED
    licence.save()
    CaseMaterial.objects.filter(case=old).update(checked_at=timezone.now())
    case = _start(w, person)
    origins = dict(case.materials.values_list("name", "origin"))
    assert origins["测试许可证（电子证照）"] == "upload" and origins["申请书"] == "wallet"


def test_someone_elses_records_are_never_attached(w):
    f.case(w, state="delivered")
    person = f.applicant()
    _consent(person)
    case = _start(w, person)
    assert set(case.materials.values_list("origin", flat=True)) <= {"upload", "shared"}


def test_shared_data_row_is_taken_from_the_licence_without_consent_or_upload(w):
    old = f.case(w, state="delivered")
    person = old.applicant
    reviewer = org_f.staff(w["district"], Role.CATALOG_ADMIN)
    item = catalog_f.item(
        unit=w["dept"],
        status="published",
        reviewer=reviewer,
        guide=f.licence_guide(
            materials=[f._material("申请书"), f._material("测试许可证", source="shared_data")],
            result={"name": "", "type": "other", "sample": ""},
        ),
    ).implementation_item
    case = services.case_start(
        applicant=person, item=item, channel="online", actor=person.audit_label
    )
    shared = case.materials.get(name="测试许可证")
    assert (shared.origin, shared.status, shared.licence) == ("shared", "shared", old.licence)
    assert not shared.file
    # Without consent, the applicant's own materials are not attached.
    assert case.materials.get(name="申请书").origin == "upload"


def test_consent_on_the_draft_fills_it(w):
    old = f.case(w, state="delivered")
    person = old.applicant
    case = _start(w, person)
    _consent(person)
    services.case_materials_autofill(case=case, actor=person.audit_label)
    origins = dict(case.materials.values_list("name", "origin"))
    assert origins["测试许可证（电子证照）"] == "licence" and origins["申请书"] == "wallet"
    assert AuditEvent.objects.filter(action="cases.material_autofill").count() == 1
    # An own upload is never replaced by a later autofill.
    own = case.materials.get(name="户口簿")
    services.case_material_upload(
        case=case, case_material=own, uploaded=f.upload(), actor=person.audit_label
    )
    services.case_materials_autofill(case=case, actor=person.audit_label)
    assert case.materials.get(name="户口簿").origin == "upload"


# --- counts, the reduction report, staff page, wallet pages, API ---------------------------


def _reused_case(w):
    old = f.case(w, state="delivered")
    person = old.applicant
    _consent(person)
    return old, _start(w, person)


def test_counts_per_case_and_for_many_cases_in_one_query(w, django_assert_num_queries):
    from sanyi.cases.models import Case
    from sanyi.cases.wallet import case_material_counts, material_counts_by_case

    old, case = _reused_case(w)
    with django_assert_num_queries(1):
        counts = case_material_counts(case)
    assert (counts.reused, counts.shared, counts.submitted) == (2, 1, 0)
    assert counts.reused_share == 1.0
    own = case.materials.get(name="户口簿")
    services.case_material_upload(
        case=case, case_material=own, uploaded=f.upload(), actor=case.applicant.audit_label
    )
    counts = case_material_counts(case)
    assert (counts.reused, counts.submitted, counts.reused_share) == (2, 1, round(2 / 3, 4))
    with django_assert_num_queries(1):
        many = material_counts_by_case(Case.objects.filter(pk__in=[old.pk, case.pk]))
    assert many[case.pk] == counts
    assert many[old.pk].reused == 0 and many[old.pk].submitted == 2


def test_reduction_report_shows_the_share_reused(w):
    from sanyi.catalog.reports import reduction_report, reduction_report_xlsx

    _reused_case(w)
    report = reduction_report(viewer=w["approver"])
    assert report.cases["case_materials_reused"] == 2
    assert report.cases["case_materials_submitted"] == 2
    assert report.cases["case_materials_reused_share"] == 0.5
    assert reduction_report_xlsx(report)[:2] == b"PK"


def test_staff_case_page_says_what_was_reused_and_from_where(client, w, settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False
    old, case = _reused_case(w)
    client.force_login(w["approver"])
    page = client.get(reverse("workbench:cases:work_case", args=[case.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f"来自办件{old.number}" in html and old.licence.number in html
    assert "复用2项" in html and "已通过数据共享获取" in html


def _sign_in(client, person):
    from sanyi.applicants.auth import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = person.pk
    session.save()


def test_wallet_page_lists_licences_and_materials_and_toggles_consent(
    client, w, django_assert_max_num_queries
):
    old = f.case(w, state="delivered")
    person = old.applicant
    _sign_in(client, person)
    with django_assert_max_num_queries(12):
        html = client.get("/my/wallet/").content.decode()
    assert old.licence.number in html and old.number in html and "申请书" in html
    assert "未同意" in html and "可复用至" in html
    assert "我的证照和材料" in client.get("/my/").content.decode()
    client.post("/my/wallet/consent/", {"consent": "1"})
    assert reuse_consent_of(person) is not None
    assert "已同意" in client.get("/my/wallet/").content.decode()
    client.post("/my/wallet/consent/", {"consent": "0"})
    assert reuse_consent_of(person) is None
    assert AuditEvent.objects.filter(action="applicant.reuse_consent_grant").count() == 1
    assert AuditEvent.objects.filter(action="applicant.reuse_consent_withdraw").count() == 1
    html = client.get("/my/wallet/").content.decode()
    assert "同意记录" in html and "本人网上办理" in html


def test_wallet_page_needs_sign_in_and_shows_only_mine(client, w):
    old = f.case(w, state="delivered")
    assert client.get("/my/wallet/").status_code == 302
    _sign_in(client, f.applicant())
    html = client.get("/my/wallet/").content.decode()
    assert old.licence.number not in html and "您还没有电子证照" in html


def test_consent_on_the_application_fills_the_draft(client, w):
    old = f.case(w, state="delivered")
    person = old.applicant
    case = _start(w, person)
    _sign_in(client, person)
    client.post(f"/cases/mine/{case.number}/consent/", {"consent": "on"})
    origins = dict(case.materials.values_list("name", "origin"))
    assert origins["测试许可证（电子证照）"] == "licence"
    html = client.get(f"/cases/mine/{case.number}/edit/").content.decode()
    assert "已复用电子证照，不用上传" in html and "已通过数据共享获取" in html


def test_api_wallet_for_staff_with_the_case(w):
    from rest_framework.test import APIClient

    old, case = _reused_case(w)
    api = APIClient()
    api.force_authenticate(w["approver"])
    data = api.get(f"/api/v1/cases/{case.pk}/wallet/").json()
    assert data["consent"] is True
    assert [lic["number"] for lic in data["licences"]] == [old.licence.number]
    assert {r["origin"] for r in data["reused"]} == {"licence", "wallet"}
    assert data["counts"] == {"reused": 2, "shared": 1, "submitted": 0, "reused_share": 1.0}
    outsider = APIClient()
    outsider.force_authenticate(w["sub_approver"])
    assert outsider.get(f"/api/v1/cases/{case.pk}/wallet/").status_code in (403, 404)
