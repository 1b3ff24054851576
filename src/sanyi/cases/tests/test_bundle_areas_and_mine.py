"""Bundles by area (each member served by the implementation of the resident's area, or
the listed one with a note) and the resident's "我的一件事" list under /my/."""

import pytest
from django.urls import reverse

from sanyi.cases.tests import bundle_factories as bf
from sanyi.cases.tests.factories import _material, _step, applicant
from sanyi.catalog import services as catalog_services
from sanyi.catalog.selectors import life_event_plan
from sanyi.catalog.tests import factories as catalog_f
from sanyi.orgs.areas import area_from_address
from sanyi.orgs.models import OrgKind, Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


def _signed_in(client, person):
    from sanyi.applicants.auth import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = person.pk
    session.save()


def _second_community_item(w):
    """The community item implemented again by the other subdistrict's community."""
    base = w["community_item"].base_item
    version = catalog_f.item(
        unit=w["comm2"],
        status="published",
        reviewer=org_f.staff(w["district"], Role.CATALOG_ADMIN),
        name=base.name,
        base_code=base.base_code,
        item_type="20",
        level="6",
        power_source="2",
        implementer_nature="3",
        delegated_from=w["dept"],
        guide=catalog_f.good_guide(
            statutory_limit={"value": 20, "unit": "working_day", "note": ""},
            promised_limit={"value": 12, "unit": "working_day", "note": ""},
            steps=[_step("受理", 1, "community", "window_clerk")],
            materials=[_material("申请表")],
            result={"name": "", "type": "other", "sample": ""},
        ),
    )
    return version.implementation_item


def _community_member(plan):
    return next(p for p in plan if p.item.base_item_id == plan[-1].item.base_item_id)


def test_each_member_is_served_by_the_residents_area(w):
    event = bf.life_event(w)
    other = _second_community_item(w)
    third = org_f.unit(w["district"], OrgKind.SUBDISTRICT)
    cases = {
        w["comm2"].name: (other, ""),  # the resident's own community
        w["sub2"].name: (other, ""),  # the only one inside the resident's subdistrict
        w["comm1"].name: (w["community_item"], ""),
        third.name: (w["community_item"], f"您所在的{third.name}没有办理"),
    }
    for place, (item, note) in cases.items():
        area = area_from_address(f"{place}幸福路1号")
        member = _community_member(life_event_plan(event, {"sewer": True}, area=area))
        assert member.item == item, place
        assert member.area_note.startswith(note) and bool(note) == bool(member.area_note)
    # The department's members serve everyone; without an area nothing changes.
    plain = life_event_plan(event, {"sewer": True})
    assert _community_member(plain).item == w["community_item"]
    assert not any(p.area_note for p in plain)


def test_the_bundle_case_goes_to_the_residents_own_community(w):
    other = _second_community_item(w)
    person = applicant(address=f"{w['comm2'].name}幸福路1号")
    bundle = bf.apply(w, person)
    units = {m.case.implementation_item_id: m.case.unit_id for m in bundle.members.all()}
    assert units[other.pk] == w["comm2"].pk
    assert w["community_item"].pk not in units


def test_the_form_tells_the_resident_when_no_unit_serves_their_area(client, w):
    event = bf.life_event(w)
    third = org_f.unit(w["district"], OrgKind.SUBDISTRICT)
    person = applicant(address=f"{third.name}幸福路1号")
    _signed_in(client, person)
    page = client.get(reverse("cases:bundle_apply", args=[event.pk]), {"answer_sewer": "yes"})
    text = page.content.decode()
    assert f"您所在的{third.name}没有办理" in text and w["comm1"].name in text


def test_an_edit_of_the_life_event_leaves_submitted_bundles_as_they_were(w):
    bundle = bf.apply(w, applicant())
    before = [(m.case_id, m.position, m.waits_for_id, m.carries) for m in bundle.members.all()]
    event = bundle.life_event
    catalog_services.life_event_edit(
        actor="系统：测试",
        event=event,
        name=event.name,
        members=[{"item": w["community_item"].implementation_code}],
    )
    after = [(m.case_id, m.position, m.waits_for_id, m.carries) for m in bundle.members.all()]
    assert before == after and len(after) == 3


def test_my_bundles_lists_each_with_its_members_states(client, w, django_assert_max_num_queries):
    person = applicant()
    bundles = [bf.apply(w, person), bf.apply(w, person, sewer=False)]
    bf.apply(w, applicant())  # someone else's
    _signed_in(client, person)
    home = client.get(reverse("applicants:home")).content.decode()
    assert reverse("my_bundles:list") in home and "我的一件事" in home
    with django_assert_max_num_queries(12):
        page = client.get(reverse("my_bundles:list"))
    text = page.content.decode()
    assert [b for b, _ in page.context["rows"]] == bundles[::-1]
    for bundle in bundles:
        assert reverse("cases:bundle_detail", args=[bundle.number]) in text
    assert "等待前序事项办结" in text and w["second_item"].base_item.name in text
    # More bundles do not cost more queries.
    for _ in range(3):
        bf.apply(w, person)
    with django_assert_max_num_queries(12):
        assert len(client.get(reverse("my_bundles:list")).context["rows"]) == 5


def test_my_bundles_needs_sign_in(client):
    response = client.get(reverse("my_bundles:list"))
    assert response.status_code == 302 and reverse("applicants:login") in response.url
