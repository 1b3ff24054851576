"""Bundles (一件事一次办): one application, a case per member, members that wait."""

import pytest
from django.core.exceptions import ValidationError

from sanyi.audit.models import AuditEvent
from sanyi.cases import services
from sanyi.cases.choices import CaseStatus, Decision, MaterialOrigin, MaterialStatus
from sanyi.cases.models import Bundle, Case
from sanyi.cases.tests import bundle_factories as bf
from sanyi.cases.tests.factories import applicant, upload

pytestmark = pytest.mark.django_db


def _members(bundle):
    return {m.case.implementation_item_id: m for m in bundle.members.select_related("case")}


def test_one_application_makes_one_case_per_member_routed_to_its_own_unit(w):
    person = applicant()
    bundle = bf.apply(w, person)
    assert bundle.number.startswith("YJS-")
    members = _members(bundle)
    first, second = members[w["item"].pk], members[w["second_item"].pk]
    community = members[w["community_item"].pk]
    assert first.case.status == CaseStatus.PRECHECK
    assert community.case.status == CaseStatus.PRECHECK
    assert community.case.unit == w["comm1"] and first.case.unit == w["dept"]
    # The member that waits is a draft until the first concludes.
    assert second.case.status == CaseStatus.DRAFT and second.waits_for == first
    # 申请书 was uploaded once: both cases point at the same stored file.
    one = first.case.materials.get(name="申请书")
    two = second.case.materials.get(name="申请书")
    assert one.file.name == two.file.name and one.sha256 == two.sha256
    assert first.case.form_data["污水是否排入管网？"] == "是"
    assert AuditEvent.objects.filter(action="cases.bundle_apply").count() == 1


def test_a_conditional_member_is_left_out_by_the_answer(w):
    bundle = bf.apply(w, applicant(), sewer=False)
    assert w["community_item"].pk not in _members(bundle)
    assert bundle.members.count() == 2


def test_all_or_nothing_when_a_material_is_missing(w):
    person = applicant()
    event = bf.life_event(w)
    before = Case.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.bundle_apply(
            applicant=person,
            life_event=event,
            answers={"sewer": "yes"},
            uploads={"申请书": upload()},
            actor=person.audit_label,
        )
    assert "申请表" in str(exc.value)
    assert Case.objects.count() == before and not Bundle.objects.exists()


def test_an_unanswered_shared_field_is_named(w):
    person = applicant()
    with pytest.raises(ValidationError) as exc:
        services.bundle_apply(
            applicant=person,
            life_event=bf.life_event(w),
            answers={},
            uploads=bf.uploads(),
            actor=person.audit_label,
        )
    assert exc.value.message_dict["answer_sewer"] == ["请回答：污水是否排入管网？"]


