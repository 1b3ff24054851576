"""Applicant profiles: one per ID number, updated only through audited services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sanyi.applicants import selectors, services
from sanyi.applicants.models import Applicant, ApplicantKind
from sanyi.applicants.tests import factories as af
from sanyi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
ACTOR = "系统：测试"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_kind_follows_the_number():
    number = af.resident_id()
    person = services.applicant_find_or_create(
        id_number=f" {number[:6]} {number[6:].lower()} ", name="张三", actor=ACTOR
    )
    org = services.applicant_find_or_create(
        id_number=af.uscc(), name="示范公司", organisation_category="commercial", actor=ACTOR
    )
    assert person.kind == ApplicantKind.PERSON and person.id_number == number
    assert org.kind == ApplicantKind.ORGANISATION
    assert AuditEvent.objects.filter(action="applicant.create").count() == 2


def test_a_bad_number_is_a_chinese_error_on_id_number():
    with pytest.raises(ValidationError) as exc:
        services.applicant_find_or_create(id_number="110105194912310021", name="x", actor=ACTOR)
    assert "校验位" in exc.value.message_dict["id_number"][0]


def test_the_same_number_finds_the_same_profile_and_never_changes_it():
    number = af.resident_id()
    first = services.applicant_find_or_create(
        id_number=number, name="李四", phone="10011112222", actor=ACTOR
    )
    again = services.applicant_find_or_create(
        id_number=number,
        name="冒名者",
        email="li@example.com",
        phone="10099998888",
        address="别处",
        actor=ACTOR,
    )
    assert again.pk == first.pk
    again.refresh_from_db()
    assert (again.name, again.phone, again.email, again.address) == ("李四", "10011112222", "", "")
    assert not AuditEvent.objects.filter(action="applicant.update").exists()
    assert Applicant.objects.count() == 1


def test_applicant_update_refuses_the_mobile():
    p = af.person()
    with pytest.raises(ValueError):
        services.applicant_update(applicant=p, actor=p.audit_label, phone="10012345678")


def test_nothing_changed_writes_no_audit_row():
    p = af.person()
    services.applicant_find_or_create(id_number=p.id_number, name=p.name, actor=ACTOR)
    assert not AuditEvent.objects.filter(action="applicant.update").exists()


def test_persons_have_no_organisation_category():
    with pytest.raises(ValidationError) as exc:
        services.applicant_find_or_create(
            id_number=af.resident_id(), name="王五", organisation_category="commercial", actor=ACTOR
        )
    assert "organisation_category" in exc.value.message_dict


def test_phone_and_postal_code_are_checked():
    with pytest.raises(ValidationError) as exc:
        services.applicant_find_or_create(
            id_number=af.resident_id(), name="赵六", phone="abc", postal_code="12", actor=ACTOR
        )
    assert set(exc.value.message_dict) == {"phone", "postal_code"}
    p = services.applicant_find_or_create(
        id_number=af.resident_id(), name="赵六", phone="+86 100-1234-5678", actor=ACTOR
    )
    assert p.phone == "10012345678"


def test_wallet_consent_records_the_time_and_is_audited():
    p = af.person()
    c = services.reuse_consent_grant(applicant=p, actor=p.audit_label)
    assert c.granted_at is not None and c.withdrawn_at is None
    c = services.reuse_consent_withdraw(applicant=p, actor=p.audit_label)
    assert c is not None and c.withdrawn_at is not None
    assert AuditEvent.objects.filter(action__startswith="applicant.reuse_consent").count() == 2


def test_agent_authorisation_stores_a_checked_document_under_a_random_name():
    principal, agent = af.organisation(), af.person()
    auth = services.agent_authorisation_create(
        principal=principal,
        agent=agent,
        document=SimpleUploadedFile("委托书-张三-身份证.pdf", PDF),
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31),
        scope_note="代办营业执照变更",
        actor=ACTOR,
    )
    assert "张三" not in auth.document.name and auth.document.name.endswith(".pdf")
    assert auth.document.read() == PDF
    assert len(auth.document_sha256) == 64
    valid = selectors.authorisations_valid
    assert list(valid(agent=agent, principal=principal, on=dt.date(2026, 6, 1))) == [auth]
    assert not valid(agent=agent, principal=principal, on=dt.date(2027, 1, 1)).exists()
    services.agent_authorisation_revoke(authorisation=auth, actor=ACTOR)
    assert not valid(agent=agent, principal=principal, on=dt.date(2026, 6, 1)).exists()


@pytest.mark.parametrize(
    "content,message",
    [(b"<html><script>", "PDF、JPG 或 PNG"), (b"", "空的")],
)
def test_agent_authorisation_refuses_other_files(content, message):
    with pytest.raises(ValidationError, match=message):
        services.agent_authorisation_create(
            principal=af.person(),
            agent=af.person(),
            document=SimpleUploadedFile("a.pdf", content),
            valid_from=dt.date(2026, 1, 1),
            actor=ACTOR,
        )


def test_an_agent_cannot_be_the_principal_or_an_organisation():
    p, org = af.person(), af.organisation()
    for agent in (p, org):
        with pytest.raises(ValidationError) as exc:
            services.agent_authorisation_create(
                principal=p,
                agent=agent,
                document=SimpleUploadedFile("a.pdf", PDF),
                valid_from=dt.date(2026, 1, 1),
                actor=ACTOR,
            )
        assert "agent" in exc.value.message_dict
