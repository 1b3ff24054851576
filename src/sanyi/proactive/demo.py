"""Demo proactive rules (sanyi demo load): written by one catalogue administrator,
published by another, over items of the demo catalogue; and two residents who turned 60
and 80 this year, so that ``sanyi proactive run`` offers something right after loading."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from sanyi.applicants.demo.load import DEMO_REGION
from sanyi.applicants.services import applicant_find_or_create
from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.models import ImplementationItem
from sanyi.core.demo import DemoResult
from sanyi.core.ids import make_resident_id
from sanyi.orgs.models import User
from sanyi.proactive.choices import OfferAction, TriggerKind
from sanyi.proactive.models import ProactiveRule
from sanyi.proactive.services import proactive_rule_create, proactive_rule_publish

AGE_TESTS = [{"facts": {"age": 80}, "expected": True}, {"facts": {"age": 79}, "expected": False}]

RULES: list[dict[str, Any]] = [
    {
        "code": "elderly-60",
        "name": "年满60周岁：老年人优待证",
        "item": "老年人优待证办理",
        "trigger_kind": TriggerKind.AGE_REACHED,
        "trigger_params": {"age": 60},
        "reason": "您今年满{age}周岁，可以办理“{item}”",
    },
    {
        "code": "elderly-80",
        "name": "年满80周岁：高龄津贴",
        "item": "高龄津贴申请",
        "trigger_kind": TriggerKind.AGE_REACHED,
        "trigger_params": {"age": 80},
        "condition": {">=": [{"var": "age"}, 80]},
        "tests": AGE_TESTS,
        "reason": "您今年满{age}周岁，可以申请高龄津贴",
        # 免申即享: the run opens the application for the resident, who confirms it.
        "action": OfferAction.AUTO_CASE,
    },
    {
        "code": "food-licence-renew",
        "name": "食品经营许可证到期前提醒延续",
        "item": "食品经营许可",
        "trigger_kind": TriggerKind.LICENCE_EXPIRING,
        "trigger_params": {"days": [90, 30], "licence": "食品经营许可证"},
        "reason": "您的{licence}还有{days}天到期，请及时申请延续",
    },
    {
        "code": "unemployed-card",
        "name": "失业登记后：就业创业证",
        "item": "就业创业证申领",
        "trigger_kind": TriggerKind.CASE_CONCLUDED_OF_ITEM,
        "trigger_item": "失业登记",
        "trigger_params": {"lookback_days": 30},
        "reason": "您已办理{trigger_item}，还可以办理“{item}”",
    },
]

ELDERS = (("钱德寿", 80), ("孙福安", 60))


def is_loaded() -> bool:
    return ProactiveRule.objects.filter(code="elderly-80").exists()


def _item(name: str) -> ImplementationItem | None:
    return (
        ImplementationItem.objects.filter(
            base_item__name=name, versions__status=VersionStatus.PUBLISHED
        )
        .select_related("base_item")
        .order_by("pk")
        .first()
    )


def load(*, actor: str, rng) -> DemoResult:
    author = User.objects.filter(username="catalog.district").first()
    publisher = User.objects.filter(username="catalog.subdistrict").first()
    if author is None or publisher is None:
        return DemoResult(summary="没有事项管理员账号，跳过主动服务规则")
    made = []
    for spec in RULES:
        item = _item(spec["item"])
        params = dict(spec["trigger_params"])
        if "trigger_item" in spec:
            trigger = _item(spec["trigger_item"])
            if trigger is None:
                continue
            params["item_code"] = trigger.base_item.base_code
        if item is None:
            continue
        rule = proactive_rule_create(
            code=spec["code"],
            name=spec["name"],
            item=item,
            trigger_kind=spec["trigger_kind"],
            trigger_params=params,
            condition=spec.get("condition"),
            tests=spec.get("tests"),
            action=spec.get("action", OfferAction.NOTIFY),
            reason=spec["reason"],
            actor=author,
        )
        made.append(proactive_rule_publish(rule=rule, actor=publisher))
    year = timezone.localdate().year
    for n, (name, age) in enumerate(ELDERS, start=1):
        applicant_find_or_create(
            id_number=make_resident_id(f"{DEMO_REGION}{year - age}0101{950 + n:03d}"),
            name=name,
            phone=f"1009000{n:04d}",  # the demo's non-mobile prefix: no real SMS
            address="示范区文一路12号",
            actor=actor,
        )
    return DemoResult(
        summary=f"主动服务规则 {len(made)} 条（运行 sanyi proactive run 向居民推送）",
        notes=[
            "钱德寿、孙福安今年分别年满80、60周岁，主动服务会提醒他们申请高龄津贴和优待证；"
            "高龄津贴是免申即享：运行 sanyi proactive run 后，钱德寿的申请已建好，"
            "他在“我的 → 为您推荐”一键确认即提交"
        ],
    )