def test_a_failing_member_rolls_back_every_case(w, monkeypatch):
    from sanyi.cases.services import intake

    person = applicant()
    event = bf.life_event(w)
    real = intake.case_submit
    calls = []

    def fail_second(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ValidationError({"materials": "模拟失败"})
        return real(**kwargs)

    monkeypatch.setattr("sanyi.cases.services.bundles.case_submit", fail_second)
    with pytest.raises(ValidationError):
        services.bundle_apply(
            applicant=person,
            life_event=event,
            answers={"sewer": "yes"},
            uploads=bf.uploads(),
            actor=person.audit_label,
        )
    assert not Case.objects.filter(applicant=person).exists()
    assert not Bundle.objects.filter(applicant=person).exists()


def test_the_same_key_returns_the_first_bundle(w):
    person = applicant()
    first = bf.apply(w, person, idempotency_key="k1")
    again = bf.apply(w, person, idempotency_key="k1")
    assert again.pk == first.pk and Bundle.objects.filter(applicant=person).count() == 1


def _ready_prechecked(w, bundle):
    for m in bundle.members.select_related("case"):
        if m.case.status == CaseStatus.PRECHECK:
            bf.precheck(w, m.case)


def _checks(bundle, result=services.BUNDLE_CHECKED, **special):
    """Every material of the bundle's members found ``result`` at the window, except the
    ones named in ``special`` (material name → (result, note))."""
    out = {}
    for m in bundle.members.select_related("case"):
        for cm in m.case.materials.all():
            out[cm.pk] = special.get(cm.name, (result, ""))
    return out


def _accept_ready(w, bundle):
    _ready_prechecked(w, bundle)
    outcome = services.bundle_accept(
        bundle=bundle, window=w["window"], actor=w["clerk"], checks=_checks(bundle)
    )
    return outcome.accepted


def test_the_counter_accepts_every_ready_member_of_its_centre_in_one_go(w):
    bundle = bf.apply(w, applicant())
    accepted = _accept_ready(w, bundle)
    members = _members(bundle)
    # The district centre accepts the department item; the community item waits for its
    # own centre; the waiting member is not ready yet.
    assert [c.pk for c in accepted] == [members[w["item"].pk].case_id]
    assert AuditEvent.objects.filter(action="cases.bundle_accept").count() == 1
    community = services.bundle_accept(
        bundle=bundle, window=w["comm_window"], actor=w["comm_clerk"], checks=_checks(bundle)
    )
    assert [c.pk for c in community.accepted] == [members[w["community_item"].pk].case_id]
    with pytest.raises(ValidationError):
        services.bundle_accept(
            bundle=bundle, window=w["window"], actor=w["clerk"], checks=_checks(bundle)
        )


def test_the_counter_does_not_take_the_precheck_as_given(w):
    bundle = bf.apply(w, applicant())
    _ready_prechecked(w, bundle)
    with pytest.raises(ValidationError) as err:
        services.bundle_accept(bundle=bundle, window=w["window"], actor=w["clerk"], checks={})
    assert "请核对" in str(err.value.messages)
    case = _members(bundle)[w["item"].pk].case
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_ACCEPTANCE


def test_a_member_missing_a_material_goes_to_correction(w):
    bundle = bf.apply(w, applicant())
    _ready_prechecked(w, bundle)
    members = _members(bundle)
    case = members[w["item"].pk].case
    first = case.materials.exclude(status=MaterialStatus.SHARED).first()
    checks = _checks(bundle)
    checks[first.pk] = (services.BUNDLE_MISSING, "")
    outcome = services.bundle_accept(
        bundle=bundle, window=w["window"], actor=w["clerk"], checks=checks
    )
    assert outcome.accepted == [] and [c.pk for c in outcome.corrections] == [case.pk]
    case.refresh_from_db()
    first.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION_NOTICE
    assert first.status == MaterialStatus.TO_FIX and first.name in first.problem


def test_a_correction_needs_what_to_correct(w):
    bundle = bf.apply(w, applicant())
    _ready_prechecked(w, bundle)
    case = _members(bundle)[w["item"].pk].case
    first = case.materials.exclude(status=MaterialStatus.SHARED).first()
    checks = _checks(bundle)
    checks[first.pk] = (services.BUNDLE_TO_FIX, "  ")
    with pytest.raises(ValidationError) as err:
        services.bundle_accept(bundle=bundle, window=w["window"], actor=w["clerk"], checks=checks)
    assert f"“{first.name}”需补正，请写明要补正什么" in err.value.messages[0]


def test_the_whole_bundle_can_be_refused_with_reason_and_basis(w):
    bundle = bf.apply(w, applicant())
    _ready_prechecked(w, bundle)
    with pytest.raises(ValidationError):
        services.bundle_accept(bundle=bundle, window=w["window"], actor=w["clerk"], refuse=True)
    outcome = services.bundle_accept(
        bundle=bundle,
        window=w["window"],
        actor=w["clerk"],
        refuse=True,
        reason="申请人不符合条件",
        basis="《行政许可法》第三十二条",
    )
    assert outcome.refused and all(c.status == CaseStatus.NOT_ACCEPTED for c in outcome.refused)


def test_a_waiting_member_starts_when_the_earlier_concludes_with_its_result(
    w, django_capture_on_commit_callbacks
):
    from sanyi.notify.models import Message

    person = applicant()
    bundle = bf.apply(w, person)
    _accept_ready(w, bundle)
    members = _members(bundle)
    first, second = members[w["item"].pk], members[w["second_item"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        bf.conclude(w, first.case)
    second.refresh_from_db()
    second.case.refresh_from_db()
    assert second.started_at is not None
    assert second.case.status == CaseStatus.PRECHECK
    licence = second.case.materials.get(name="营业执照")
    document = first.case.documents.get()
    assert licence.origin == MaterialOrigin.RESULT
    assert licence.result_document == document and licence.file.name == document.file.name
    assert licence.status == MaterialStatus.PENDING
    # Run again (the sweep): nothing happens twice.
    assert services.bundles_start_waiting() == 0
    assert services.bundle_member_start(member=second).started_at == second.started_at
    told = Message.objects.filter(applicant=person, event="case.concluded").get()
    assert bundle.number in told.body and bundle.life_event.name in told.body
    assert Message.objects.filter(applicant=person, event="bundle.member_started").exists()


def test_the_sweep_starts_a_member_the_hook_missed(w):
    bundle = bf.apply(w, applicant(), sewer=False)
    _accept_ready(w, bundle)
    first = _members(bundle)[w["item"].pk]
    bf.conclude(w, first.case)  # on-commit hooks do not run here
    assert services.bundles_start_waiting() == 1
    assert _members(bundle)[w["second_item"].pk].case.status == CaseStatus.PRECHECK


def test_a_refused_earlier_case_withdraws_the_waiting_member(w, django_capture_on_commit_callbacks):
    bundle = bf.apply(w, applicant(), sewer=False)
    _accept_ready(w, bundle)
    first = _members(bundle)[w["item"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        bf.conclude(w, first.case, Decision.DENY)
    second = _members(bundle)[w["second_item"].pk]
    assert second.case.status == CaseStatus.WITHDRAWN
    assert first.case.number in second.stopped_note


def test_the_applicant_is_told_once_naming_the_bundle(w, django_capture_on_commit_callbacks):
    from sanyi.notify.models import Message

    person = applicant()
    with django_capture_on_commit_callbacks(execute=True):
        bundle = bf.apply(w, person)
    told = Message.objects.filter(applicant=person, event="bundle.applied").get()
    assert bundle.number in told.body and "共3个事项" in told.body
