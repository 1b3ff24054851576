"""Life event members: order, dependencies, conditions and shared fields; exchange."""

import pytest
from django.core.exceptions import ValidationError

from sanyi.catalog import exchange, services
from sanyi.catalog.models import LifeEvent
from sanyi.catalog.selectors import life_event_merged_guide, life_event_plan
from sanyi.catalog.tests import factories as f
from sanyi.catalog.tests.test_exchange import ACTOR, catalogue, units, wipe_catalogue  # noqa: F401

pytestmark = pytest.mark.django_db

STEPS = [
    {"item": "临时占道许可"},
    {"item": "食品经营许可", "after": "临时占道许可", "carries": "营业执照", "when": {"var": "x"}},
]
FIELDS = [{"name": "x", "label": "是否需要？", "kind": "yes_no"}]


def _event():
    return LifeEvent.objects.get(name="开办餐饮店")


def test_arrange_sets_order_dependency_and_condition(catalogue):  # noqa: F811
    event = services.life_event_arrange(actor=f.SYSTEM, event=_event(), fields=FIELDS, steps=STEPS)
    food = event.members.get(item__base_item__name="食品经营许可")
    assert food.depends_on.item.base_item.name == "临时占道许可" and food.position == 2
    assert [p.name for p in life_event_plan(event, {"x": True})] == ["临时占道许可", "食品经营许可"]
    assert [p.name for p in life_event_plan(event, {"x": False})] == ["临时占道许可"]
    # The public page lists the items in this order.
    names = [v.implementation_item.base_item.name for v in life_event_merged_guide(event).items]
    assert names == ["临时占道许可", "食品经营许可"]


@pytest.mark.parametrize(
    ("steps", "words"),
    [
        (
            [{"item": "食品经营许可", "after": "临时占道许可"}, {"item": "临时占道许可"}],
            "排在它前面",
        ),
        ([{"item": "不存在的事项"}], "不在该“一件事”中"),
        ([{"item": "临时占道许可", "when": {"var": "unknown"}}], "未知字段"),
        ([{"item": "临时占道许可", "carries": "营业执照"}], "没有写前序事项"),
    ],
)
def test_arrange_refuses_wrong_steps_naming_the_step(catalogue, steps, words):  # noqa: F811
    with pytest.raises(ValidationError) as exc:
        services.life_event_arrange(actor=f.SYSTEM, event=_event(), fields=FIELDS, steps=steps)
    assert words in str(exc.value) and "第1步" in str(exc.value)


def test_steps_and_fields_survive_export_and_import(catalogue):  # noqa: F811
    services.life_event_arrange(actor=f.SYSTEM, event=_event(), fields=FIELDS, steps=STEPS)
    before = exchange.catalog_export(viewer=f.SYSTEM)
    assert before["life_events"][0]["steps"][1]["after"] == "临时占道许可"
    wipe_catalogue()
    exchange.catalog_import(
        actor=ACTOR,
        document=exchange.read_json(exchange.export_json(before)),
        publish_without_review=True,
    )
    assert exchange.catalog_export(viewer=f.SYSTEM) == before


def test_an_import_with_a_wrong_step_writes_nothing(catalogue):  # noqa: F811
    document = exchange.catalog_export(viewer=f.SYSTEM)
    document["life_events"][0]["steps"] = [{"item": "食品经营许可", "after": "临时占道许可"}]
    wipe_catalogue()
    with pytest.raises(exchange.ImportFailed) as exc:
        exchange.catalog_import(actor=ACTOR, document=document)
    assert "life_events[0].steps" in str(exc.value.problems)
    assert not LifeEvent.objects.exists()
