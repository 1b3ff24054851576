"""The life-event editor: the service (validation naming the row, all or nothing, the
district catalogue admin only, audit) and the workbench pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sanyi.audit.models import AuditEvent
from sanyi.catalog import services
from sanyi.catalog.models import LifeEvent
from sanyi.catalog.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db

FIELDS = [{"name": "shop", "label": "是否开店？", "kind": "yes_no"}]


@pytest.fixture
def units():
    units = f.org()
    reviewer = units["reviewer"]
    units["first"] = f.item(unit=units["dept"], status="published", reviewer=reviewer)
    units["second"] = f.item(unit=units["dept"], status="published", reviewer=reviewer)
    units["third"] = f.item(unit=units["dept"], status="published", reviewer=reviewer)
    return units


def _code(units, key):
    return units[key].implementation_item.implementation_code


def _members(units, **second):
    return [
        {"item": _code(units, "first"), "position": 1},
        {
            "item": _code(units, "second"),
            "position": 2,
            "after": _code(units, "first"),
            "carries": "申请书",
            "condition": {"var": "shop"},
            **second,
        },
    ]


def _edit(units, actor=None, event=None, members=None, fields=FIELDS, name="开店一件事"):
    return services.life_event_edit(
        actor=actor or units["author"],
        event=event,
        name=name,
        description="说明",
        audience="business",
        fields=fields,
        members=_members(units) if members is None else members,
    )


def test_a_district_admin_creates_a_life_event_with_order_and_dependency(units):
    event = _edit(units)
    second = event.members.get(item=units["second"].implementation_item)
    assert second.position == 2 and second.carries == "申请书"
    assert second.depends_on.item == units["first"].implementation_item
    assert event.fields == FIELDS and event.audience == "business"
    row = AuditEvent.objects.get(action="life_event.create", object_id=str(event.pk))
    assert row.actor == units["author"] and row.changes["members"][1][1] == _members(units)[1]


def test_an_edit_reorders_drops_and_adds_members_and_is_audited(units):
    event = _edit(units)
    members = [
        {"item": _code(units, "third"), "position": 1},
        {"item": _code(units, "first"), "position": 2, "after": _code(units, "third")},
    ]
    _edit(units, event=event, members=members, fields=[])
    order = [m.item for m in event.members.order_by("position")]
    assert order == [units["third"].implementation_item, units["first"].implementation_item]
    row = AuditEvent.objects.get(action="life_event.edit")
    assert set(row.changes) == {"fields", "members"}


@pytest.mark.parametrize(
    ("members", "words"),
    [
        (lambda u: _members(u, after=_code(u, "second")), "第2个事项（"),
        (
            lambda u: [{**_members(u)[0], "after": _code(u, "second")}, _members(u)[1]],
            "前序事项形成了循环",
        ),
        (lambda u: [_members(u)[0], _members(u)[0]], "同一事项不能在一件事中出现两次"),
        (lambda u: _members(u, carries="不存在的材料"), "不在该事项现行的材料清单中"),
        (lambda u: _members(u, condition={"var": "age"}), "未声明的共用字段“age”"),
        (lambda u: _members(u, condition={"nope": [1]}), "不认识的运算"),
        (lambda u: _members(u, condition="{not json"), "不是正确的 JSON"),
        (lambda u: _members(u, after=""), "但没有前序事项"),
        (lambda u: [{"item": "NOPE-1"}], "第1行（NOPE-1）：没有实施编码为“NOPE-1”的事项"),
    ],
)
def test_wrong_members_are_refused_naming_the_row(units, members, words):
    with pytest.raises(ValidationError) as exc:
        _edit(units, members=members(units))
    assert words in " ".join(exc.value.message_dict["members"])
    assert not LifeEvent.objects.exists()


def test_a_dependency_placed_after_its_member_is_named(units):
    members = _members(units)
    members[0]["position"] = 3
    with pytest.raises(ValidationError) as exc:
        _edit(units, members=members)
    message = " ".join(exc.value.message_dict["members"])
    assert "第1个事项" in message and "须排在它前面" in message


def test_every_problem_is_reported_at_once_and_nothing_changes(units):
    event = _edit(units)
    with pytest.raises(ValidationError) as exc:
        _edit(
            units,
            event=event,
            name="",
            fields=[{"name": "1x", "label": "", "kind": "date"}],
            members=_members(units, carries="不存在的材料"),
        )
    assert set(exc.value.message_dict) == {"name", "fields", "members"}
    event.refresh_from_db()
    assert event.name == "开店一件事" and event.members.count() == 2
    assert AuditEvent.objects.filter(action="life_event.edit").count() == 0


def test_only_a_district_catalogue_admin_writes(units):
    with pytest.raises(PermissionDenied):
        _edit(units, actor=units["dept_admin"])
    assert not LifeEvent.objects.exists()


# --- pages --------------------------------------------------------------------------------


def _post(units, **extra):
    data = {
        "name": "开店一件事",
        "description": "",
        "audience": "person",
        "fields-TOTAL_FORMS": "1",
        "fields-INITIAL_FORMS": "0",
        "fields-0-name": "shop",
        "fields-0-label": "是否开店？",
        "fields-0-kind": "yes_no",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-0-item": _code(units, "first"),
        "members-0-position": "1",
        "members-1-item": _code(units, "second"),
        "members-1-position": "2",
        "members-1-after": _code(units, "first"),
        "members-1-condition": '{"var": "shop"}',
    }
    return {**data, **extra}


def test_the_district_admin_creates_one_on_the_page_and_sees_the_preview(client, units):
    client.force_login(units["author"])
    assert client.get(reverse("workbench:catalog_life_events")).status_code == 200
    response = client.post(reverse("workbench:catalog_life_event_create"), _post(units))
    event = LifeEvent.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("workbench:catalog_life_event", args=[event.pk])
    page = client.get(response.url).content.decode()
    assert "预览：群众填的一张表" in page and "是否开店？" in page
    assert "回答“是否开店？：否”时" in page
    listing = client.get(reverse("workbench:catalog_life_events")).content.decode()
    assert "开店一件事" in listing


def test_a_wrong_row_is_named_on_the_page(client, units):
    client.force_login(units["author"])
    data = _post(units, **{"members-1-condition": '{"var": "age"}'})
    response = client.post(reverse("workbench:catalog_life_event_create"), data)
    assert response.status_code == 400
    assert "第2个事项" in response.content.decode() and "未声明的共用字段" in (
        response.content.decode()
    )
    assert not LifeEvent.objects.exists()


def test_others_cannot_use_the_editor(client, units):
    url = reverse("workbench:catalog_life_event_create")
    client.force_login(units["dept_admin"])  # a catalogue admin below the district reads
    assert client.get(url).status_code == 200
    assert client.post(url, _post(units)).status_code == 403
    client.force_login(org_f.staff(units["district"], Role.WINDOW_CLERK))
    assert client.get(url).status_code == 403
    assert client.get(reverse("workbench:catalog_life_events")).status_code == 403
    assert not LifeEvent.objects.exists()


# --- API ----------------------------------------------------------------------------------


def _body(units, **extra):
    return {
        "name": "开店一件事",
        "audience": "business",
        "shared_fields": FIELDS,
        "members": _members(units),
        **extra,
    }


def test_api_creates_reads_and_replaces_a_life_event(client, units, django_assert_max_num_queries):
    client.force_login(units["author"])
    url = reverse("api:catalog-life-event-admin-list")
    created = client.post(url, _body(units), content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["members"][1]["after"] == _code(units, "first")
    assert data["shared_fields"] == FIELDS
    one = reverse("api:catalog-life-event-admin", args=[data["id"]])
    swapped = [{"item": _code(units, "second")}, {"item": _code(units, "first")}]
    replaced = client.put(one, _body(units, members=swapped), content_type="application/json")
    assert [m["item"] for m in replaced.json()["members"]] == [m["item"] for m in swapped]
    services.life_event_edit(actor=units["author"], event=None, name="另一件事", members=swapped)
    client.force_login(org_f.staff(units["district"], Role.WINDOW_CLERK))
    with django_assert_max_num_queries(8):
        listing = client.get(url).json()
    assert [e["name"] for e in listing] == ["另一件事", "开店一件事"]


def test_api_names_the_wrong_row_and_refuses_others(client, units):
    client.force_login(units["author"])
    url = reverse("api:catalog-life-event-admin-list")
    bad = _body(units, members=_members(units, condition={"var": "age"}))
    answer = client.post(url, bad, content_type="application/json")
    assert answer.status_code == 400 and "第2个事项" in answer.content.decode()
    client.force_login(org_f.staff(units["district"], Role.WINDOW_CLERK))
    assert client.post(url, _body(units), content_type="application/json").status_code == 403
    client.force_login(units["dept_admin"])
    assert client.post(url, _body(units), content_type="application/json").status_code == 403
    assert not LifeEvent.objects.exists()


# --- lint ---------------------------------------------------------------------------------


def test_catalog_lint_flags_a_life_event_gone_inconsistent(units, capsys):
    import json

    from django.core.management import call_command

    from sanyi.catalog.models import LifeEventMember

    _edit(units)
    call_command("catalog", "lint", "--json")
    assert json.loads(capsys.readouterr().out)["life_events"] == []
    # A later version of the item no longer lists the material the result provides.
    LifeEventMember.objects.filter(carries="申请书").update(carries="旧的材料")
    call_command("catalog", "lint", "--json")
    [finding] = json.loads(capsys.readouterr().out)["life_events"]
    assert (
        finding["code"] == "L020" and "“旧的材料”不在该事项现行的材料清单中" in (finding["message"])
    )
    with pytest.raises(SystemExit):
        call_command("catalog", "lint", "--strict")
    assert "一件事“开店一件事” [L020" in capsys.readouterr().out
