"""Scoped reading: worklists, the overdue view, the case page, the public lookup."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from sanyi.cases import selectors, services
from sanyi.cases.numbering import query_code_for
from sanyi.cases.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db
D = dt.date


def test_worklist_scopes(w):
    cases = [f.case(w, state="in_progress") for _ in range(3)]
    community = services.case_start(
        applicant=f.applicant(), item=w["community_item"], channel="window", actor=w["comm_clerk"]
    )
    f.provide_all(community, w["comm_clerk"])
    services.case_accept(
        case=community,
        window=w["comm_window"],
        decision="accept",
        actor=w["comm_clerk"],
        materials=list(community.materials.all()),
    )
    services.task_claim(task=cases[0].tasks.get(), actor=w["approver"])
    mine = list(selectors.worklist(w["approver"], scope="mine"))
    assert [t.case_id for t in mine] == [cases[0].pk]
    unit = selectors.worklist(w["approver"], scope="unit")
    assert {t.case_id for t in unit} == {c.pk for c in cases}
    assert {t.case_id for t in selectors.worklist(w["sub_approver"], scope="unit")} == {
        community.pk
    }
    # An approver held on the district works its departments' steps, not the subdistricts'.
    district_approver = org_f.staff(w["district"], Role.APPROVER)
    assert {t.case_id for t in selectors.worklist(district_approver, scope="unit")} == {
        c.pk for c in cases
    }
    subtree = selectors.worklist(w["supervisor"], scope="subtree")
    assert {t.case_id for t in subtree} == {c.pk for c in cases} | {community.pk}
    assert not selectors.worklist(w["comm_clerk"], scope="subtree").filter(case__in=cases).exists()
    filtered = selectors.worklist(
        w["supervisor"], scope="subtree", filters={"item": w["community_item"].pk}
    )
    assert [t.case_id for t in filtered] == [community.pk]


def test_worklist_and_overdue_keep_a_bounded_query_count(w, django_assert_max_num_queries):
    for day in (D(2026, 9, 1), D(2026, 9, 2), D(2026, 9, 3), D(2026, 9, 4)):
        f.case(w, state="in_progress", on=day)
    for user in (w["approver"], w["supervisor"], w["clerk"]):
        fresh = type(user).objects.get(pk=user.pk)  # roles not cached yet
        with django_assert_max_num_queries(2):
            shown = [
                (
                    t.case.number,
                    t.case.applicant.display_name,
                    t.case.implementation_item.base_item.name,
                    t.unit.name,
                    t.assignee,
                )
                for t in selectors.worklist(fresh, scope="subtree")
            ]
        assert len(shown) == 4
        fresh = type(user).objects.get(pk=user.pk)
        with django_assert_max_num_queries(2):
            shown = [
                (
                    c.number,
                    c.applicant.display_name,
                    c.implementation_item.base_item.name,
                    c.current_unit.name,
                )
                for c in selectors.overdue_cases(fresh, today=D(2026, 11, 27))
            ]
        assert len(shown) == 4
    assert len(list(selectors.overdue_cases(w["supervisor"], today=D(2026, 11, 27)))) == 4


def test_case_get_for_scope(w):
    case = f.case(w, state="in_progress")
    assert selectors.case_get_for(w["approver"], case.pk) == case
    assert selectors.case_get_for(w["supervisor"], case.pk) == case
    with pytest.raises(PermissionDenied):
        selectors.case_get_for(w["comm_clerk"], case.pk)
    with pytest.raises(Http404):
        selectors.case_get_for(w["approver"], 999999)
    assert case in selectors.cases_visible_to(w["clerk"])
    assert case not in selectors.cases_visible_to(w["sub_approver"])


def test_applicant_sees_only_their_cases(w):
    a = f.case(w, state="awaiting")
    b = f.case(w, state="awaiting")
    assert list(selectors.applicant_cases(a.applicant)) == [a]
    with pytest.raises(Http404):
        selectors.applicant_case_get(a.applicant, b.pk)


def test_track_by_last4_and_query_code(w):
    case = f.case(w, state="in_progress")
    person = case.applicant
    assert selectors.case_track(case.number, person.id_number[-4:]) == case
    assert selectors.case_track(case.number, person.phone[-4:]) == case
    assert (
        selectors.case_track(case.number, "0000" if person.phone[-4:] != "0000" else "1111") is None
    )
    assert selectors.case_track("nope", person.id_number[-4:]) is None
    assert selectors.case_track(case.number, "") is None
    code = query_code_for(case.number)
    assert selectors.case_track_by_code(case.number, code.lower()) == case
    assert selectors.case_track_by_code(case.number, "AAAAAAAA") is None


def test_timeline_public_only_hides_internal_opinions(w):
    case = f.case(w, state="in_progress")
    services.task_act(
        task=case.tasks.get(), action="opinion", actor=w["approver"], opinion="内部意见"
    )
    assert "opinion" in [e.kind for e in selectors.case_timeline(case)]
    assert "opinion" not in [e.kind for e in selectors.case_timeline(case, public_only=True)]


def test_visit_rates(w):
    f.case(w, state="delivered")  # submit + pickup: two visits
    online = f.case(w, state="in_progress", channel="online")
    services.case_conclude(
        case=online, decision="approve", reason="", basis="", actor=w["approver"]
    )
    services.case_deliver(case=online, method="electronic", actor=w["clerk"])
    rates = selectors.visit_rates()
    assert (rates.cases, rates.zero_visit, rates.one_visit, rates.more_visits) == (2, 1, 0, 1)
    assert rates.zero_visit_rate == 0.5


def test_visit_rates_for_groups_what_the_viewer_may_read(w):
    # given: one delivered case accepted in the district
    case = f.case(w, state="delivered")
    # when: the district supervisor and a community clerk ask for the rates
    report = selectors.visit_rates_for(w["supervisor"])
    outside = selectors.visit_rates_for(w["comm_clerk"])
    # then: the supervisor sees it per unit and per item; the community clerk sees nothing
    assert report.total.cases == 1
    assert [(g.label, g.rates.cases) for g in report.per_unit] == [(case.unit.name, 1)]
    assert [g.rates.more_visits for g in report.per_item] == [1]
    assert report.per_item[0].label.endswith(
        f"（{case.implementation_item.implementing_unit.name}）"
    )
    assert (outside.total.cases, outside.per_unit, outside.per_item) == (0, [], [])


def test_wallet_only_with_consent(w):
    case = f.case(w, state="delivered")
    person = case.applicant
    assert selectors.wallet_for(person) == ([], [])
    from sanyi.applicants.services import reuse_consent_grant

    reuse_consent_grant(applicant=person, actor=person.audit_label)
    materials, licences = selectors.wallet_for(person)
    assert {m.name for m in materials} == {"申请书", "房屋租赁合同"}
    assert [lic.case_id for lic in licences] == [case.pk]


def test_the_worklist_item_filter_offers_the_items_in_scope_and_the_one_chosen(w):
    everything = selectors.worklist_item_choices(w["supervisor"])
    community = w["community_item"]
    label = f"{community.base_item.name}（{community.implementing_unit.name}）"
    assert (community.pk, label) in everything
    # The community's clerk is offered the community's items, not the district's.
    theirs = dict(selectors.worklist_item_choices(w["comm_clerk"]))
    assert community.pk in theirs and w["item"].pk not in theirs
    # An item chosen in a link stays offered, so the filter shows what is applied.
    chosen = dict(selectors.worklist_item_choices(w["comm_clerk"], selected=w["item"].pk))
    assert w["item"].pk in chosen
