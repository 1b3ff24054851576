"""Help to apply (帮办代办): consent by code or photographed authorisation, scope to the
officer's grid, materials stored and the case submitted all or nothing, zero visits."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanyi.applicants.models import Applicant
from sanyi.audit.models import AuditEvent
from sanyi.cases.choices import CaseChannel, CaseStatus, MaterialStatus
from sanyi.cases.models import Case, CaseMaterial, Visit
from sanyi.cases.selectors import visit_rates
from sanyi.cases.tests import factories as case_f
from sanyi.grid import services
from sanyi.grid.models import Assist, AssistCode, AssistStatus, ConsentMethod
from sanyi.grid.tests.factories import jpeg_with_gps

pytestmark = pytest.mark.django_db


def resident(gw, grid="grid_a", **fields) -> Applicant:
    person = case_f.applicant(address="示范区文一路45号", **fields)
    Applicant.objects.filter(pk=person.pk).update(grid=gw[grid])
    person.refresh_from_db()
    return person


def started(gw, person=None) -> Assist:
    person = person or resident(gw)
    return services.assist_start(actor=gw["officer_a"], applicant=person, item=gw["item"])


def code_of(memory_sms) -> str:
    return re.search(r"验证码(\d{6})", memory_sms.sent[-1].text).group(1)


def consented(gw, memory_sms) -> Assist:
    assist = started(gw)
    services.assist_code_request(assist=assist, actor=gw["officer_a"])
    return services.assist_consent(
        assist=assist, actor=gw["officer_a"], method="sms", code=code_of(memory_sms)
    )


def photo(name="p.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")


def all_photos(assist: Assist) -> dict:
    return {cm.pk: photo() for cm in services.assist_materials(assist)}


def test_consent_by_sms_code_opens_an_online_draft_marked_assisted(gw, memory_sms):
    assist = consented(gw, memory_sms)
    case = assist.case
    assert assist.status == AssistStatus.MATERIALS
    assert assist.consent_method == ConsentMethod.SMS and assist.consented_at is not None
    assert case.channel == CaseChannel.ONLINE and case.status == CaseStatus.DRAFT
    assert case.assisted_by == gw["officer_a"]
    assert case.assisted_text == f"网格员代办（{gw['officer_a']}）"
    assert case.events.get(kind="created").note.startswith("网格员代办")


def test_wrong_code_is_refused_and_counted(gw, memory_sms):
    assist = started(gw)
    services.assist_code_request(assist=assist, actor=gw["officer_a"])
    with pytest.raises(ValidationError) as exc:
        services.assist_consent(assist=assist, actor=gw["officer_a"], method="sms", code="000000")
    assert "code" in exc.value.message_dict
    assert AssistCode.objects.get(assist=assist).attempts == 1
    assert Case.objects.filter(applicant=assist.applicant).count() == 0


def test_expired_code_is_refused(gw, memory_sms):
    assist = started(gw)
    services.assist_code_request(assist=assist, actor=gw["officer_a"])
    later = timezone.now() + dt.timedelta(hours=2)
    with pytest.raises(ValidationError):
        services.assist_consent(
            assist=assist, actor=gw["officer_a"], method="sms", code=code_of(memory_sms), now=later
        )
    assist.refresh_from_db()
    assert assist.status == AssistStatus.CONSENT and assist.case is None


def test_code_goes_to_the_mobile_on_file(gw, memory_sms):
    assist = started(gw, resident(gw, phone="13900001111"))
    sent = services.assist_code_request(assist=assist, actor=gw["officer_a"])
    assert memory_sms.sent[-1].phone == "13900001111"
    assert sent.phone == "139****1111"


def test_consent_by_authorisation_photo_keeps_the_photo_without_location(gw):
    assist = started(gw)
    assist = services.assist_consent(
        assist=assist, actor=gw["officer_a"], method="photo", authorisation=photo()
    )
    assert assist.consent_method == ConsentMethod.PHOTO
    assert assist.authorisation_sha256
    from PIL import Image

    with Image.open(io.BytesIO(assist.authorisation.read())) as kept:
        assert not kept.getexif().get_ifd(0x8825)


def test_authorisation_that_is_not_a_picture_is_refused(gw):
    assist = started(gw)
    fake = SimpleUploadedFile("a.jpg", b"not a picture at all", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.assist_consent(
            assist=assist, actor=gw["officer_a"], method="photo", authorisation=fake
        )
    assert "authorisation" in exc.value.message_dict


def test_officer_cannot_apply_for_a_resident_of_another_grid(gw):
    other = resident(gw, grid="grid_b")
    with pytest.raises(PermissionDenied):
        services.assist_start(actor=gw["officer_a"], applicant=other, item=gw["item"])


def test_officer_cannot_continue_another_officers_assist(gw, memory_sms):
    assist = started(gw)
    with pytest.raises(PermissionDenied):
        services.assist_code_request(assist=assist, actor=gw["officer_b"])


def test_submit_stores_photos_as_materials_and_counts_no_visit(gw, memory_sms):
    assist = consented(gw, memory_sms)
    services.assist_submit(assist=assist, actor=gw["officer_a"], photos=all_photos(assist))
    case = Case.objects.get(pk=assist.case_id)
    assert case.status == CaseStatus.PRECHECK
    uploaded = case.materials.exclude(status=MaterialStatus.SHARED)
    assert all(cm.file and cm.content_type == "image/jpeg" for cm in uploaded)
    assert case.visits == 0
    assert not Visit.objects.filter(case=case).exists()
    assert AuditEvent.objects.filter(action="grid.assist_submit").count() == 1


def test_a_bad_photo_saves_nothing(gw, memory_sms):
    assist = consented(gw, memory_sms)
    photos = all_photos(assist)
    first = next(iter(photos))
    photos[first] = SimpleUploadedFile("x.jpg", b"%PDF-1.4 nope", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.assist_submit(assist=assist, actor=gw["officer_a"], photos=photos)
    assert not CaseMaterial.objects.filter(case=assist.case).exclude(file="").exists()
    assert Case.objects.get(pk=assist.case_id).status == CaseStatus.DRAFT


def test_missing_required_material_saves_nothing(gw, memory_sms):
    assist = consented(gw, memory_sms)
    photos = all_photos(assist)
    photos.pop(next(iter(photos)))
    with pytest.raises(ValidationError) as exc:
        services.assist_submit(assist=assist, actor=gw["officer_a"], photos=photos)
    assert "materials" in exc.value.message_dict
    assert not CaseMaterial.objects.filter(case=assist.case).exclude(file="").exists()


def test_assisted_case_counts_as_zero_visits_when_concluded(gw, memory_sms):
    assist = consented(gw, memory_sms)
    services.assist_submit(assist=assist, actor=gw["officer_a"], photos=all_photos(assist))
    Case.objects.filter(pk=assist.case_id).update(
        status=CaseStatus.CONCLUDED, concluded_on=timezone.localdate()
    )
    rates = visit_rates()
    assert rates.cases == 1 and rates.zero_visit == 1


def test_every_step_is_audited(gw, memory_sms):
    assist = consented(gw, memory_sms)
    rows = AuditEvent.objects.filter(object_id=str(assist.pk))
    actions = set(rows.values_list("action", flat=True))
    assert {"grid.assist_start", "grid.assist_code_send", "grid.assist_consent"} <= actions
