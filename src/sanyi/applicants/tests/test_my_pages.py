"""The applicant's own pages: profile, consent, inbox; one applicant never sees another's."""

import pytest

from sanyi.applicants import selectors
from sanyi.applicants.auth import SESSION_KEY
from sanyi.applicants.portal import SECTIONS, register_section
from sanyi.applicants.tests import factories as af
from sanyi.notify.services import notify_applicant
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as of

pytestmark = pytest.mark.django_db


def sign_in(client, applicant):
    session = client.session
    session[SESSION_KEY] = applicant.pk
    session.save()


def note(applicant, subject, **kw):
    [m] = notify_applicant(
        applicant=applicant, event="case.accepted", subject=subject, body="正文", **kw
    )
    return m


def test_home_shows_masked_profile_unread_count_and_registered_sections(client):
    person = af.person(phone="10012345678")
    note(person, "您的申请已受理")
    sign_in(client, person)
    register_section("我的测试区", "applicants:inbox", order=5)
    try:
        page = client.get("/my/").content.decode()
    finally:
        SECTIONS[:] = [s for s in SECTIONS if s.label != "我的测试区"]
    assert person.masked_id in page and person.id_number not in page
    assert "100****5678" in page and "10012345678" not in page
    assert "1条未读" in page and "您的申请已受理" in page
    assert "我的测试区" in page


def test_portal_navigation_has_my_link(client):
    assert 'href="/my/"' in client.get("/").content.decode()


def test_inbox_lists_only_my_messages_with_bounded_queries(client, django_assert_max_num_queries):
    me, other = af.person(), af.person()
    for i in range(15):
        note(me, f"我的消息{i}")
    note(other, "别人的消息")
    sign_in(client, me)
    with django_assert_max_num_queries(8):
        page = client.get("/my/messages/").content.decode()
    assert "我的消息0" in page and "别人的消息" not in page


def test_another_applicants_message_does_not_exist_for_me(client):
    me, other = af.person(), af.person()
    theirs = note(other, "别人的消息")
    sign_in(client, me)
    assert client.get(f"/my/messages/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_a_message_marks_it_read_and_read_all_marks_the_rest(client):
    me = af.person()
    first, second = note(me, "一"), note(me, "二", link="/my/")
    sign_in(client, me)
    page = client.get(f"/my/messages/{second.pk}/").content.decode()
    assert 'href="/my/"' in page
    second.refresh_from_db()
    assert second.read_at is not None
    client.post("/my/messages/read-all/")
    first.refresh_from_db()
    assert first.read_at is not None


def test_contact_details_are_edited_and_audited(client):
    me = af.person()
    sign_in(client, me)
    response = client.post(
        "/my/profile/",
        {"email": "me@example.com", "address": "示范区翠苑路1号", "postal_code": "abc"},
    )
    assert "邮政编码应为6位数字" in response.content.decode()
    response = client.post(
        "/my/profile/",
        {"email": "me@example.com", "address": "示范区翠苑路1号", "postal_code": "990101"},
    )
    assert response.status_code == 302
    me.refresh_from_db()
    assert (me.email, me.postal_code) == ("me@example.com", "990101")
    from sanyi.audit.models import AuditEvent

    event = AuditEvent.objects.filter(action="applicant.update", object_id=str(me.pk)).last()
    assert event.actor_label == me.audit_label


def test_wallet_consent_toggle(client):
    me = af.person()
    sign_in(client, me)
    client.post("/my/profile/wallet-consent/", {"consent": "1"})
    assert selectors.reuse_consent_of(me) is not None
    client.post("/my/profile/wallet-consent/", {"consent": "0"})
    assert selectors.reuse_consent_of(me) is None
    assert me.reuse_consents.count() == 1


def test_an_applicant_session_is_not_a_staff_login(client):
    me = af.person()
    sign_in(client, me)
    response = client.get("/workbench/")
    assert response.status_code == 302 and "/my/" not in response.url


def test_a_staff_login_is_not_an_applicant_session(client):
    tree = of.tree()
    clerk = of.staff(tree["sub1"], Role.WINDOW_CLERK)
    client.force_login(clerk)
    assert client.get("/my/").status_code == 302
