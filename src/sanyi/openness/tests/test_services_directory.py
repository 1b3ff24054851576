"""Directory entries, the pilot areas, the duplicate-level check and the negative list."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanyi.audit.models import AuditEvent
from sanyi.openness import services
from sanyi.openness.choices import Level, NonDisclosureGround
from sanyi.openness.models import Area
from sanyi.openness.selectors import directory_duplicates
from sanyi.openness.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


def test_the_26_pilot_areas_are_seeded():
    pilots = Area.objects.filter(is_pilot=True)

    assert pilots.count() == 26
    assert pilots.get(code="P01").name == "城乡规划"
    assert pilots.get(code="P26").name == "保障性住房"


def test_custom_area_is_audited():
    area = services.area_create(actor=f.SYSTEM, code="C01", name="营商环境")

    assert not area.is_pilot
    assert AuditEvent.objects.filter(action="openness_area.create", object_id=str(area.pk)).exists()
    with pytest.raises(ValidationError, match="已存在"):
        services.area_create(actor=f.SYSTEM, code="C02", name="营商环境")


def test_entry_keeps_every_official_field(org_tree):
    entry = f.entry(org_tree["sub1"], time_limit_days=7, time_limit_trigger="decision")

    assert entry.level == Level.SUBDISTRICT
    assert entry.channel_labels == ["政府网站", "社区/村公示栏（电子屏）"]
    assert entry.time_limit_trigger == "decision"
    assert AuditEvent.objects.filter(
        action="directory_entry.create", object_id=str(entry.pk)
    ).exists()


def test_unknown_channel_is_refused_by_name(org_tree):
    with pytest.raises(ValidationError) as exc:
        f.entry(org_tree["district"], channels=["website", "wechat_group"])
    assert "wechat_group" in exc.value.message_dict["channels"][0]


def test_level_must_fit_the_responsible_body(org_tree):
    with pytest.raises(ValidationError) as exc:
        f.entry(org_tree["comm1"], level=Level.DISTRICT)
    assert "org_unit" in exc.value.message_dict


def test_same_name_twice_in_one_directory_is_refused(org_tree):
    f.entry(org_tree["district"], l2="低保对象名单")

    with pytest.raises(ValidationError, match="同名"):
        f.entry(org_tree["district"], l2="低保对象名单")


def test_officer_outside_scope_cannot_create_entries(org_tree):
    outsider = org_f.staff(org_tree["sub2"], Role.DISCLOSURE_OFFICER)

    with pytest.raises(PermissionDenied):
        services.directory_entry_create(
            actor=outsider, org_unit=org_tree["sub1"], area=f.area(), level=Level.SUBDISTRICT,
            item_l1="社会救助", item_l2="临时救助", content_elements="对象", basis="办法",
            time_limit_text="20个工作日", channels=["website"], five_kind="result",
        )  # fmt: skip


def test_update_is_audited_with_the_change(org_tree):
    entry = f.entry(org_tree["district"], l2="特困供养")
    services.directory_entry_update(actor=f.SYSTEM, entry=entry, time_limit_days=10)

    event = AuditEvent.objects.filter(action="directory_entry.update").get()
    assert event.changes == {"time_limit_days": [20, 10]}


def test_same_entry_at_two_levels_is_flagged(org_tree):
    district_entry = f.entry(org_tree["district"], l2="低保对象名单")
    sub_entry = f.entry(org_tree["sub1"], l2="低保对象名单")
    f.entry(org_tree["comm1"], l2="只在社区公开")
    admin = org_f.staff(org_tree["district"], Role.DISCLOSURE_OFFICER)

    found = directory_duplicates(viewer=admin)

    assert len(found) == 1
    assert found[0].levels == [Level.DISTRICT, Level.SUBDISTRICT]
    assert {e.pk for e in found[0].entries} == {district_entry.pk, sub_entry.pk}


def test_same_entry_in_two_subdistricts_is_not_a_duplicate_level(org_tree):
    f.entry(org_tree["sub1"], l2="临时救助名单")
    f.entry(org_tree["sub2"], l2="临时救助名单")

    assert directory_duplicates(viewer=org_tree["writer"]) == []


def test_negative_list_entry_needs_a_legal_ground(org_tree):
    with pytest.raises(ValidationError) as exc:
        services.negative_entry_create(
            actor=f.SYSTEM,
            org_unit=org_tree["district"],
            title="低保对象身份证号码",
            ground="art99",
        )
    assert "ground" in exc.value.message_dict

    item = services.negative_entry_create(
        actor=f.SYSTEM,
        org_unit=org_tree["district"],
        title="低保对象身份证号码",
        ground=NonDisclosureGround.PRIVACY,
    )
    assert item.get_ground_display().startswith("第十五条")
