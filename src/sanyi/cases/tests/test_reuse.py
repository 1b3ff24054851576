"""Materials never asked twice: e-licences and earlier checked materials attached by
themselves to a new application, with the applicant's consent (docs/cases-applying.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanyi.applicants.services import applicant_set_wallet_consent
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
    applicant_set_wallet_consent(applicant=person, consent=consent, actor=person.audit_label)
    person.refresh_from_db()


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
