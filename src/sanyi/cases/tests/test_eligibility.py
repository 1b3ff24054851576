"""Eligibility rules when applying: the facts the server works out for a known applicant,
the online application stopped with the reason, and the warning at the window that the
clerk may override (audited)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sanyi.applicants.auth import SESSION_KEY
from sanyi.audit.models import AuditEvent
from sanyi.cases import services
from sanyi.cases.choices import CaseChannel, CaseStatus, MaterialStatus
from sanyi.cases.eligibility import age_on, applicant_eligibility, applicant_facts
from sanyi.cases.models import Case
from sanyi.cases.tests import factories as f
from sanyi.catalog.demo.eligibility import RULES_BY_ITEM
from sanyi.catalog.tests import factories as catalog_f
from sanyi.core.ids import make_resident_id

pytestmark = pytest.mark.django_db
OLD_AGE = RULES_BY_ITEM["高龄津贴申请"]
TODAY = dt.date(2026, 12, 7)


def _born(day: str) -> str:
    return make_resident_id(f"110105{day}{day[-3:]}")


@pytest.fixture
def old_age(w):
    """高龄津贴 of the district department, open online and at the window."""
    version = catalog_f.item(
        unit=w["dept"],
        status="published",
        name="高龄津贴申请",
        item_type="20",
        guide=f.licence_guide(eligibility_rules=OLD_AGE, channels=["window", "online"]),
    )
    return version.implementation_item


def test_age_is_counted_in_full_years_from_the_id_number():
    number = _born("19461208")
    assert age_on(number, TODAY) == 79
    assert age_on(number, dt.date(2026, 12, 8)) == 80
    assert age_on("not a number", TODAY) is None


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
    later=st.integers(min_value=0, max_value=40000),
)
def test_age_grows_by_one_exactly_on_each_birthday(born, later):
    number = make_resident_id(f"110105{born:%Y%m%d}123")
    on = born + dt.timedelta(days=later)
    age = age_on(number, on)
    years = on.year - born.year
    birthday_this_year = (on.month, on.day) >= (born.month, born.day)
    assert age == (years if birthday_this_year else years - 1)
    assert 0 <= age <= later // 365


def test_facts_of_a_person_come_from_the_profile(w, old_age):
    person = f.applicant(id_number=_born("19400101"), address=f"{w['comm1'].name}人民路1号")

    facts = applicant_facts(person, old_age, on=TODAY, fields=["has_licence:测试许可证"])

    assert facts == {
        "applicant_kind": "person",
        "age": 86,
        "in_district": True,
        "subdistrict": w["sub1"].code,
        "community": w["comm1"].code,
        "has_open_case": False,
        "has_licence:测试许可证": False,
    }


def test_open_cases_and_licences_are_counted(w):
    person = f.applicant()
    f.case(w, state="concluded", applicant_=person)  # issues 测试许可证
    f.case(w, state="in_progress", applicant_=person)
    fields = ["has_licence:测试许可证"]

    facts = applicant_facts(person, w["item"], on=TODAY, fields=fields)

    assert facts["has_open_case"] is True
    assert facts["has_licence:测试许可证"] is True


def test_a_draft_or_a_closed_case_is_not_an_open_case(w):
    person = f.applicant()
    f.case(w, state="delivered", applicant_=person)
    f.case(w, state="draft", applicant_=person, channel=CaseChannel.ONLINE)
    assert applicant_facts(person, w["item"], on=TODAY)["has_open_case"] is False


def test_an_organisation_has_no_age(w, old_age):
    from sanyi.applicants.tests import factories as applicant_f

    company = applicant_f.organisation()
    facts = applicant_facts(company, old_age, on=TODAY)
    assert facts["applicant_kind"] == "organisation"
    assert "age" not in facts


# --- online: stopped -------------------------------------------------------------------------


def test_a_69_year_old_cannot_start_an_online_application(w, old_age):
    person = f.applicant(id_number=_born("19570301"))
    with pytest.raises(ValidationError) as caught:
        services.case_start(
            applicant=person, item=old_age, channel=CaseChannel.ONLINE, actor=person.audit_label
        )
    assert "高龄津贴发给年满80周岁的老年人，您还不到80周岁。" in caught.value.messages[0]
    assert not Case.objects.filter(applicant=person).exists()


def test_an_85_year_old_may_apply_online(w, old_age):
    person = f.applicant(id_number=_born("19410301"))
    case = services.case_start(
        applicant=person, item=old_age, channel=CaseChannel.ONLINE, actor=person.audit_label
    )
    assert case.status == CaseStatus.DRAFT


def test_the_apply_page_stops_the_resident_with_the_plain_reason(client, w, old_age):
    person = f.applicant(id_number=_born("19570301"))
    session = client.session
    session[SESSION_KEY] = person.pk
    session.save()

    response = client.post(
        reverse("cases:apply", args=[old_age.implementation_code]), {"for": "self"}, follow=True
    )

    page = response.content.decode()
    assert "暂时不能申请这个事项" in page
    assert "您还不到80周岁" in page
    assert not Case.objects.filter(applicant=person).exists()


# --- at the window: a warning the clerk may override ------------------------------------------


@pytest.fixture
def young_walk_in(w, old_age):
    person = f.applicant(id_number=_born("19570301"))
    case = services.case_start(
        applicant=person, item=old_age, channel=CaseChannel.WINDOW, actor=w["clerk"]
    )
    f.provide_all(case, w["clerk"])
    return case


def _accept_data(case, **extra):
    data = {"decision": "accept", "action": "decide"}
    for cm in case.materials.exclude(status=MaterialStatus.SHARED):
        data[f"received_{cm.pk}"] = "on"
        data[f"problem_{cm.pk}"] = ""
    data.update(extra)
    return data


def test_the_window_warns_and_refuses_without_the_override(client, w, young_walk_in):
    client.force_login(w["clerk"])
    url = reverse("workbench:cases:counter_accept", args=[young_walk_in.number])

    page = client.get(url).content.decode()
    assert "申请人不符合受理条件" in page
    assert "您还不到80周岁" in page

    response = client.post(url, _accept_data(young_walk_in))

    assert response.status_code == 200
    assert "已核实，仍然受理" in response.content.decode()
    young_walk_in.refresh_from_db()
    assert young_walk_in.status == CaseStatus.AWAITING_ACCEPTANCE


def test_the_clerk_overrides_the_warning_and_the_audit_trail_says_so(client, w, young_walk_in):
    client.force_login(w["clerk"])
    url = reverse("workbench:cases:counter_accept", args=[young_walk_in.number])

    response = client.post(url, _accept_data(young_walk_in, eligibility_override="on"))

    assert response.status_code == 302
    young_walk_in.refresh_from_db()
    assert young_walk_in.status == CaseStatus.IN_PROGRESS
    row = AuditEvent.objects.get(action="cases.eligibility_override")
    assert row.actor_id == w["clerk"].pk
    assert "您还不到80周岁" in row.note


def test_a_rejection_needs_no_override(client, w, young_walk_in):
    client.force_login(w["clerk"])
    url = reverse("workbench:cases:counter_accept", args=[young_walk_in.number])
    data = _accept_data(young_walk_in, decision="reject", reason="年龄不符", basis="《条例》")

    client.post(url, data)

    young_walk_in.refresh_from_db()
    assert young_walk_in.status == CaseStatus.NOT_ACCEPTED
    assert not AuditEvent.objects.filter(action="cases.eligibility_override").exists()


def test_the_case_itself_is_not_another_open_case(w):
    rules = RULES_BY_ITEM["失业保险金申领"]
    version = catalog_f.item(
        unit=w["dept"], status="published", guide=f.licence_guide(eligibility_rules=rules)
    )
    person = f.applicant()
    case = services.case_start(
        applicant=person,
        item=version.implementation_item,
        channel=CaseChannel.WINDOW,
        actor=w["clerk"],
    )
    result = applicant_eligibility(person, version, exclude_case=case)
    assert result.eligible is True


# --- the apply-start page: the answer up front ----------------------------------------------


def _signed_in(client, person):
    session = client.session
    session[SESSION_KEY] = person.pk
    session.save()


def test_the_apply_page_shows_the_reason_up_front_and_disables_applying(client, w, old_age):
    _signed_in(client, f.applicant(id_number=_born("19570301")))

    page = client.get(reverse("cases:apply", args=[old_age.implementation_code])).content.decode()

    assert "按您的情况，暂时不能办理这个事项" in page
    assert "您还不到80周岁" in page
    start = page.split('name="for" value="self"')[1].split("</form>")[0]
    assert "disabled" in start


def test_the_apply_page_says_an_eligible_resident_may_apply(client, w, old_age):
    address = f"{w['comm1'].name}人民路1号"
    _signed_in(client, f.applicant(id_number=_born("19410301"), address=address))

    page = client.get(reverse("cases:apply", args=[old_age.implementation_code])).content.decode()

    assert "您符合这个事项的受理条件，可以申请" in page
    start = page.split('name="for" value="self"')[1].split("</form>")[0]
    assert "disabled" not in start


def test_the_apply_page_points_to_the_questions_left_over(client, w, old_age):
    # An address outside every known area: "住在本区" stays open, so its question is asked.
    _signed_in(client, f.applicant(id_number=_born("19410301"), address="外省某市某路1号"))

    page = client.get(reverse("cases:apply", args=[old_age.implementation_code])).content.decode()

    assert "去办事指南上回答" in page
    assert "#eligibility" in page


# --- the API: a clerk's chosen applicant ------------------------------------------------------


def _api(client, item, **data):
    url = reverse("api:catalog-item-eligibility", args=[item.implementation_code])
    return client.post(url, data, content_type="application/json")


def test_a_clerk_checks_a_chosen_applicant_and_sees_the_name_masked(client, w, old_age):
    person = f.applicant(id_number=_born("19570301"), name="张三丰")
    client.force_login(w["clerk"])

    answer = _api(client, old_age, applicant=person.pk).json()

    assert answer["eligible"] is False
    assert "高龄津贴发给年满80周岁的老年人，您还不到80周岁。" in answer["reasons"]
    assert answer["applicant"] == person.display_name != "张三丰"
    assert person.id_number not in str(answer)


def test_answers_only_fill_what_the_platform_does_not_know(client, w, old_age):
    # The ID number says 85: the answer "79" does not change it; the area is answered.
    person = f.applicant(id_number=_born("19410301"), address="外省某市某路1号")
    client.force_login(w["clerk"])

    answer = _api(client, old_age, applicant=person.pk, age=79, area=w["comm1"].code).json()

    assert answer["eligible"] is True


def test_only_window_clerks_may_name_an_applicant(client, w, old_age):
    person = f.applicant(id_number=_born("19570301"))
    assert _api(client, old_age, applicant=person.pk).status_code in (401, 403)
    client.force_login(w["approver"])
    refused = _api(client, old_age, applicant=person.pk)
    assert refused.status_code == 403
    assert "只有窗口人员" in refused.json()["detail"]


def test_an_unknown_applicant_is_refused_in_plain_words(client, w, old_age):
    client.force_login(w["clerk"])
    refused = _api(client, old_age, applicant=999999)
    assert refused.status_code == 400
    assert "没有这个编号的申请人" in str(refused.json())


def test_without_an_applicant_the_api_stays_public(client, w, old_age):
    client.force_login(w["approver"])
    assert _api(client, old_age, age=85).status_code == 200
