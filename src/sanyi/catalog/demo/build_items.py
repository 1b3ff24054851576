"""Build the demo catalogue of the fictional 示范区 as ``items.json``.

The JSON file is the product data (the demo loader imports it with the catalogue importer);
this script is how it was made: one function per real item, expanded to every subdistrict
or community that implements a delegated item. Output is deterministic, so
``python -m sanyi.catalog.demo.build_items --check`` can tell whether the committed file is
up to date. Names, legal bases and conditions follow real catalogues and laws; the district,
its units, addresses and phone numbers are fictional (see README.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sanyi.catalog.demo.eligibility import RULES_BY_ITEM
from sanyi.catalog.demo.handbook import apply_handbook

ITEMS_PATH = Path(__file__).with_name("items.json")

HOURS = "工作日上午9:00—12:00，下午14:00—17:30（法定节假日除外）"
# A guide handled in a service centre gives the centre's own hours (the orgs demo sets
# them; lint rule L021 compares the two).
DISTRICT_CENTER_HOURS = "工作日 8:30-17:30（中午不休息），周六上午9:00-12:00 预约服务"
SUBDISTRICT_CENTER_HOURS = "工作日 上午8:30-12:00，下午14:30-17:30（法定节假日除外）"
COMMUNITY_STATION_HOURS = "工作日 8:30-12:00、14:30-17:30"
# The district's 12345 hotline takes complaints about every unit; consultation phones are
# the units' own lines, so the two always differ.
COMPLAINT_PHONE = "0000-12345"
CENTER = "示范区政务服务中心（示范区人民路9号市民中心一楼）"
ONLINE_ALL = ["consult", "submit", "precheck", "accept", "handle", "result", "elicence"]
ONLINE_PRECHECK = ["consult", "submit", "precheck"]
ONLINE_ACCEPT = ["consult", "submit", "precheck", "accept", "result"]

# District departments: name → (consultation phone, window in the district service center).
DEPARTMENTS: dict[str, tuple[str, str]] = {
    "区民政局": ("0000-82101001", "二楼社会事务综合窗口"),
    "区公安分局": ("0000-82102001", "一楼户政综合窗口"),
    "区人力资源和社会保障局": ("0000-82103001", "二楼就业和社会保险综合窗口"),
    "区医疗保障局": ("0000-82104001", "二楼医疗保障窗口"),
    "区卫生健康委员会": ("0000-82105001", "三楼卫生健康窗口"),
    "区残疾人联合会": ("0000-82106001", "二楼社会事务综合窗口"),
    "区市场监督管理局": ("0000-82107001", "一楼企业开办综合窗口"),
    "区住房和城乡建设局": ("0000-82108001", "三楼工程建设项目审批窗口"),
    "区教育局": ("0000-82109001", "三楼教育服务窗口"),
    "区退役军人事务局": ("0000-82110001", "二楼退役军人服务窗口"),
    "区司法局": ("0000-82111001", "一楼公共法律服务窗口"),
    "区自然资源局": ("0000-82112001", "三楼工程建设项目审批窗口"),
    "区农业农村局": ("0000-82113001", "三楼涉农事务窗口"),
    "区交通运输局": ("0000-82114001", "三楼交通运输窗口"),
    "区文化和旅游局": ("0000-82115001", "三楼文化旅游窗口"),
    "区应急管理局": ("0000-82116001", "三楼安全生产窗口"),
    "区财政局": ("0000-82117001", "四楼财政业务窗口"),
    "区发展和改革局": ("0000-82118001", "三楼投资项目窗口"),
    "区商务局": ("0000-82119001", "三楼商务服务窗口"),
    "区生态环境分局": ("0000-82120001", "三楼生态环境窗口"),
    "区政务服务数据管理局": ("0000-82121001", "一楼咨询导办台"),
}

# Subdistricts (街道/乡镇) with their one demo community (社区/村).
SUBDISTRICTS: dict[str, dict[str, str]] = {
    "城关街道": {
        "community": "翠苑社区",
        "address": "示范区城关街道城关路10号",
        "community_address": "示范区城关街道翠苑路3号党群服务中心一楼",
        "phone": "0000-86301001",
        "community_phone": "0000-86501002",
    },
    "东湖街道": {
        "community": "湖滨社区",
        "address": "示范区东湖街道东湖路20号",
        "community_address": "示范区东湖街道湖滨路3号党群服务中心一楼",
        "phone": "0000-86302001",
        "community_phone": "0000-86502002",
    },
    "西山街道": {
        "community": "松林社区",
        "address": "示范区西山街道西山路30号",
        "community_address": "示范区西山街道松林路3号党群服务中心一楼",
        "phone": "0000-86303001",
        "community_phone": "0000-86503002",
    },
    "南桥街道": {
        "community": "南桥社区",
        "address": "示范区南桥街道南桥路40号",
        "community_address": "示范区南桥街道南桥路3号党群服务中心一楼",
        "phone": "0000-86304001",
        "community_phone": "0000-86504002",
    },
    "北岭镇": {
        "community": "北岭村",
        "address": "示范区北岭镇北岭路50号",
        "community_address": "示范区北岭镇北岭路3号党群服务中心一楼",
        "phone": "0000-86305001",
        "community_phone": "0000-86505002",
    },
    "清河镇": {
        "community": "清河村",
        "address": "示范区清河镇清河路60号",
        "community_address": "示范区清河镇清河路3号党群服务中心一楼",
        "phone": "0000-86306001",
        "community_phone": "0000-86506002",
    },
}
COMMUNITIES: dict[str, str] = {v["community"]: k for k, v in SUBDISTRICTS.items()}


def unit_names() -> set[str]:
    """Every org unit name an item may name as implementing unit."""
    return set(DEPARTMENTS) | set(SUBDISTRICTS) | set(COMMUNITIES)


# ---------------------------------------------------------------------------------------
# Small builders for the nested parts of an item.


def limit(value: int, unit: str = "working_day", note: str = "") -> dict[str, Any]:
    return {"value": value, "unit": unit, "note": note}


def no_limit(note: str = "法律、行政法规未规定办结时限") -> dict[str, Any]:
    return {"value": 0, "unit": "none", "note": note}


def instant(note: str = "即办件：材料齐全、符合条件的当场办结") -> dict[str, Any]:
    # The case clock needs a bound: an instant item is concluded within its first working day.
    return {"value": 1, "unit": "working_day", "note": note}


def basis(title: str, article: str = "", kind: str = "setting") -> dict[str, str]:
    return {"title": title, "article": article, "kind": kind}


def step(
    name: str, actor: str, description: str, days: int, unit_level: str, role: str
) -> dict[str, Any]:
    return {
        "name": name,
        "actor": actor,
        "description": description,
        "days": days,
        "unit_level": unit_level,
        "role": role,
    }


def material(
    name: str,
    *,
    type: str = "original",
    form: str = "paper",
    necessity: str = "required",
    copies: int = 1,
    source: str = "applicant",
    source_note: str = "",
    legal_basis: str = "",
    acceptance_standard: str = "",
    notes: str = "",
    specification: str = "",
    reuse: str = "",
    reuse_days: int | None = None,
) -> dict[str, Any]:
    """One material row; ``reuse`` (days / expiry / never, with ``reuse_days`` for days)
    says how long an accepted copy may be reused, left out for the platform default."""
    out: dict[str, Any] = {
        "name": name,
        "type": type,
        "form": form,
        "necessity": necessity,
        "copies": copies,
    }
    if specification:
        out["specification"] = specification
    out["source"] = source
    for key, value in (
        ("source_note", source_note),
        ("legal_basis", legal_basis),
        ("acceptance_standard", acceptance_standard),
        ("notes", notes),
    ):
        if value:
            out[key] = value
    if reuse:
        out["reuse"] = reuse
    if reuse_days is not None:
        out["reuse_days"] = reuse_days
    return out


def shared(
    name: str, note: str, *, necessity: str = "required", legal_basis: str = ""
) -> dict[str, Any]:
    """A document the platform fetches from a shared database: the applicant brings nothing."""
    return material(
        name,
        form="electronic",
        source="shared_data",
        source_note=note,
        necessity=necessity,
        legal_basis=legal_basis,
    )


def id_card(who: str = "申请人", *, necessity: str = "required") -> dict[str, Any]:
    return shared(
        f"{who}居民身份证",
        "通过人口基础信息库核验身份；到窗口办理的出示原件核对，不收复印件",
        necessity=necessity,
    )


def hukou(who: str = "申请人", *, necessity: str = "required") -> dict[str, Any]:
    return shared(
        f"{who}居民户口簿", "通过公安人口基础信息库共享获取，无需提交", necessity=necessity
    )


def business_licence(*, necessity: str = "required") -> dict[str, Any]:
    return shared("营业执照", "通过市场主体登记信息库共享获取，无需提交", necessity=necessity)


def form(name: str, *, copies: int = 1, notes: str = "", legal_basis: str = "") -> dict[str, Any]:
    return material(
        name,
        form="both",
        copies=copies,
        specification="A4",
        legal_basis=legal_basis,
        notes=notes or "窗口免费领取或在网上填写，申请人签字确认",
        reuse="never",  # signed for this application
    )


def proxy() -> dict[str, Any]:
    return material(
        "授权委托书",
        necessity="optional",
        reuse="never",
        notes="委托他人代办时提供，写明委托事项并由委托人签字；代办人出示本人居民身份证",
    )


def bank_account() -> dict[str, Any]:
    return material(
        "本人银行账户信息",
        type="copy",
        necessity="required",
        acceptance_standard="开户人与申请人一致，用于发放资金",
        notes="提供银行卡或存折复印件，写明开户行和账号",
    )


def result(name: str, type_: str) -> dict[str, str]:
    return {"name": name, "type": type_}


# ---------------------------------------------------------------------------------------
# The item shell: fills the unit-dependent fields (level, place, phones) in one place.


def _unit_fields(unit: str) -> dict[str, Any]:
    if unit in DEPARTMENTS:
        phone, window = DEPARTMENTS[unit]
        return {
            "level": "4",
            "implementer_nature": "1",
            "place": f"{CENTER}{window}",
            "hours": DISTRICT_CENTER_HOURS,
            "consultation_phone": phone,
        }
    if unit in SUBDISTRICTS:
        info = SUBDISTRICTS[unit]
        return {
            "level": "5",
            "implementer_nature": "1",
            "place": f"{unit}便民服务中心（{info['address']}）",
            "hours": SUBDISTRICT_CENTER_HOURS,
            "consultation_phone": info["phone"],
        }
    parent = COMMUNITIES[unit]
    info = SUBDISTRICTS[parent]
    # 居(村)民委员会 are self-governing bodies: they take applications on the
    # subdistrict's behalf, so they act as entrusted organisations.
    return {
        "level": "6",
        "implementer_nature": "3",
        "entrusting_body": parent,
        "place": f"{unit}党群服务中心便民服务站（{info['community_address']}）",
        "hours": COMMUNITY_STATION_HOURS,
        "consultation_phone": info["community_phone"],
    }


def item(
    *,
    name: str,
    item_type: str,
    unit: str,
    legal_bases: list[dict[str, str]],
    acceptance_conditions: str,
    statutory_limit: dict[str, Any],
    promised_limit: dict[str, Any],
    handling_type: str,
    visits: int,
    channels: list[str],
    online_depth: list[str],
    steps: list[dict[str, Any]],
    materials: list[dict[str, Any]],
    service_objects: list[str],
    result_: dict[str, str],
    power_source: str = "1",
    delegated_from: str = "",
    main_item: str = "",
    handling_variants: list[dict[str, str]] | None = None,
    fees: list[dict[str, Any]] | None = None,
    themes_person: list[str] | None = None,
    themes_business: list[str] | None = None,
    special_procedures: str = "",
    joint_agencies: list[str] | None = None,
    intermediary_services: str = "",
    status: str = "published",
    consultation_phone: str = "",
    place: str = "",
    online_payment: bool = False,
) -> dict[str, Any]:
    unit_info = _unit_fields(unit)
    out: dict[str, Any] = {"name": name, "item_type": item_type}
    if main_item:
        out["main_item"] = main_item
    out["handling_variants"] = handling_variants or []
    out["implementing_unit"] = unit
    out["level"] = unit_info["level"]
    out["power_source"] = power_source
    out["implementer_nature"] = unit_info["implementer_nature"]
    if "entrusting_body" in unit_info:
        out["entrusting_body"] = unit_info["entrusting_body"]
    if delegated_from:
        out["delegated_from"] = delegated_from
    out.update(
        {
            "legal_bases": legal_bases,
            "acceptance_conditions": acceptance_conditions,
            "statutory_limit": statutory_limit,
            "promised_limit": promised_limit,
            "handling_type": handling_type,
            "visits": visits,
            "channels": channels,
            "online_depth": online_depth,
            "steps": steps,
            "place": place or unit_info["place"],
            "hours": unit_info["hours"] if not place else HOURS,
            "fees": fees or [],
            "consultation_phone": consultation_phone or unit_info["consultation_phone"],
            "complaint_phone": COMPLAINT_PHONE,
            "service_objects": service_objects,
            "themes_person": themes_person or [],
            "themes_business": themes_business or [],
            "life_events": [],  # filled from LIFE_EVENTS so both directions agree
            "result": result_,
        }
    )
    if online_payment:
        out["online_payment"] = True
    if intermediary_services:
        out["intermediary_services"] = intermediary_services
    if joint_agencies:
        out["joint_agencies"] = joint_agencies
    if special_procedures:
        out["special_procedures"] = special_procedures
    out["status"] = status
    out["materials"] = materials
    return out


def variants(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "note": note} for name, note in pairs]


# ---------------------------------------------------------------------------------------
# District departments (区级部门).

PERSON = ["1"]
BUSINESS = ["1", "2", "5"]  # 个体工商户 apply as natural persons
ORGS = ["2", "3", "4", "5", "9"]
LICENSING_LAW = basis("《中华人民共和国行政许可法》", "第四十二条", "implementing")
LICENSING_LIMIT = limit(20, "working_day", "经负责人批准可延长10个工作日")


def dept_steps(
    unit: str,
    office: str,
    review_days: int,
    decide_days: int = 1,
    *,
    review: str = "审查",
    decide: str = "决定",
    deliver: str = "送达",
) -> list[dict[str, Any]]:
    """受理 → 审查 → 决定 → 送达 inside one department (the common licensing path)."""
    return [
        step(
            "受理",
            f"{CENTER.split('（')[0]}{unit}窗口",
            "核对申请材料，材料齐全、符合法定形式的当场受理；材料不全的一次性告知需补正的全部内容",
            1,
            "department",
            "window_clerk",
        ),
        step(
            review,
            f"{unit}{office}",
            "对申请材料进行审查，需要现场核查的组织核查",
            review_days,
            "department",
            "approver",
        ),
        step(
            decide,
            f"{unit}分管负责人",
            "作出准予或者不予的决定，不予的书面说明理由",
            decide_days,
            "department",
            "approver",
        ),
        step(
            deliver,
            f"{unit}窗口",
            "通过窗口领取、邮寄或电子证照方式送达结果",
            1,
            "department",
            "window_clerk",
        ),
    ]


def instant_steps(actor: str, unit_level: str) -> list[dict[str, Any]]:
    return [
        step(
            "受理",
            actor,
            "核验身份和申请材料，材料齐全、符合条件的当场受理",
            0,
            unit_level,
            "window_clerk",
        ),
        step("审核办结", actor, "当场审核并办结，出具结果", 0, unit_level, "approver"),
    ]


ID_FEE_BASIS = (
    "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）"
)
DEATH_CERTIFICATE_BASIS = (
    "《国家卫生计生委 公安部 民政部关于进一步规范人口死亡医学证明和信息登记管理工作的通知》"
)


def public_security_items() -> list[dict[str, Any]]:
    unit = "区公安分局"
    law_id = "《中华人民共和国居民身份证法》"
    hukou_rule = "《中华人民共和国户口登记条例》"
    return [
        item(
            name="居民身份证申领",
            item_type="20",
            unit=unit,
            handling_variants=variants(
                (
                    "首次申领",
                    "年满十六周岁的公民应当申领；未满十六周岁的可以申领，由监护人代为申请",
                ),
                ("换领", "有效期满、证件损坏或者登记项目变更、更正的"),
                ("补领", "证件丢失的，可以在户籍地以外的公安机关申请异地补领"),
            ),
            legal_bases=[
                basis(law_id),
                basis(
                    "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》",
                    "",
                    "implementing",
                ),
            ],
            acceptance_conditions="具有中华人民共和国国籍并在本区登记常住户口的公民；"
            "年满十六周岁的应当申领，未满十六周岁的可由监护人代为申领。"
            "换领、补领的，本人到任一户政窗口办理，符合异地办证条件的可在户籍地以外办理。",
            statutory_limit=limit(60, "natural_day", "交通不便的地区可适当延长，延长不超过30日"),
            promised_limit=limit(20, "working_day", "含制证和寄递时间；可选择邮寄送达"),
            handling_type="2",
            visits=1,
            channels=["window", "online", "post"],
            online_depth=ONLINE_PRECHECK,
            online_payment=True,
            steps=[
                step(
                    "受理",
                    "区公安分局户政窗口",
                    "核验户口信息，现场采集人像和指纹，收取工本费",
                    1,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审核签发",
                    "区公安分局户政管理大队",
                    "审核申领信息并签发",
                    2,
                    "department",
                    "approver",
                ),
                step(
                    "制证",
                    "区公安分局户政管理大队",
                    "省级制证中心制作证件后寄回",
                    15,
                    "department",
                    "approver",
                ),
                step(
                    "发证",
                    "区公安分局户政窗口",
                    "窗口领取或按申请人选择邮寄送达",
                    2,
                    "department",
                    "window_clerk",
                ),
            ],
            fees=[
                {
                    "name": "居民身份证工本费（首次申领、有效期满换领）",
                    "standard": "每证20元",
                    "basis": ID_FEE_BASIS,
                    "reducible": True,
                    "reduction_basis": (
                        "城市最低生活保障对象和农村特困家庭申领的减免工本费，依据同一通知"
                    ),
                },
                {
                    "name": "居民身份证工本费（丢失补领、损坏换领）",
                    "standard": "每证40元",
                    "basis": ID_FEE_BASIS,
                    "reducible": False,
                    "reduction_basis": "",
                },
            ],
            service_objects=PERSON,
            themes_person=["户籍办理", "证件办理"],
            result_=result("中华人民共和国居民身份证", "certificate"),
            materials=[
                hukou(),
                material(
                    "原居民身份证",
                    necessity="optional",
                    acceptance_standard="换领时交回原证；补领时无需提供",
                ),
                id_card("监护人", necessity="optional"),
            ],
        ),
        item(
            name="户口迁移",
            item_type="01",
            unit=unit,
            legal_bases=[
                basis(hukou_rule, "第十条"),
                basis(hukou_rule, "第十三条", "implementing"),
                LICENSING_LAW,
            ],
            acceptance_conditions="公民迁出或者迁入本区户口管辖区，符合本省户籍迁移政策规定的落户条件。"
            "具体情形按子项“户口迁移（省内迁移）”“户口迁移（跨省迁移）”办理。",
            statutory_limit=LICENSING_LIMIT,
            promised_limit=limit(5, "working_day", "按子项承诺时限办理"),
            handling_type="2",
            visits=1,
            channels=["window", "online"],
            online_depth=ONLINE_PRECHECK,
            steps=dept_steps(
                unit, "户政管理大队", 2, 1, review="审核", decide="审批", deliver="办结"
            ),
            service_objects=PERSON,
            themes_person=["户籍办理"],
            result_=result("准予迁入证明或户口迁移证件", "approval"),
            materials=[form("《户口迁移申请表》"), hukou(), id_card()],
        ),
        item(
            name="户口迁移（省内迁移）",
            item_type="01",
            unit=unit,
            main_item="户口迁移",
            handling_variants=variants(
                ("投靠亲属迁移", "夫妻、子女、父母之间投靠"),
                ("购房迁移", "在本区有合法稳定住所"),
                ("就业迁移", "在本区有合法稳定就业并依法参加社会保险"),
            ),
            legal_bases=[
                basis(hukou_rule, "第十条"),
                basis(hukou_rule, "第十三条", "implementing"),
                LICENSING_LAW,
            ],
            acceptance_conditions="本省户籍居民迁入本区，符合投靠亲属、合法稳定住所或者合法稳定就业落户条件之一。"
            "省内迁移实行“一站式”办理，只需到迁入地户政窗口申请，无需回原籍开具迁移证件。",
            statutory_limit=LICENSING_LIMIT,
            promised_limit=limit(3, "working_day", "迁入地直接办理迁出迁入手续"),
            handling_type="2",
            visits=1,
            channels=["window", "online"],
            online_depth=ONLINE_ACCEPT,
            steps=dept_steps(
                unit, "户政管理大队", 1, 0, review="审核", decide="审批", deliver="办结"
            ),
            service_objects=PERSON,
            themes_person=["户籍办理"],
            result_=result("迁入后的居民户口簿户口页", "certificate"),
            materials=[
                form("《户口迁移申请表》"),
                hukou("迁出人"),
                hukou("迁入户"),
                id_card(),
                shared("结婚证", "夫妻投靠的通过婚姻登记信息共享获取", necessity="optional"),
                shared(
                    "不动产权证书", "购房迁移的通过不动产登记信息共享获取", necessity="optional"
                ),
                material(
                    "劳动合同",
                    type="copy",
                    necessity="optional",
                    notes="就业迁移的提供，社会保险参保信息由窗口共享核验",
                ),
            ],
        ),
        item(
            name="户口迁移（跨省迁移）",
            item_type="01",
            unit=unit,
            main_item="户口迁移",
            legal_bases=[
                basis(hukou_rule, "第十条"),
                basis(hukou_rule, "第十三条", "implementing"),
                LICENSING_LAW,
            ],
            acceptance_conditions="外省户籍居民迁入本区，符合本省落户条件；"
            "夫妻投靠、父母投靠子女、子女投靠父母、工作调动和大中专院校毕业生就业五类情形，"
            "可在迁入地“跨省通办”，无需往返迁出地。",
            statutory_limit=LICENSING_LIMIT,
            promised_limit=limit(10, "working_day", "含迁出地公安机关网上迁出时间"),
            handling_type="2",
            visits=1,
            channels=["window", "online"],
            online_depth=ONLINE_PRECHECK,
            steps=[
                step(
                    "受理",
                    "区公安分局户政窗口",
                    "审核落户条件，受理迁入申请",
                    1,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审批",
                    "区公安分局户政管理大队",
                    "审批准予迁入，推送迁出地公安机关",
                    3,
                    "department",
                    "approver",
                ),
                step(
                    "迁出地办理",
                    "迁出地公安机关",
                    "迁出地网上办理迁出，回传电子迁移信息",
                    4,
                    "department",
                    "approver",
                ),
                step(
                    "落户",
                    "区公安分局户政窗口",
                    "办理迁入登记，签发户口簿户口页",
                    1,
                    "department",
                    "window_clerk",
                ),
            ],
            service_objects=PERSON,
            themes_person=["户籍办理"],
            result_=result("迁入后的居民户口簿户口页", "certificate"),
            materials=[
                form("《户口迁移申请表》"),
                id_card(),
                shared("迁出人居民户口簿", "通过全国人口信息系统核验迁出地户籍信息，无需提交"),
                shared("结婚证", "夫妻投靠的通过婚姻登记信息共享获取", necessity="optional"),
            ],
        ),
        item(
            name="出生登记",
            item_type="20",
            unit=unit,
            legal_bases=[basis(hukou_rule, "第七条")],
            acceptance_conditions="在本区出生、父母一方为本区户籍的婴儿，应在出生后一个月以内由父母、"
            "其他监护人或者亲属申报出生登记，随父或者随母落户。",
            statutory_limit=no_limit(),
            promised_limit=instant("即办件：材料齐全的当场登记"),
            handling_type="1",
            visits=1,
            channels=["window", "online"],
            online_depth=ONLINE_ACCEPT,
            steps=instant_steps("区公安分局户政窗口（各派出所户籍室同办）", "department"),
            service_objects=PERSON,
            themes_person=["生育收养", "户籍办理"],
            result_=result("登记婴儿户口后的居民户口簿", "certificate"),
            materials=[
                shared(
                    "出生医学证明",
                    "通过电子出生医学证明共享获取；未能共享的提供原件",
                    legal_basis="《中华人民共和国户口登记条例》第七条",
                ),
                hukou("父母"),
                id_card("父母"),
                shared(
                    "结婚证", "通过婚姻登记信息共享获取；非婚生育的无需提供", necessity="optional"
                ),
            ],
        ),
        item(
            name="死亡人员户口注销",
            item_type="20",
            unit=unit,
            legal_bases=[basis(hukou_rule, "第八条")],
            acceptance_conditions="本区户籍公民死亡，由户主、亲属、抚养人或者邻居向户籍所在地公安派出所"
            "申报死亡登记、注销户口。",
            statutory_limit=no_limit(),
            promised_limit=instant(),
            handling_type="1",
            visits=1,
            channels=["window"],
            online_depth=["consult"],
            steps=instant_steps("区公安分局户政窗口（各派出所户籍室同办）", "department"),
            service_objects=PERSON,
            themes_person=["户籍办理", "死亡殡葬"],
            result_=result("注销户口证明", "certificate"),
            materials=[
                material(
                    "居民死亡医学证明（推断）书",
                    source="other_agency",
                    source_note="由医疗卫生机构出具；非正常死亡的由公安机关出具死亡证明",
                    legal_basis="《中华人民共和国户口登记条例》第八条",
                ),
                hukou("死者"),
                id_card("申报人"),
                material(
                    "原居民身份证",
                    necessity="optional",
                    acceptance_standard="死者生前所持证件，交回注销；遗失的无需提供",
                ),
            ],
        ),
        item(
            name="居住证申领",
            item_type="20",
            unit=unit,
            handling_variants=variants(
                ("首次申领", ""), ("签注", "每年签注一次"), ("换领、补领", "")
            ),
            legal_bases=[basis("《居住证暂行条例》")],
            acceptance_conditions="离开常住户口所在地，到本区居住半年以上，并符合有合法稳定就业、"
            "合法稳定住所、连续就读条件之一的公民。",
            statutory_limit=limit(15, "natural_day", "自受理之日起15日内制作发放"),
            promised_limit=limit(7, "working_day"),
            handling_type="2",
            visits=1,
            channels=["window", "online", "post"],
            online_depth=ONLINE_ACCEPT,
            steps=[
                step(
                    "受理",
                    "区公安分局户政窗口",
                    "核验身份和居住登记信息，采集照片",
                    1,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审核签发",
                    "区公安分局户政管理大队",
                    "审核并签发居住证",
                    2,
                    "department",
                    "approver",
                ),
                step(
                    "制证发放",
                    "区公安分局户政窗口",
                    "制证后窗口领取或邮寄",
                    4,
                    "department",
                    "window_clerk",
                ),
            ],
            service_objects=PERSON,
            themes_person=["户籍办理", "证件办理"],
            result_=result("居住证", "certificate"),
            materials=[
                id_card(),
                material(
                    "近期一寸免冠彩色照片",
                    necessity="required",
                    copies=1,
                    notes="窗口可现场免费拍照，有此服务的无需自带",
                ),
                material(
                    "合法稳定住所、合法稳定就业或者连续就读的证明材料之一",
                    type="copy",
                    legal_basis="《居住证暂行条例》第九条",
                    acceptance_standard="房屋租赁合同、不动产权证书、劳动合同或者学校出具的在读证明，提供其中一种",
                ),
            ],
        ),
    ]


def civil_affairs_items() -> list[dict[str, Any]]:
    unit = "区民政局"
    marriage_office = "示范区婚姻登记处（示范区和平大道190号，区民政局一楼）"
    marriage_rule = "《婚姻登记条例》"
    civil_code = "《中华人民共和国民法典》"
    photo = material(
        "近期半身免冠合影照片（2寸）", copies=2, notes="双方合影，背景为红色；登记处可现场拍照"
    )
    return [
        item(
            name="婚姻登记",
            item_type="07",
            unit=unit,
            place=marriage_office,
            legal_bases=[
                basis(civil_code, "第一千零四十九条"),
                basis(marriage_rule, "", "implementing"),
            ],
            acceptance_conditions="内地居民办理结婚登记、离婚登记或者补领婚姻登记证，"
            "由当事人亲自到婚姻登记机关申请。具体情形按子项“婚姻登记（结婚登记）”"
            "“婚姻登记（离婚登记）”“婚姻登记（补领婚姻登记证）”办理。",
            statutory_limit=limit(1, "working_day", "符合条件的当场登记"),
            promised_limit=instant("按子项办理，结婚登记和补领当场办结"),
            handling_type="1",
            visits=1,
            channels=["window", "online"],
            online_depth=["consult", "precheck"],
            steps=instant_steps("示范区婚姻登记处", "department"),
            service_objects=PERSON,
            themes_person=["婚姻登记"],
            result_=result("结婚证、离婚证或者补发的婚姻登记证", "certificate"),
            materials=[id_card("当事人")],
        ),
        item(
            name="婚姻登记（结婚登记）",
            item_type="07",
            unit=unit,
            main_item="婚姻登记",
            place=marriage_office,
            legal_bases=[
                basis(civil_code, "第一千零四十六条"),
                basis(civil_code, "第一千零四十七条"),
                basis(civil_code, "第一千零四十九条"),
                basis(marriage_rule, "", "implementing"),
            ],
            acceptance_conditions="男女双方完全自愿；男方年满二十二周岁、女方年满二十周岁；"
            "双方均无配偶；双方没有直系血亲和三代以内旁系血亲关系。"
            "男女双方须共同亲自到场，可在全国任一婚姻登记机关办理。",
            statutory_limit=limit(1, "working_day", "符合条件的当场登记，发给结婚证"),
            promised_limit=instant("当场登记，发给结婚证"),
            handling_type="1",
            visits=1,
            channels=["window", "online"],
            online_depth=["consult", "precheck"],
            steps=instant_steps("示范区婚姻登记处", "department"),
            service_objects=PERSON,
            themes_person=["婚姻登记"],
            result_=result("结婚证", "certificate"),
            materials=[
                id_card("男女双方"),
                photo,
                material(
                    "申请结婚登记声明书",
                    copies=2,
                    form="paper",
                    notes="双方在登记员面前亲自签字，声明本人无配偶且与对方没有直系血亲和三代以内旁系血亲关系；"
                    "登记处提供空白表",
                ),
            ],
        ),
        item(
            name="婚姻登记（离婚登记）",
            item_type="07",
            unit=unit,
            main_item="婚姻登记",
            place=marriage_office,
            legal_bases=[
                basis(civil_code, "第一千零七十六条"),
                basis(civil_code, "第一千零七十七条"),
                basis(marriage_rule, "", "implementing"),
            ],
            acceptance_conditions="夫妻双方自愿离婚，对子女抚养、财产以及债务处理达成一致并签订书面离婚协议，"
            "双方均具有完全民事行为能力，共同亲自到婚姻登记机关申请。"
            "申请后有30日离婚冷静期，期满后30日内双方须再次亲自到场申请发给离婚证，未申请的视为撤回。",
            statutory_limit=limit(
                1,
                "working_day",
                "冷静期满后30日内双方申请发给离婚证的，当场登记；离婚冷静期30日不计入",
            ),
            promised_limit=instant("冷静期满、双方到场申请发证的当场办结"),
            handling_type="1",
            visits=2,
            channels=["window", "online"],
            online_depth=["consult", "precheck"],
            steps=[
                step(
                    "受理离婚登记申请",
                    "示范区婚姻登记处",
                    "双方亲自到场提交申请，登记员审查后出具受理回执",
                    0,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审查并登记",
                    "示范区婚姻登记处",
                    "冷静期满后双方再次到场，审查离婚协议，予以登记并发给离婚证",
                    0,
                    "department",
                    "approver",
                ),
            ],
            special_procedures="离婚冷静期：自婚姻登记机关收到离婚登记申请之日起30日内，任何一方不愿意离婚的，"
            "可以向婚姻登记机关撤回离婚登记申请；冷静期不计入办理时限。",
            service_objects=PERSON,
            themes_person=["婚姻登记"],
            result_=result("离婚证", "certificate"),
            materials=[
                id_card("男女双方"),
                shared("结婚证", "通过婚姻登记信息共享获取；纸质结婚证遗失的无需补领"),
                material(
                    "离婚协议书",
                    copies=3,
                    specification="A4",
                    acceptance_standard="写明双方自愿离婚的意思表示以及对子女抚养、财产和债务处理的一致意见，"
                    "双方亲笔签名",
                ),
                material(
                    "近期半身免冠单人照片（2寸）", copies=2, notes="每人2张，登记处可现场拍照"
                ),
            ],
        ),
        item(
            name="婚姻登记（补领婚姻登记证）",
            item_type="07",
            unit=unit,
            main_item="婚姻登记",
            place=marriage_office,
            legal_bases=[basis(marriage_rule)],
            acceptance_conditions="在婚姻登记机关办理过结婚或者离婚登记，结婚证、离婚证遗失或者损毁的当事人，"
            "本人亲自到场申请；婚姻登记档案可以查证的，予以补发。",
            statutory_limit=limit(1, "working_day", "婚姻登记档案查证属实的当场补发"),
            promised_limit=instant("档案查证无误的当场补发"),
            handling_type="1",
            visits=1,
            channels=["window", "online"],
            online_depth=["consult", "precheck"],
            steps=instant_steps("示范区婚姻登记处", "department"),
            service_objects=PERSON,
            themes_person=["婚姻登记"],
            result_=result("补发的结婚证或者离婚证", "certificate"),
            materials=[
                id_card("当事人"),
                material(
                    "近期半身免冠照片（2寸）",
                    copies=2,
                    notes="补领结婚证的提供双方合影照片，补领离婚证的提供单人照片",
                ),
            ],
        ),
        item(
            name="养老机构备案",
            item_type="10",
            unit=unit,
            legal_bases=[
                basis("《中华人民共和国老年人权益保障法》", "第四十三条"),
                basis("《养老机构管理办法》", "", "implementing"),
            ],
            acceptance_conditions="在本区依法登记的养老机构（事业单位、社会服务机构或者企业），"
            "登记后即可开展服务活动，并向区民政局备案；备案事项变更的及时办理变更备案。",
            statutory_limit=no_limit(),
            promised_limit=instant("材料齐全的当场备案，出具备案回执"),
            handling_type="1",
            visits=0,
            channels=["window", "online"],
            online_depth=ONLINE_ALL,
            steps=instant_steps("区民政局养老服务科", "department"),
            service_objects=["2", "3", "4"],
            themes_business=["设立变更", "准营准办"],
            result_=result("养老机构备案回执", "other"),
            materials=[
                form("《养老机构备案书》"),
                material(
                    "养老机构备案承诺书",
                    form="both",
                    notes="承诺按照建筑、消防、食品安全、医疗卫生、特种设备的法律法规和强制性标准开展服务",
                ),
                shared(
                    "法人登记证书",
                    "营业执照、事业单位法人证书或者民办非企业单位登记证书，通过登记信息共享获取",
                ),
                material(
                    "服务场所使用权证明",
                    type="copy",
                    legal_basis="《养老机构管理办法》",
                    acceptance_standard="不动产权证书或者租期不少于5年的租赁合同",
                ),
                id_card("法定代表人"),
            ],
        ),
    ]


def human_resources_items() -> list[dict[str, Any]]:
    unit = "区人力资源和社会保障局"
    insurance_law = "《中华人民共和国社会保险法》"
    employment_law = "《中华人民共和国就业促进法》"
    penalty_law = basis("《中华人民共和国行政处罚法》", "第六十条", "implementing")
    return [
        item(
            name="失业保险金申领",
            item_type="05",
            unit=unit,
            legal_bases=[
                basis(insurance_law, "第四十五条"),
                basis("《失业保险条例》", "", "implementing"),
                basis("《失业保险金申领发放办法》", "", "implementing"),
            ],
            acceptance_conditions="同时符合：失业前用人单位和本人已经缴纳失业保险费满一年；"
            "非因本人意愿中断就业；已经进行失业登记，并有求职要求。",
            statutory_limit=limit(10, "natural_day", "自受理申请之日起10日内审核认定并告知本人"),
            promised_limit=limit(3, "working_day", "审核通过的次月起按月发放"),
            handling_type="2",
            visits=0,
            channels=["window", "online"],
            online_depth=ONLINE_ALL,
            steps=[
                step(
                    "受理",
                    "区人力资源和社会保障局失业保险窗口",
                    "网上或者窗口受理申请，核验失业登记信息",
                    1,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审核",
                    "区社会保险经办机构",
                    "核对缴费年限和中断就业原因，核定领取期限和标准",
                    1,
                    "department",
                    "approver",
                ),
                step(
                    "核定发放",
                    "区社会保险经办机构",
                    "核定后通过本人社会保障卡按月发放",
                    1,
                    "department",
                    "approver",
                ),
            ],
            service_objects=PERSON,
            themes_person=["就业创业", "社会保障"],
            result_=result("失业保险待遇核定结果", "approval"),
            materials=[
                id_card(),
                shared(
                    "社会保障卡", "通过社会保险信息系统核验，失业保险金发放至社会保障卡银行账户"
                ),
                material(
                    "解除或者终止劳动关系的证明",
                    type="copy",
                    form="both",
                    necessity="optional",
                    source="other_agency",
                    source_note="由原用人单位出具；用人单位已在社会保险信息系统申报的无需提供",
                    legal_basis="《失业保险金申领发放办法》",
                ),
            ],
        ),
        item(
            name="就业困难人员认定",
            item_type="20",
            unit=unit,
            legal_bases=[
                basis(employment_law, "第五十二条"),
                basis("《就业服务与就业管理规定》", "", "implementing"),
            ],
            acceptance_conditions="在法定劳动年龄内、有劳动能力和就业要求、处于失业状态并已办理失业登记，"
            "且属于下列人员之一：男年满50周岁、女年满40周岁的大龄失业人员；残疾人；"
            "城乡最低生活保障家庭成员；连续失业一年以上人员；零就业家庭成员。",
            statutory_limit=no_limit(),
            promised_limit=limit(10, "working_day", "含公示5个工作日"),
            handling_type="2",
            visits=0,
            channels=["window", "online"],
            online_depth=ONLINE_ALL,
            steps=[
                step(
                    "受理",
                    "区公共就业服务窗口",
                    "受理申请，核验失业登记和身份信息",
                    1,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审核",
                    "区就业服务中心",
                    "按认定类别比对残疾、救助和就业信息",
                    3,
                    "department",
                    "approver",
                ),
                step(
                    "公示",
                    "区就业服务中心",
                    "在申请人所在社区公示5个工作日",
                    5,
                    "department",
                    "approver",
                ),
                step(
                    "认定",
                    "区人力资源和社会保障局",
                    "公示无异议的予以认定，记入就业创业证",
                    1,
                    "department",
                    "approver",
                ),
            ],
            service_objects=PERSON,
            themes_person=["就业创业"],
            result_=result("就业困难人员认定结果（记载于就业创业证）", "other"),
            materials=[
                form("《就业困难人员认定申请表》"),
                id_card(),
                shared("就业创业证", "通过就业信息系统共享获取"),
                shared("残疾人证", "残疾人申请的通过残联信息系统共享获取", necessity="optional"),
            ],
        ),
        item(
            name="灵活就业人员社会保险补贴申领",
            item_type="20",
            unit=unit,
            legal_bases=[
                basis(employment_law),
                basis("《就业补助资金管理办法》", "", "implementing"),
            ],
            acceptance_conditions="已认定为就业困难人员，实现灵活就业并在本区以灵活就业人员身份缴纳社会保险费。"
            "补贴实行“先缴后补”，按年度申请；补贴期限最长不超过3年，距法定退休年龄不足5年的可延长至退休；"
            "领取失业保险金期间不享受补贴。",
            statutory_limit=no_limit(),
            promised_limit=limit(15, "working_day", "含公示5个工作日"),
            handling_type="2",
            visits=0,
            channels=["window", "online"],
            online_depth=ONLINE_ALL,
            steps=[
                step(
                    "受理",
                    "区公共就业服务窗口",
                    "受理年度补贴申请",
                    1,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审核",
                    "区就业服务中心",
                    "核对就业困难人员身份、灵活就业登记和缴费记录",
                    5,
                    "department",
                    "approver",
                ),
                step(
                    "公示",
                    "区就业服务中心",
                    "公示补贴人员名单和金额5个工作日",
                    5,
                    "department",
                    "approver",
                ),
                step(
                    "拨付",
                    "区人力资源和社会保障局",
                    "公示无异议的审批并拨付至本人银行账户",
                    3,
                    "department",
                    "approver",
                ),
            ],
            service_objects=PERSON,
            themes_person=["就业创业", "社会保障"],
            result_=result("社会保险补贴审核结果", "approval"),
            materials=[
                id_card(),
                shared("就业创业证", "通过就业信息系统共享获取"),
                shared("社会保险费缴费记录", "通过社会保险和税务缴费信息共享获取，无需提交发票"),
                bank_account(),
            ],
        ),
        item(
            name="职工基本养老保险待遇申领",
            item_type="20",
            unit=unit,
            legal_bases=[
                basis(insurance_law, "第十六条"),
                basis(
                    "《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》",
                    "",
                    "implementing",
                ),
            ],
            acceptance_conditions="参加职工基本养老保险，达到法定退休年龄（含按规定弹性提前或者弹性延迟退休），"
            "且累计缴费满十五年。由用人单位或者本人申请；灵活就业人员本人申请。",
            statutory_limit=no_limit(),
            promised_limit=limit(10, "working_day", "核定后次月起按月发放"),
            handling_type="2",
            visits=0,
            channels=["window", "online"],
            online_depth=ONLINE_ALL,
            steps=[
                step(
                    "受理",
                    "区社会保险经办窗口",
                    "受理退休待遇申请，核验身份和参保信息",
                    1,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审核",
                    "区社会保险经办机构",
                    "审核退休年龄、缴费年限和视同缴费年限",
                    5,
                    "department",
                    "approver",
                ),
                step(
                    "核定",
                    "区社会保险经办机构",
                    "核定基本养老金并告知申请人",
                    2,
                    "department",
                    "approver",
                ),
            ],
            service_objects=["1", "2"],
            themes_person=["离职退休", "社会保障"],
            themes_business=["社会保障"],
            result_=result("基本养老金核定表", "approval"),
            materials=[
                form("《职工基本养老保险待遇申领表》"),
                id_card(),
                shared("社会保障卡", "通过社会保险信息系统核验，养老金发放至社会保障卡银行账户"),
                material(
                    "职工人事档案",
                    necessity="optional",
                    source="other_agency",
                    source_note="由档案保管单位提供，用于核定视同缴费年限；无视同缴费年限的无需提供",
                ),
            ],
        ),
        item(
            name="城乡居民基本养老保险待遇申领",
            item_type="20",
            unit=unit,
            legal_bases=[
                basis(insurance_law),
                basis("《国务院关于建立统一的城乡居民基本养老保险制度的意见》", "", "implementing"),
            ],
            acceptance_conditions="参加城乡居民基本养老保险，年满60周岁、累计缴费满15年，"
            "且未领取国家规定的基本养老保障待遇。",
            statutory_limit=no_limit(),
            promised_limit=limit(5, "working_day", "核定后次月起按月发放"),
            handling_type="2",
            visits=0,
            channels=["window", "online"],
            online_depth=ONLINE_ALL,
            steps=[
                step(
                    "受理",
                    "区社会保险经办窗口（街道、镇便民服务中心代办）",
                    "受理待遇申请",
                    1,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审核核定",
                    "区社会保险经办机构",
                    "审核年龄和缴费年限，核定基础养老金和个人账户养老金",
                    3,
                    "department",
                    "approver",
                ),
            ],
            service_objects=PERSON,
            themes_person=["离职退休", "社会保障"],
            result_=result("城乡居民养老保险待遇核定结果", "approval"),
            materials=[
                id_card(),
                hukou(),
                shared("社会保障卡", "通过社会保险信息系统核验，待遇发放至社会保障卡银行账户"),
            ],
        ),
        item(
            name="劳务派遣经营许可",
            item_type="01",
            unit=unit,
            handling_variants=variants(
                ("设立", ""), ("变更", ""), ("延续", "有效期届满60日前申请"), ("注销", "")
            ),
            legal_bases=[
                basis("《中华人民共和国劳动合同法》", "第五十七条"),
                LICENSING_LAW,
                basis("《劳务派遣行政许可实施办法》", "", "implementing"),
            ],
            acceptance_conditions="在本区登记的公司，注册资本不少于人民币二百万元；"
            "有与开展业务相适应的固定的经营场所和设施；有符合法律、行政法规规定的劳务派遣管理制度。",
            statutory_limit=limit(20, "working_day", "经负责人批准可延长10个工作日"),
            promised_limit=limit(8, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "online", "post"],
            online_depth=ONLINE_ALL,
            steps=dept_steps(unit, "劳动关系科", 5),
            service_objects=["2"],
            themes_business=["准营准办", "人力资源"],
            result_=result("劳务派遣经营许可证", "licence"),
            materials=[
                form("《劳务派遣经营许可申请书》"),
                business_licence(),
                material("公司章程", type="copy", form="both"),
                material(
                    "经营场所使用证明",
                    type="copy",
                    form="both",
                    legal_basis="《劳务派遣行政许可实施办法》",
                    acceptance_standard="不动产权证书或者租赁合同",
                ),
                material("办公设施设备和信息管理系统清单", form="both"),
                material(
                    "劳务派遣管理制度",
                    form="both",
                    acceptance_standard="包括劳动合同、劳动报酬、社会保险、工作时间、休息休假和劳动纪律管理制度，"
                    "以及与用工单位拟订的劳务派遣协议样本",
                ),
                id_card("法定代表人"),
            ],
        ),
        item(
            name="对用人单位使用童工的行政处罚",
            item_type="02",
            unit=unit,
            legal_bases=[
                basis("《禁止使用童工规定》", "第六条"),
                basis("《劳动保障监察条例》", "", "implementing"),
                penalty_law,
            ],
            acceptance_conditions="用人单位招用不满十六周岁的未成年人，经劳动保障监察查证属实的，"
            "按照每使用一名童工每月处5000元罚款的标准给予处罚。同时责令限期将童工送回原居住地，交其父母或者其他监护人。",
            statutory_limit=limit(90, "natural_day", "自立案之日起计算；案情复杂的经批准可延长"),
            promised_limit=limit(45, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "post"],
            online_depth=[],
            steps=[
                step(
                    "立案",
                    "区劳动保障监察大队",
                    "对投诉举报或者检查发现的线索审查立案",
                    3,
                    "department",
                    "approver",
                ),
                step(
                    "调查取证",
                    "区劳动保障监察大队",
                    "两名以上执法人员调查取证，制作笔录",
                    20,
                    "department",
                    "approver",
                ),
                step(
                    "告知",
                    "区劳动保障监察大队",
                    "告知拟处罚的事实、理由、依据以及陈述、申辩和听证权利",
                    5,
                    "department",
                    "approver",
                ),
                step(
                    "决定",
                    "区人力资源和社会保障局",
                    "负责人审批作出行政处罚决定",
                    5,
                    "department",
                    "approver",
                ),
                step(
                    "送达",
                    "区劳动保障监察大队",
                    "送达行政处罚决定书",
                    2,
                    "department",
                    "window_clerk",
                ),
            ],
            special_procedures="拟作出较大数额罚款的，当事人可以要求听证，听证时间不计入办理时限。",
            service_objects=["2", "5", "9"],
            themes_business=["人力资源"],
            result_=result("行政处罚决定书", "other"),
            materials=[],
        ),
        item(
            name="对用人单位遵守劳动保障法律法规情况的监督检查",
            item_type="06",
            unit=unit,
            legal_bases=[
                basis("《劳动保障监察条例》", "第十一条"),
                basis("《中华人民共和国劳动法》", "", "implementing"),
            ],
            acceptance_conditions="对本区用人单位制定内部劳动保障规章制度、订立劳动合同、遵守工作时间和休息休假、"
            "支付工资、参加社会保险和缴纳社会保险费的情况实施日常巡视检查、书面审查和举报专查。",
            statutory_limit=limit(
                60,
                "working_day",
                "对违法行为的调查自立案之日起计算；情况复杂的经批准可延长30个工作日",
            ),
            promised_limit=limit(30, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "post"],
            online_depth=[],
            steps=[
                step(
                    "制定检查计划",
                    "区劳动保障监察大队",
                    "按“双随机、一公开”抽取检查对象和执法人员",
                    2,
                    "department",
                    "approver",
                ),
                step(
                    "实施检查",
                    "区劳动保障监察大队",
                    "进入用人单位检查，调阅劳动合同、工资支付和考勤记录",
                    15,
                    "department",
                    "approver",
                ),
                step(
                    "处理",
                    "区人力资源和社会保障局",
                    "发现违法的责令改正或者立案查处，检查结果依法公示",
                    10,
                    "department",
                    "approver",
                ),
            ],
            service_objects=["2", "5", "9"],
            themes_business=["人力资源"],
            result_=result("劳动保障监察检查结果", "other"),
            materials=[],
        ),
    ]


def medical_insurance_items() -> list[dict[str, Any]]:
    unit = "区医疗保障局"
    insurance_law = "《中华人民共和国社会保险法》"
    birth_cert = shared(
        "出生医学证明",
        "通过电子出生医学证明共享获取",
        legal_basis="《中华人民共和国社会保险法》第五十四条",
    )
    common = {
        "statutory_limit": no_limit(),
        "handling_type": "2",
        "visits": 0,
        "channels": ["window", "online", "post"],
        "online_depth": ONLINE_ALL,
        "service_objects": ["1", "2"],
        "themes_person": ["生育收养", "社会保障"],
        "themes_business": ["社会保障"],
    }
    return [
        item(
            name="生育保险待遇核准支付",
            item_type="20",
            unit=unit,
            legal_bases=[basis(insurance_law, "第五十四条")],
            acceptance_conditions="用人单位已按规定参加生育保险并缴费的职工，以及职工未就业配偶，"
            "按规定享受生育保险待遇。具体按子项“生育医疗费用支付”“生育津贴支付”办理。",
            promised_limit=limit(10, "working_day", "按子项承诺时限办理"),
            steps=[
                step("受理", "区医疗保障局窗口", "受理待遇申请", 1, "department", "window_clerk"),
                step(
                    "审核支付",
                    "区医疗保障事务中心",
                    "审核并核定待遇，支付至申请人账户",
                    5,
                    "department",
                    "approver",
                ),
            ],
            result_=result("生育保险待遇核定结果", "approval"),
            materials=[id_card(), birth_cert],
            **common,
        ),
        item(
            name="生育医疗费用支付",
            item_type="20",
            unit=unit,
            main_item="生育保险待遇核准支付",
            legal_bases=[basis(insurance_law, "第五十四条"), basis(insurance_law, "第五十五条")],
            acceptance_conditions="参加生育保险的职工或者其未就业配偶，因生育或者计划生育在医疗机构发生的医疗费用，"
            "未能在定点医疗机构直接结算的，出院后申请零星报销。",
            promised_limit=limit(10, "working_day"),
            steps=[
                step(
                    "受理", "区医疗保障局窗口", "受理零星报销申请", 1, "department", "window_clerk"
                ),
                step(
                    "审核",
                    "区医疗保障事务中心",
                    "审核医疗费用票据和费用明细",
                    5,
                    "department",
                    "approver",
                ),
                step(
                    "支付",
                    "区医疗保障事务中心",
                    "核定报销金额，支付至申请人银行账户",
                    2,
                    "department",
                    "approver",
                ),
            ],
            result_=result("生育医疗费用报销核定结果", "approval"),
            materials=[
                id_card(),
                material(
                    "医疗费用收费票据",
                    type="original",
                    form="both",
                    source="other_agency",
                    source_note="由就诊医疗机构出具；已上传电子票据的无需提交纸质票据",
                ),
                material(
                    "医疗费用明细清单",
                    form="both",
                    source="other_agency",
                    source_note="由就诊医疗机构出具",
                ),
                material(
                    "出院记录", type="copy", source="other_agency", source_note="由就诊医疗机构出具"
                ),
                bank_account(),
            ],
            **common,
        ),
        item(
            name="生育津贴支付",
            item_type="20",
            unit=unit,
            main_item="生育保险待遇核准支付",
            legal_bases=[basis(insurance_law, "第五十六条")],
            acceptance_conditions="用人单位已按规定参加生育保险并缴费，女职工生育享受产假，"
            "或者职工享受计划生育手术休假。生育津贴按照职工所在用人单位上年度职工月平均工资计发，"
            "可由用人单位申领，也可以直接发放给本人。",
            promised_limit=limit(10, "working_day"),
            steps=[
                step(
                    "受理", "区医疗保障局窗口", "受理生育津贴申请", 1, "department", "window_clerk"
                ),
                step(
                    "审核",
                    "区医疗保障事务中心",
                    "核对参保缴费、生育信息和产假天数",
                    5,
                    "department",
                    "approver",
                ),
                step(
                    "支付", "区医疗保障事务中心", "核定津贴金额并支付", 2, "department", "approver"
                ),
            ],
            result_=result("生育津贴核定结果", "approval"),
            materials=[id_card(), birth_cert, bank_account()],
            **common,
        ),
        item(
            name="基本医疗保险参保人员异地就医备案",
            item_type="20",
            unit=unit,
            handling_variants=variants(
                ("异地长期居住人员备案", "异地安置退休人员、异地长期居住人员、常驻异地工作人员"),
                ("临时外出就医人员备案", "异地转诊人员、因工作或者旅游临时外出就医人员"),
            ),
            legal_bases=[
                basis(insurance_law),
                basis(
                    "《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》",
                    "",
                    "implementing",
                ),
            ],
            acceptance_conditions="参加本区职工基本医疗保险或者城乡居民基本医疗保险的人员，"
            "跨省或者省内跨统筹区长期居住或者临时外出就医，需要直接结算医疗费用的。",
            statutory_limit=no_limit(),
            promised_limit=instant("线上即时备案"),
            handling_type="1",
            visits=0,
            channels=["window", "online"],
            online_depth=ONLINE_ALL,
            steps=instant_steps("区医疗保障局窗口（国家医保服务平台同办）", "department"),
            service_objects=PERSON,
            themes_person=["医疗卫生", "社会保障"],
            result_=result("异地就医备案信息", "other"),
            materials=[
                id_card("参保人"),
                material(
                    "个人承诺书",
                    form="electronic",
                    notes="承诺异地长期居住或者工作的真实性，替代居住证明和工作证明（告知承诺制）",
                ),
            ],
        ),
    ]


def health_items() -> list[dict[str, Any]]:
    unit = "区卫生健康委员会"
    law = "《中华人民共和国母婴保健法》"
    return [
        item(
            name="出生医学证明签发",
            item_type="20",
            unit=unit,
            legal_bases=[
                basis(law, "第二十三条"),
                basis("《中华人民共和国母婴保健法实施办法》", "", "implementing"),
            ],
            acceptance_conditions="在本区出生的新生儿，由出具机构签发《出生医学证明》。"
            "具体按子项“出生医学证明（首次签发）”“出生医学证明（换发）”办理。",
            statutory_limit=no_limit(),
            promised_limit=instant("按子项办理"),
            handling_type="1",
            visits=1,
            channels=["window", "online"],
            online_depth=ONLINE_ACCEPT,
            steps=instant_steps("新生儿出生的助产机构出生医学证明签发窗口", "department"),
            service_objects=PERSON,
            themes_person=["生育收养", "医疗卫生"],
            result_=result("出生医学证明", "certificate"),
            materials=[id_card("新生儿母亲")],
        ),
        item(
            name="出生医学证明（首次签发）",
            item_type="20",
            unit=unit,
            main_item="出生医学证明签发",
            legal_bases=[
                basis(law, "第二十三条"),
                basis("《中华人民共和国母婴保健法实施办法》", "", "implementing"),
            ],
            acceptance_conditions="在本区依法取得助产技术服务资质的医疗机构内出生的新生儿，"
            "由新生儿父母或者其他监护人在新生儿出院前或者出院后向助产机构申请首次签发。",
            statutory_limit=no_limit(),
            promised_limit=instant("信息核对无误的当场签发"),
            handling_type="1",
            visits=0,
            channels=["window", "online"],
            online_depth=ONLINE_ALL,
            steps=instant_steps("助产机构出生医学证明签发窗口", "department"),
            service_objects=PERSON,
            themes_person=["生育收养", "医疗卫生"],
            result_=result("出生医学证明（含电子证照）", "certificate"),
            materials=[
                form(
                    "《出生医学证明》首次签发登记表",
                    legal_basis="《中华人民共和国母婴保健法》第二十三条",
                    notes="可在出院前通过助产机构线上服务填写新生儿姓名并确认",
                ),
                id_card("新生儿父母"),
            ],
        ),
        item(
            name="出生医学证明（换发）",
            item_type="20",
            unit=unit,
            main_item="出生医学证明签发",
            legal_bases=[
                basis(law, "第二十三条"),
                basis("《中华人民共和国母婴保健法实施办法》", "", "implementing"),
            ],
            acceptance_conditions="已签发的《出生医学证明》严重污损无法辨认，或者登记内容有误需要更正，"
            "且新生儿出生在本区的，由父母或者其他监护人申请换发。",
            statutory_limit=no_limit(),
            promised_limit=limit(10, "working_day"),
            handling_type="2",
            visits=1,
            channels=["window", "online"],
            online_depth=ONLINE_PRECHECK,
            steps=[
                step(
                    "受理",
                    "区妇幼保健院出生医学证明管理窗口",
                    "受理换发申请，收回原证",
                    1,
                    "department",
                    "window_clerk",
                ),
                step("核查", "区妇幼保健院", "调阅出生档案核实信息", 5, "department", "approver"),
                step("审批签发", "区卫生健康委员会", "审批并换发新证", 2, "department", "approver"),
            ],
            service_objects=PERSON,
            themes_person=["生育收养", "医疗卫生"],
            result_=result("换发的出生医学证明", "certificate"),
            materials=[
                form(
                    "《出生医学证明》换发申请表",
                    legal_basis="《中华人民共和国母婴保健法》第二十三条",
                ),
                material(
                    "原出生医学证明",
                    acceptance_standard="正页和副页一并交回",
                    legal_basis="《中华人民共和国母婴保健法实施办法》",
                ),
                id_card("新生儿父母"),
                hukou("新生儿", necessity="optional"),
            ],
        ),
    ]


def market_items() -> list[dict[str, Any]]:
    unit = "区市场监督管理局"
    food_law = "《中华人民共和国食品安全法》"
    penalty_law = basis("《中华人民共和国行政处罚法》", "第六十条", "implementing")
    return [
        item(
            name="食品经营许可",
            item_type="01",
            unit=unit,
            handling_variants=variants(
                ("新办", "首次申请食品经营许可"),
                ("变更", "许可证载明事项发生变化"),
                ("延续", "许可证有效期届满30个工作日前申请"),
                ("注销", "终止食品经营活动或者许可被依法撤回、撤销"),
            ),
            legal_bases=[
                basis(food_law, "第三十五条"),
                basis(food_law, "第三十三条", "implementing"),
                basis("《食品经营许可和备案管理办法》", "", "implementing"),
            ],
            acceptance_conditions="在本区从事食品销售、餐饮服务的经营者（仅销售预包装食品的办理备案，不需许可），"
            "已取得营业执照；具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存场所；"
            "具有相应的设备或者设施；有专职或者兼职的食品安全管理人员和保证食品安全的规章制度；"
            "具有合理的设备布局和工艺流程。",
            statutory_limit=limit(10, "working_day", "因特殊原因经负责人批准可延长5个工作日"),
            promised_limit=limit(5, "working_day", "申请人承诺符合条件且材料齐全的，当场作出决定"),
            handling_type="2",
            visits=0,
            channels=["window", "online", "post"],
            online_depth=ONLINE_ALL,
            steps=[
                step(
                    "受理",
                    "示范区政务服务中心区市场监督管理局窗口",
                    "核对申请材料，当场决定是否受理",
                    1,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审查和现场核查",
                    "区市场监督管理局食品经营监管科",
                    "审查材料，需要时两名以上人员现场核查",
                    2,
                    "department",
                    "approver",
                ),
                step(
                    "决定",
                    "区市场监督管理局",
                    "作出准予或者不予许可决定",
                    1,
                    "department",
                    "approver",
                ),
                step(
                    "发证",
                    "区市场监督管理局窗口",
                    "核发纸质许可证和电子证照，可邮寄送达",
                    1,
                    "department",
                    "window_clerk",
                ),
            ],
            special_procedures="现场核查：需要对经营场所现场核查的，在受理后组织核查，核查时间计入办理时限。",
            service_objects=BUSINESS,
            themes_person=["准营准办"],
            themes_business=["准营准办"],
            result_=result("食品经营许可证", "licence"),
            materials=[
                form("《食品经营许可申请书》"),
                business_licence(),
                id_card("法定代表人或者负责人"),
                material(
                    "主要设备设施、经营布局和操作流程说明",
                    form="both",
                    acceptance_standard="写明经营场所布局平面图、主要设备设施清单和食品加工操作流程",
                    reuse="days",
                    reuse_days=365,
                ),
                material(
                    "保证食品安全的规章制度",
                    form="both",
                    acceptance_standard="包括从业人员健康管理、进货查验记录、食品安全自查和食品安全事故处置制度",
                    reuse="days",
                    reuse_days=730,
                ),
                material(
                    "食品经营许可证",
                    form="both",
                    necessity="optional",
                    notes="变更、延续时提交原许可证；已取得电子证照的，同意复用后自动带入，不用提交",
                    reuse="expiry",
                ),
                proxy(),
            ],
        ),
        item(
            name="个体工商户设立登记",
            item_type="01",
            unit=unit,
            legal_bases=[
                basis("《促进个体工商户发展条例》"),
                basis("《中华人民共和国市场主体登记管理条例》", "", "implementing"),
                basis("《中华人民共和国市场主体登记管理条例实施细则》", "", "implementing"),
            ],
            acceptance_conditions="有经营能力的公民在本区从事工商业经营，名称、经营场所和经营范围符合规定；"
            "申请材料齐全、符合法定形式。",
            statutory_limit=limit(
                3, "working_day", "不能当场登记的3个工作日内登记；情形复杂的经批准可再延长3个工作日"
            ),
            promised_limit=instant("材料齐全、符合法定形式的当场登记"),
            handling_type="1",
            visits=0,
            channels=["window", "online"],
            online_depth=ONLINE_ALL,
            steps=instant_steps("示范区政务服务中心企业开办综合窗口", "department"),
            service_objects=PERSON,
            themes_person=["设立变更"],
            themes_business=["设立变更"],
            result_=result("营业执照（含电子营业执照）", "licence"),
            materials=[
                form("《个体工商户登记（备案）申请书》"),
                id_card("经营者"),
                material(
                    "经营场所使用相关文件",
                    type="copy",
                    form="both",
                    necessity="optional",
                    notes="实行经营场所申报承诺的，在申请书中如实申报并承诺后无需提供",
                ),
                proxy(),
            ],
        ),
        item(
            name="对未取得食品经营许可从事食品经营活动的行政处罚",
            item_type="02",
            unit=unit,
            legal_bases=[basis(food_law, "第一百二十二条"), penalty_law],
            acceptance_conditions="未取得食品经营许可从事食品销售、餐饮服务活动的，没收违法所得和违法经营的食品、"
            "食品添加剂以及用于违法经营的工具、设备、原料，并依法处以罚款。",
            statutory_limit=limit(90, "natural_day", "自立案之日起计算；案情复杂的经批准可延长"),
            promised_limit=limit(45, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "post"],
            online_depth=[],
            steps=[
                step(
                    "立案",
                    "区市场监督管理局执法大队",
                    "对检查发现或者投诉举报的线索审查立案",
                    3,
                    "department",
                    "approver",
                ),
                step(
                    "调查取证",
                    "区市场监督管理局执法大队",
                    "两名以上执法人员调查取证",
                    20,
                    "department",
                    "approver",
                ),
                step(
                    "告知",
                    "区市场监督管理局执法大队",
                    "告知拟处罚内容和陈述、申辩、听证权利",
                    5,
                    "department",
                    "approver",
                ),
                step(
                    "决定",
                    "区市场监督管理局",
                    "负责人审批，情节复杂或者重大的集体讨论决定",
                    5,
                    "department",
                    "approver",
                ),
                step(
                    "送达",
                    "区市场监督管理局执法大队",
                    "送达行政处罚决定书，依法公示",
                    2,
                    "department",
                    "window_clerk",
                ),
            ],
            special_procedures="听证：拟作出较大数额罚款、没收较大数额违法所得的，当事人可以要求听证；"
            "听证时间不计入办理时限。",
            service_objects=BUSINESS,
            themes_business=["准营准办"],
            result_=result("行政处罚决定书", "other"),
            materials=[],
        ),
        item(
            name="查封、扣押不符合食品安全标准的食品和用于违法生产经营的工具、设备",
            item_type="03",
            unit=unit,
            legal_bases=[
                basis(food_law, "第一百一十条"),
                basis("《中华人民共和国行政强制法》", "第二十五条", "implementing"),
            ],
            acceptance_conditions="有证据证明食品、食品添加剂、食品相关产品不符合食品安全标准或者存在安全隐患，"
            "或者用于违法生产经营的，依法查封、扣押；查封、扣押应当制作现场笔录并交付决定书和清单。",
            statutory_limit=limit(
                30, "natural_day", "查封、扣押期限；情况复杂的经负责人批准可延长，延长不超过30日"
            ),
            promised_limit=limit(20, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "post"],
            online_depth=[],
            steps=[
                step(
                    "报批",
                    "区市场监督管理局执法大队",
                    "报负责人批准；情况紧急当场实施的，24小时内补报",
                    1,
                    "department",
                    "approver",
                ),
                step(
                    "实施",
                    "区市场监督管理局执法大队",
                    "两名以上执法人员实施，通知当事人到场，制作现场笔录和清单",
                    1,
                    "department",
                    "approver",
                ),
                step(
                    "检验检测",
                    "区市场监督管理局",
                    "需要检测的委托检验机构检验",
                    10,
                    "department",
                    "approver",
                ),
                step(
                    "处理决定",
                    "区市场监督管理局",
                    "依法没收、销毁或者解除查封、扣押",
                    3,
                    "department",
                    "approver",
                ),
            ],
            special_procedures="检测、检验、检疫或者技术鉴定的期间不计入查封、扣押期限，书面告知当事人。",
            service_objects=BUSINESS,
            themes_business=["准营准办"],
            result_=result("查封、扣押决定书和解除决定书", "other"),
            materials=[],
        ),
        item(
            name="对食品经营者的监督检查",
            item_type="06",
            unit=unit,
            legal_bases=[
                basis(food_law, "第一百一十条"),
                basis("《食品生产经营监督检查管理办法》", "", "implementing"),
            ],
            acceptance_conditions="对本区取得食品经营许可或者备案的经营者，按风险等级确定检查频次，"
            "检查食品经营条件、进货查验、贮存和加工过程控制、从业人员健康管理和食品安全自查情况。",
            statutory_limit=no_limit(),
            promised_limit=limit(10, "working_day", "单次检查结果告知时限"),
            handling_type="2",
            visits=0,
            channels=["window", "post"],
            online_depth=[],
            steps=[
                step(
                    "制定检查计划",
                    "区市场监督管理局食品经营监管科",
                    "按风险分级和“双随机、一公开”确定检查对象",
                    2,
                    "department",
                    "approver",
                ),
                step(
                    "实施检查",
                    "辖区市场监督管理所",
                    "两名以上检查人员现场检查并记录",
                    3,
                    "department",
                    "approver",
                ),
                step(
                    "结果处理",
                    "区市场监督管理局",
                    "告知检查结果，发现问题责令整改或者立案查处，检查结果公示",
                    3,
                    "department",
                    "approver",
                ),
            ],
            service_objects=BUSINESS,
            themes_business=["准营准办"],
            result_=result("监督检查记录表和检查结果", "other"),
            materials=[],
        ),
        item(
            name="食品安全违法行为举报奖励",
            item_type="08",
            unit=unit,
            legal_bases=[
                basis(food_law, "第一百一十五条"),
                basis("《市场监管领域重大违法行为举报奖励暂行办法》", "", "implementing"),
            ],
            acceptance_conditions="实名举报食品安全违法行为，举报事项事先未被市场监督管理部门掌握，"
            "经查证属实并依法作出行政处罚决定或者移送司法机关的举报人；收到领奖通知后按时领取。",
            statutory_limit=no_limit(),
            promised_limit=limit(15, "working_day", "自举报人提交领奖材料之日起计算"),
            handling_type="2",
            visits=0,
            channels=["window", "online"],
            online_depth=ONLINE_ALL,
            steps=[
                step(
                    "受理",
                    "区市场监督管理局投诉举报窗口",
                    "核对举报人身份和领奖通知",
                    1,
                    "department",
                    "window_clerk",
                ),
                step("审核", "区市场监督管理局", "核定奖励等级和金额", 7, "department", "approver"),
                step(
                    "发放",
                    "区市场监督管理局",
                    "将奖金支付至举报人银行账户",
                    5,
                    "department",
                    "approver",
                ),
            ],
            service_objects=PERSON,
            themes_person=["消费维权"],
            result_=result("举报奖励决定", "other"),
            materials=[id_card("举报人"), bank_account()],
        ),
    ]


def construction_and_land_items() -> list[dict[str, Any]]:
    housing = "区住房和城乡建设局"
    land = "区自然资源局"
    planning_law = "《中华人民共和国城乡规划法》"
    return [
        item(
            name="建筑工程施工许可证核发",
            item_type="01",
            unit=housing,
            legal_bases=[
                basis("《中华人民共和国建筑法》", "第七条"),
                basis("《中华人民共和国建筑法》", "第八条", "implementing"),
                basis("《建筑工程施工许可管理办法》", "", "implementing"),
            ],
            acceptance_conditions="在本区新建、扩建、改建房屋建筑和市政基础设施工程，已办理用地批准手续；"
            "依法应当办理建设工程规划许可证的已经取得；需要征收房屋的，进度符合施工要求；"
            "已经确定施工企业；有满足施工需要的资金安排、施工图纸和技术资料；有保证工程质量和安全的具体措施。"
            "工程投资额在30万元以下或者建筑面积在300平方米以下的建筑工程，可以不申请办理。",
            statutory_limit=limit(7, "natural_day", "自收到申请之日起计算"),
            promised_limit=limit(3, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "online", "post"],
            online_depth=ONLINE_ALL,
            steps=dept_steps(housing, "建筑市场管理科", 1, 0),
            service_objects=["2", "3", "6", "9"],
            themes_business=["国土和规划建设"],
            result_=result("建筑工程施工许可证", "licence"),
            materials=[
                form("《建筑工程施工许可证申请表》"),
                shared("建设工程规划许可证", "通过工程建设项目审批管理系统共享获取"),
                shared(
                    "用地批准文件",
                    "不动产权证书或者用地批准文件，通过不动产登记和用地审批信息共享获取",
                ),
                material(
                    "中标通知书或者直接发包说明",
                    type="copy",
                    form="both",
                    notes="依法必须招标的提供中标通知书；直接发包的提供发包说明",
                ),
                material("施工合同", type="copy", form="both"),
                material("建设资金已经落实承诺书", form="both"),
                material(
                    "施工图设计文件审查合格书",
                    type="copy",
                    form="both",
                    source="other_agency",
                    source_note="由施工图审查机构出具；已在审批系统推送的无需提交",
                ),
            ],
        ),
        item(
            name="城镇污水排入排水管网许可",
            item_type="01",
            unit=housing,
            legal_bases=[
                basis("《城镇排水与污水处理条例》", "第二十一条"),
                LICENSING_LAW,
                basis("《城镇污水排入排水管网许可管理办法》", "", "implementing"),
            ],
            acceptance_conditions="在本区从事工业、建筑、餐饮、医疗活动的企业事业单位和个体工商户，"
            "向城镇排水设施排放污水的，排放口设置符合城镇排水与污水处理规划；"
            "按规定建设预处理设施（餐饮经营者设置隔油设施）；排放的污水符合国家和地方排放标准。",
            statutory_limit=limit(20, "working_day", "经负责人批准可延长10个工作日"),
            promised_limit=limit(5, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "online", "post"],
            online_depth=ONLINE_ALL,
            steps=dept_steps(housing, "城建管理科", 2),
            service_objects=BUSINESS,
            themes_person=["准营准办"],
            themes_business=["准营准办", "公用事业"],
            result_=result("城镇污水排入排水管网许可证", "licence"),
            materials=[
                form("《城镇污水排入排水管网许可申请表》"),
                business_licence(),
                material(
                    "排水户内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明", form="both"
                ),
                material(
                    "预处理设施说明",
                    form="both",
                    acceptance_standard="写明隔油池或者其他预处理设施的位置、容量和处理工艺",
                    necessity="deferrable",
                    notes="可容缺受理，在领取许可证前补交",
                ),
            ],
        ),
        item(
            name="建设工程规划许可证核发",
            item_type="01",
            unit=land,
            legal_bases=[basis(planning_law, "第四十条"), LICENSING_LAW],
            acceptance_conditions="在本区城市、镇规划区内新建、扩建、改建建筑物、构筑物、道路和管线工程的建设单位或者个人，"
            "已取得建设用地使用权，建设工程设计方案符合控制性详细规划和规划条件。",
            statutory_limit=limit(20, "working_day", "经负责人批准可延长10个工作日"),
            promised_limit=limit(10, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "online", "post"],
            online_depth=ONLINE_ALL,
            steps=dept_steps(land, "国土空间规划科", 6, 2),
            special_procedures="依法需要公示的设计方案，公示时间不计入办理时限。",
            service_objects=["1", "2", "3", "6", "9"],
            themes_business=["国土和规划建设"],
            result_=result("建设工程规划许可证", "licence"),
            materials=[
                form("《建设工程规划许可申请表》"),
                shared("不动产权证书", "通过不动产登记信息共享获取"),
                shared("项目审批、核准或者备案文件", "通过投资项目在线审批监管平台共享获取"),
                material(
                    "建设工程设计方案",
                    form="both",
                    acceptance_standard="包括总平面图、建筑单体平立剖面图和技术经济指标，按规划条件编制",
                ),
            ],
        ),
        item(
            name="乡村建设规划许可证核发",
            item_type="01",
            unit=land,
            legal_bases=[basis(planning_law, "第四十一条"), LICENSING_LAW],
            acceptance_conditions="在本区乡、村庄规划区内进行乡镇企业、乡村公共设施和公益事业建设，以及农村村民住宅建设，"
            "符合村庄规划；不得占用农用地，确需占用的已依法办理农用地转用审批手续。",
            statutory_limit=limit(20, "working_day", "经负责人批准可延长10个工作日"),
            promised_limit=limit(10, "working_day", "自镇人民政府受理之日起计算"),
            handling_type="2",
            visits=1,
            channels=["window", "online", "post"],
            online_depth=ONLINE_PRECHECK,
            steps=[
                step(
                    "受理",
                    "项目所在地镇便民服务中心",
                    "镇人民政府受理申请并核对材料",
                    1,
                    "subdistrict",
                    "window_clerk",
                ),
                step(
                    "初审",
                    "项目所在地镇人民政府",
                    "现场踏勘，提出初审意见报区自然资源局",
                    4,
                    "subdistrict",
                    "approver",
                ),
                step(
                    "审查决定",
                    "区自然资源局",
                    "审查并作出核发或者不予核发的决定",
                    4,
                    "department",
                    "approver",
                ),
                step(
                    "送达",
                    "项目所在地镇便民服务中心",
                    "领取或者邮寄许可证",
                    1,
                    "subdistrict",
                    "window_clerk",
                ),
            ],
            service_objects=["1", "2", "9"],
            themes_person=["规划建设"],
            themes_business=["国土和规划建设"],
            result_=result("乡村建设规划许可证", "licence"),
            materials=[
                form("《乡村建设规划许可申请表》"),
                id_card(),
                material(
                    "建设工程设计方案或者农房设计图",
                    form="both",
                    notes="农村村民住宅可选用区住房和城乡建设局提供的通用图集",
                ),
                shared(
                    "农村宅基地批准书",
                    "农村村民住宅建设的通过宅基地审批信息共享获取",
                    necessity="optional",
                ),
            ],
        ),
        item(
            name="土地闲置费征收",
            item_type="04",
            unit=land,
            legal_bases=[
                basis("《中华人民共和国城市房地产管理法》", "第二十六条"),
                basis("《闲置土地处置办法》", "", "implementing"),
            ],
            acceptance_conditions="国有建设用地使用权人超过出让合同约定或者划拨决定书规定的动工开发日期满一年未动工开发。"
            "动工开发延迟不是由政府、政府有关部门的行为或者自然灾害造成的，"
            "按照土地出让或者划拨价款的百分之二十征缴土地闲置费。",
            statutory_limit=no_limit(),
            promised_limit=limit(30, "working_day", "自闲置土地认定之日起计算"),
            handling_type="2",
            visits=0,
            channels=["window", "post"],
            online_depth=[],
            steps=[
                step(
                    "调查认定",
                    "区自然资源局执法监察大队",
                    "调查核实并认定闲置土地",
                    10,
                    "department",
                    "approver",
                ),
                step(
                    "告知",
                    "区自然资源局",
                    "书面告知拟征缴决定和申请听证的权利",
                    5,
                    "department",
                    "approver",
                ),
                step("决定", "区自然资源局", "作出征缴土地闲置费决定", 5, "department", "approver"),
                step(
                    "送达",
                    "区自然资源局",
                    "送达决定书并公开闲置土地信息",
                    2,
                    "department",
                    "window_clerk",
                ),
            ],
            special_procedures="听证：国有建设用地使用权人可在收到告知书之日起依法申请听证，听证时间不计入办理时限。",
            service_objects=["2", "3", "5", "9"],
            themes_business=["国土和规划建设"],
            result_=result("征缴土地闲置费决定书", "other"),
            materials=[],
        ),
    ]


def other_department_items() -> list[dict[str, Any]]:
    return [
        item(
            name="道路货物运输经营许可",
            item_type="01",
            unit="区交通运输局",
            handling_variants=variants(("新办", ""), ("变更", ""), ("注销", "")),
            legal_bases=[
                basis("《中华人民共和国道路运输条例》"),
                basis("《道路货物运输及站场管理规定》", "", "implementing"),
            ],
            acceptance_conditions="在本区申请从事道路货物运输经营（使用总质量4500千克及以下普通货运车辆的除外），"
            "有与其经营业务相适应并经检测合格的车辆；有符合规定条件的驾驶人员；有健全的安全生产管理制度。",
            statutory_limit=limit(20, "natural_day", "自受理申请之日起计算"),
            promised_limit=limit(5, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "online", "post"],
            online_depth=ONLINE_ALL,
            steps=dept_steps("区交通运输局", "运输管理科", 2),
            service_objects=BUSINESS,
            themes_business=["准营准办", "交通运输"],
            result_=result("道路运输经营许可证", "licence"),
            materials=[
                form("《道路货物运输经营申请表》"),
                id_card("负责人"),
                material(
                    "拟投入车辆承诺书",
                    form="both",
                    acceptance_standard="写明拟投入车辆的数量、类型、技术性能和投入时间",
                ),
                shared("驾驶人员从业资格证", "通过道路运输从业人员信息系统共享获取"),
                material(
                    "安全生产管理制度文本",
                    form="both",
                    acceptance_standard="包括安全生产责任制度、安全生产业务操作规程、安全生产监督检查制度和"
                    "驾驶员、车辆安全生产管理制度",
                ),
            ],
        ),
        item(
            name="娱乐场所从事娱乐场所经营活动审批",
            item_type="01",
            unit="区文化和旅游局",
            handling_variants=variants(("设立", ""), ("变更", "变更场所地址、面积或者投资人员")),
            legal_bases=[
                basis("《娱乐场所管理条例》"),
                basis("《娱乐场所管理办法》", "", "implementing"),
            ],
            acceptance_conditions="在本区设立歌舞、游艺娱乐场所，已取得营业执照；场所不设在居民楼、博物馆、图书馆和"
            "被核定为文物保护单位的建筑物内；投资人员、法定代表人和负责人不具有《娱乐场所管理条例》第五条规定的情形。",
            statutory_limit=limit(20, "natural_day", "自收到申请之日起计算"),
            promised_limit=limit(10, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "online", "post"],
            online_depth=ONLINE_ALL,
            steps=dept_steps("区文化和旅游局", "文化市场科", 6, 1, review="审查和实地检查"),
            special_procedures="听证：歌舞娱乐场所设立可能影响周边居民的，举行听证，听证时间不计入办理时限。",
            service_objects=["2", "5"],
            themes_business=["准营准办", "文体教育"],
            result_=result("娱乐经营许可证", "licence"),
            materials=[
                form("《娱乐经营许可申请表》"),
                business_licence(),
                id_card("投资人员、法定代表人和负责人"),
                material("投资人员、法定代表人和负责人无禁止性情形的书面声明", form="both"),
                material(
                    "娱乐场所平面示意图",
                    form="both",
                    acceptance_standard="标明场所位置、面积、包厢（包间）数量和安全通道",
                ),
            ],
        ),
        item(
            name="烟花爆竹经营（零售）许可",
            item_type="01",
            unit="区应急管理局",
            handling_variants=variants(
                ("新办", ""), ("延续", "许可证有效期届满前申请"), ("变更", "")
            ),
            legal_bases=[
                basis("《烟花爆竹安全管理条例》"),
                LICENSING_LAW,
                basis("《烟花爆竹经营许可实施办法》", "", "implementing"),
            ],
            acceptance_conditions="在本区从事烟花爆竹零售经营，符合本区烟花爆竹零售网点布局；"
            "主要负责人经过安全知识教育；实行专店或者专柜销售，设专人负责安全管理；"
            "经营场所配备必要的消防器材，张贴明显的安全警示标志。",
            statutory_limit=limit(20, "natural_day", "自受理申请之日起计算"),
            promised_limit=limit(5, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "online", "post"],
            online_depth=ONLINE_ALL,
            steps=dept_steps(
                "区应急管理局", "危险化学品安全监督管理科", 2, review="审查和现场核查"
            ),
            service_objects=BUSINESS,
            themes_business=["准营准办", "安全生产"],
            result_=result("烟花爆竹经营（零售）许可证", "licence"),
            materials=[
                form("《烟花爆竹经营（零售）许可证申请书》"),
                business_licence(),
                material(
                    "主要负责人安全培训合格证明",
                    type="copy",
                    form="both",
                    legal_basis="《烟花爆竹经营许可实施办法》",
                ),
                material(
                    "零售经营场所使用证明",
                    type="copy",
                    form="both",
                    legal_basis="《烟花爆竹经营许可实施办法》",
                    acceptance_standard="不动产权证书或者租赁合同",
                ),
            ],
        ),
        item(
            name="退役士兵自主就业一次性经济补助金给付",
            item_type="20",
            unit="区退役军人事务局",
            legal_bases=[
                basis("《中华人民共和国退役军人保障法》"),
                basis("《退役士兵安置条例》", "", "implementing"),
            ],
            acceptance_conditions="选择自主就业、安置地为本区的退役士兵，按规定时间到区退役军人事务局报到。",
            statutory_limit=no_limit(),
            promised_limit=limit(15, "working_day", "自报到之日起计算"),
            handling_type="2",
            visits=1,
            channels=["window", "online"],
            online_depth=ONLINE_PRECHECK,
            steps=[
                step(
                    "受理",
                    "区退役军人服务中心窗口",
                    "办理报到，受理补助金申请",
                    1,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审核",
                    "区退役军人事务局",
                    "核定服役年限和补助标准",
                    7,
                    "department",
                    "approver",
                ),
                step(
                    "发放",
                    "区退役军人事务局",
                    "将补助金支付至本人银行账户",
                    5,
                    "department",
                    "approver",
                ),
            ],
            service_objects=PERSON,
            themes_person=["入伍服役", "优待抚恤"],
            result_=result("一次性经济补助金核定结果", "approval"),
            materials=[
                form("《自主就业退役士兵地方经济补助申请表》"),
                id_card(),
                material("士兵退出现役证", type="both", acceptance_standard="核对原件，留存复印件"),
                bank_account(),
            ],
        ),
        item(
            name="法律援助申请",
            item_type="20",
            unit="区司法局",
            legal_bases=[basis("《中华人民共和国法律援助法》")],
            acceptance_conditions="因经济困难没有委托代理人，在本区提出下列请求之一的公民：请求国家赔偿；"
            "请求给予社会保险待遇或者社会救助；请求发给抚恤金；请求给付赡养费、抚养费、扶养费；"
            "请求确认劳动关系或者支付劳动报酬；请求认定公民无民事行为能力或者限制民事行为能力；"
            "请求工伤事故、交通事故、食品药品安全事故、医疗事故人身损害赔偿；请求环境污染、生态破坏损害赔偿。"
            "刑事案件的犯罪嫌疑人、被告人因经济困难没有委托辩护人的，也可以申请。",
            statutory_limit=limit(7, "natural_day", "自收到申请之日起作出是否给予法律援助的决定"),
            promised_limit=limit(3, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "online", "post"],
            online_depth=ONLINE_ALL,
            steps=[
                step(
                    "受理",
                    "区法律援助中心窗口（街道、镇司法所可代为转交）",
                    "接收申请并出具收件回执",
                    1,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审查",
                    "区法律援助中心",
                    "审查经济困难状况和申请事项",
                    1,
                    "department",
                    "approver",
                ),
                step(
                    "决定",
                    "区法律援助中心",
                    "作出给予或者不予法律援助的决定，给予的指派承办人员",
                    1,
                    "department",
                    "approver",
                ),
            ],
            service_objects=PERSON,
            themes_person=["司法公证"],
            result_=result("给予法律援助决定书", "approval"),
            materials=[
                form("《法律援助申请表》"),
                id_card(),
                material(
                    "经济困难状况说明表",
                    form="both",
                    notes="由申请人如实填写并签署个人诚信承诺；法律援助机构通过信息共享核查",
                ),
                material(
                    "与申请援助事项相关的案件材料",
                    type="copy",
                    form="both",
                    acceptance_standard="能够说明纠纷基本事实的材料，例如劳动合同、工资条、起诉状或者判决书",
                ),
            ],
        ),
        item(
            name="政府采购投诉处理",
            item_type="09",
            unit="区财政局",
            legal_bases=[
                basis("《中华人民共和国政府采购法》", "第五十五条"),
                basis("《中华人民共和国政府采购法》", "第五十六条", "implementing"),
                basis("《政府采购质疑和投诉办法》", "", "implementing"),
            ],
            acceptance_conditions="参加本区政府采购活动的供应商，已依法向采购人或者采购代理机构提出质疑。"
            "对质疑答复不满意，或者采购人、采购代理机构未在规定时间内答复的，"
            "可在答复期满后十五个工作日内向区财政局提起投诉；同一投诉事项未经财政部门处理。",
            statutory_limit=limit(30, "working_day", "自收到投诉之日起计算"),
            promised_limit=limit(20, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "online", "post"],
            online_depth=ONLINE_ACCEPT,
            steps=[
                step(
                    "受理",
                    "区财政局政府采购监督管理窗口",
                    "审查投诉书，符合条件的受理并通知相关当事人",
                    3,
                    "department",
                    "window_clerk",
                ),
                step(
                    "调查",
                    "区财政局政府采购监督管理股",
                    "调取采购文件，听取各方意见",
                    10,
                    "department",
                    "approver",
                ),
                step("决定", "区财政局", "作出投诉处理决定", 5, "department", "approver"),
                step("送达", "区财政局", "送达处理决定书并公告", 2, "department", "window_clerk"),
            ],
            special_procedures="需要检验、检测、鉴定、专家评审以及需要投诉人补正材料的，所需时间不计入投诉处理期限。",
            service_objects=["1", "2", "5", "9"],
            themes_business=["招标拍卖"],
            result_=result("投诉处理决定书", "other"),
            materials=[
                material(
                    "投诉书",
                    form="both",
                    copies=1,
                    acceptance_standard="正本1份，并按被投诉人和与投诉事项有关的供应商人数提供副本；"
                    "写明投诉人和被投诉人、具体投诉事项和请求、事实依据",
                ),
                material(
                    "质疑函和质疑答复",
                    type="copy",
                    form="both",
                    notes="采购人、采购代理机构未答复的，提供质疑函和送达凭据",
                ),
                business_licence(),
                proxy(),
            ],
        ),
        item(
            name="企业投资项目备案",
            item_type="10",
            unit="区发展和改革局",
            legal_bases=[
                basis("《企业投资项目核准和备案管理条例》", "第十三条"),
                basis("《企业投资项目核准和备案管理条例》", "第十四条", "implementing"),
            ],
            acceptance_conditions="在本区建设的、不属于《政府核准的投资项目目录》范围的企业投资项目，"
            "企业在开工建设前通过投资项目在线审批监管平台告知备案信息。",
            statutory_limit=no_limit("备案机关收到全部备案信息即为备案"),
            promised_limit=instant("在线提交全部信息即时备案"),
            handling_type="1",
            visits=0,
            channels=["online"],
            online_depth=ONLINE_ALL,
            steps=instant_steps("区发展和改革局（投资项目在线审批监管平台）", "department"),
            service_objects=["2", "5"],
            themes_business=["投资审批"],
            result_=result("项目备案证明（项目代码）", "other"),
            materials=[
                material(
                    "项目备案信息",
                    form="electronic",
                    acceptance_standard="在线填报企业基本情况，项目名称、建设地点、建设规模、建设内容和项目总投资额",
                ),
                material("项目符合产业政策的声明", form="electronic"),
            ],
        ),
        item(
            name="单用途商业预付卡发卡企业备案",
            item_type="10",
            unit="区商务局",
            legal_bases=[basis("《单用途商业预付卡管理办法（试行）》")],
            acceptance_conditions="在本区登记注册、发行单用途商业预付卡的零售业、住宿和餐饮业、居民服务业企业"
            "（集团发卡企业、品牌发卡企业和规模发卡企业除外），在开展单用途卡业务之日起30日内备案。",
            statutory_limit=no_limit(),
            promised_limit=limit(5, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "online"],
            online_depth=ONLINE_ALL,
            steps=[
                step("受理", "区商务局窗口", "受理备案材料", 1, "department", "window_clerk"),
                step(
                    "审核备案",
                    "区商务局市场运行科",
                    "核对材料并予以备案",
                    3,
                    "department",
                    "approver",
                ),
            ],
            service_objects=["2", "5"],
            themes_business=["商务贸易"],
            result_=result("单用途商业预付卡备案通知", "other"),
            materials=[
                form("《单用途卡发卡企业备案表》"),
                business_licence(),
                material(
                    "单用途卡章程",
                    form="both",
                    acceptance_standard="写明购卡、使用、挂失、退卡和资金管理规定",
                ),
                material("单用途卡卡样", form="electronic"),
            ],
        ),
        item(
            name="建设项目环境影响报告表审批",
            item_type="01",
            unit="区生态环境分局",
            legal_bases=[
                basis("《中华人民共和国环境影响评价法》", "第二十二条"),
                basis("《建设项目环境保护管理条例》", "", "implementing"),
            ],
            acceptance_conditions="在本区建设、依法应当编制环境影响报告表的建设项目，在开工建设前报批；"
            "建设项目类型和选址、布局、规模符合生态环境保护法律法规和相关法定规划。",
            statutory_limit=limit(30, "natural_day", "自收到环境影响报告表之日起计算"),
            promised_limit=limit(10, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "online", "post"],
            online_depth=ONLINE_ALL,
            steps=dept_steps("区生态环境分局", "环境影响评价科", 6, 2),
            special_procedures="审批前在政府网站公示受理情况和环境影响报告表全本，公示时间不计入办理时限。",
            intermediary_services="环境影响报告表编制：建设单位可以自行编制，也可以委托技术单位编制（非强制中介服务）",
            service_objects=["1", "2", "3", "6", "9"],
            themes_business=["投资审批", "环保绿化"],
            result_=result("环境影响报告表批复", "approval"),
            materials=[
                form("《建设项目环境影响报告表审批申请表》"),
                material(
                    "建设项目环境影响报告表",
                    form="both",
                    copies=1,
                    acceptance_standard="按生态环境部规定的格式编制，全本公开版本删除涉及国家秘密和商业秘密的内容",
                ),
            ],
        ),
        item(
            name="教师资格认定",
            item_type="01",
            unit="区教育局",
            legal_bases=[
                basis("《中华人民共和国教师法》", "第十三条"),
                basis("《教师资格条例》", "", "implementing"),
                basis("《〈教师资格条例〉实施办法》", "", "implementing"),
            ],
            acceptance_conditions="未达到国家法定退休年龄，遵守宪法和法律，热爱教育事业，具有良好的思想品德；"
            "具备《中华人民共和国教师法》规定的学历；中小学教师资格考试合格且合格证明在有效期内，"
            "或者取得师范生教师职业能力证书且在有效期内；经指定医疗机构体检合格。"
            "户籍或者居住证在本区，或者为本区全日制普通高等学校在读学生的，可申请认定幼儿园、小学、初级中学教师资格。",
            statutory_limit=limit(30, "working_day", "自受理申请期限终止之日起计算"),
            promised_limit=limit(20, "working_day"),
            handling_type="2",
            visits=1,
            channels=["window", "online", "post"],
            online_depth=ONLINE_ACCEPT,
            steps=[
                step(
                    "网上申报和现场确认",
                    "区教育局教师资格认定窗口",
                    "网上申报后按预约时间现场确认，核验材料",
                    1,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审查",
                    "区教育局教师资格认定工作组",
                    "审查学历、考试合格证明和体检结论",
                    12,
                    "department",
                    "approver",
                ),
                step("认定决定", "区教育局", "作出认定结论并公示", 5, "department", "approver"),
                step(
                    "证书发放",
                    "区教育局教师资格认定窗口",
                    "制发教师资格证书，可邮寄送达",
                    2,
                    "department",
                    "window_clerk",
                ),
            ],
            special_procedures="体检：按通知到区教育局指定的医疗机构体检，体检时间不计入办理时限。",
            service_objects=PERSON,
            themes_person=["职业资格", "教育科研"],
            result_=result("教师资格证书", "certificate"),
            materials=[
                id_card(),
                shared(
                    "学历证书",
                    "通过全国高等学校学生信息咨询与就业指导中心学历信息核验；国（境）外学历提供教育部留学服务中心认证书",
                ),
                shared(
                    "中小学教师资格考试合格证明",
                    "通过中小学教师资格考试信息系统核验",
                    legal_basis="《〈教师资格条例〉实施办法》",
                ),
                material(
                    "教师资格认定体检表",
                    source="other_agency",
                    source_note="由区教育局指定的医疗机构出具",
                ),
                material(
                    "个人承诺书",
                    form="electronic",
                    notes="网上申报时签署，承诺思想品德和无违法犯罪记录情况",
                ),
                material("近期一寸免冠白底彩色证件照", form="electronic", notes="网上申报时上传"),
            ],
        ),
        item(
            name="中小学教师资格定期注册",
            item_type="10",
            unit="区教育局",
            legal_bases=[
                basis("《中华人民共和国教师法》"),
                basis("《教师资格条例》", "", "implementing"),
                basis("《中小学教师资格定期注册暂行办法》", "", "implementing"),
            ],
            acceptance_conditions="本区公办和民办普通中小学、幼儿园、中等职业学校的在岗教师，"
            "距上次定期注册合格已满5年，或者首次任教试用期满且考核合格，或者此前暂缓注册现已达到注册条件；"
            "注册有效期内年度考核合格及以上，完成规定的教学工作量和培训学时，师德表现良好。",
            statutory_limit=no_limit(),
            promised_limit=limit(30, "working_day", "按年度集中注册，自申报截止之日起计算"),
            handling_type="2",
            visits=0,
            channels=["online"],
            online_depth=ONLINE_ALL,
            steps=[
                step(
                    "学校初审",
                    "教师任教学校",
                    "学校审核教师材料并提出注册意见",
                    10,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审核", "区教育局", "审核注册材料，作出注册结论", 15, "department", "approver"
                ),
                step("公示", "区教育局", "公示注册结论", 5, "department", "approver"),
            ],
            service_objects=PERSON,
            themes_person=["职业资格", "教育科研"],
            result_=result("教师资格定期注册结论", "other"),
            materials=[
                form("《教师资格定期注册申请表》", copies=2),
                shared("教师资格证书", "通过全国教师管理信息系统核验"),
                material("聘用合同或者聘用证书", type="copy", form="both"),
                material(
                    "任教学校出具的师德表现证明",
                    form="both",
                    legal_basis="《中小学教师资格定期注册暂行办法》",
                ),
                material(
                    "注册有效期内年度考核结果和教学工作量证明",
                    form="both",
                    legal_basis="《中小学教师资格定期注册暂行办法》",
                ),
                material(
                    "教师培训学时证明",
                    form="both",
                    legal_basis="《中小学教师资格定期注册暂行办法》",
                    notes="已录入继续教育管理系统的无需提供",
                ),
            ],
        ),
        item(
            name="进城务工人员随迁子女接受义务教育入学申请",
            item_type="20",
            unit="区教育局",
            legal_bases=[basis("《中华人民共和国义务教育法》", "第十二条")],
            acceptance_conditions="父母或者其他法定监护人在本区工作或者居住并持有本区居住证的适龄儿童、少年，"
            "在本区接受义务教育的，在每年招生报名期间申请。",
            statutory_limit=no_limit(),
            promised_limit=limit(15, "working_day", "自报名截止之日起公布安排结果"),
            handling_type="2",
            visits=0,
            channels=["window", "online"],
            online_depth=ONLINE_ALL,
            steps=[
                step(
                    "报名受理",
                    "区教育局招生服务窗口",
                    "网上报名，核验居住证和户籍信息",
                    1,
                    "department",
                    "window_clerk",
                ),
                step("资格审核", "区教育局基础教育科", "审核报名资格", 7, "department", "approver"),
                step(
                    "统筹安排",
                    "区教育局",
                    "按就近原则统筹安排学校并公布结果",
                    5,
                    "department",
                    "approver",
                ),
            ],
            service_objects=PERSON,
            themes_person=["教育科研"],
            result_=result("入学安排通知", "other"),
            materials=[
                id_card("父母或者其他法定监护人"),
                hukou("儿童"),
                shared("居住证", "通过公安居住证信息共享获取"),
            ],
        ),
    ]


# ---------------------------------------------------------------------------------------
# Public services delegated to subdistricts (街道/乡镇) and communities (社区/村).

RELIEF_RULE = "《社会救助暂行办法》"


def _office(subdistrict: str) -> str:
    return f"{subdistrict}便民服务中心"


def birth_registration(unit: str) -> dict[str, Any]:
    return item(
        name="生育登记",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区卫生健康委员会",
        legal_bases=[basis("《中华人民共和国人口与计划生育法》")],
        acceptance_conditions=f"夫妻双方或者一方户籍在{unit}，或者在{unit}居住的流动人口，"
        "怀孕或者生育子女（不限孩次）的，可在孕前、孕期或者子女出生后申请登记。",
        statutory_limit=no_limit(),
        promised_limit=instant("网上申请即时办结"),
        handling_type="1",
        visits=0,
        channels=["window", "online"],
        online_depth=ONLINE_ALL,
        steps=instant_steps(_office(unit), "subdistrict"),
        service_objects=PERSON,
        themes_person=["生育收养"],
        result_=result("生育登记服务凭证（电子）", "other"),
        materials=[
            id_card("夫妻双方"),
            hukou("夫妻双方"),
            shared(
                "结婚证", "通过婚姻登记信息共享获取；未办理结婚登记的无需提供", necessity="optional"
            ),
        ],
    )


def minimum_living_allowance(unit: str) -> dict[str, Any]:
    community = SUBDISTRICTS[unit]["community"]
    return item(
        name="最低生活保障申请",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区民政局",
        legal_bases=[
            basis(RELIEF_RULE, "第九条"),
            basis(RELIEF_RULE, "第十一条", "implementing"),
            basis("《最低生活保障审核确认办法》", "", "implementing"),
        ],
        acceptance_conditions="共同生活的家庭成员人均收入低于本区最低生活保障标准，且家庭财产状况符合本区规定；"
        f"申请人户籍在{unit}，或者持有本区居住证在{unit}居住。由共同生活家庭成员中的一人作为申请人。",
        statutory_limit=limit(30, "working_day", "自受理之日起计算；特殊情况可延长至45个工作日"),
        promised_limit=limit(15, "working_day", "不含公示7天"),
        handling_type="2",
        visits=1,
        channels=["window", "online"],
        online_depth=ONLINE_ACCEPT,
        steps=[
            step(
                "受理",
                _office(unit),
                "受理申请，家庭成员签署经济状况核对授权书",
                1,
                "subdistrict",
                "window_clerk",
            ),
            step(
                "入户调查",
                f"{community}网格员",
                "入户调查家庭人口、收入、财产和实际生活状况",
                5,
                "grid",
                "grid_officer",
            ),
            step(
                "审核",
                f"{unit}社会事务办公室",
                "结合家庭经济状况核对结果提出审核意见并公示",
                5,
                "subdistrict",
                "approver",
            ),
            step(
                "审核确认",
                "区民政局社会救助科",
                "作出确认决定，不予确认的书面说明理由",
                3,
                "department",
                "approver",
            ),
            step(
                "告知发放",
                _office(unit),
                "告知结果，自确认次月起按月发放",
                1,
                "subdistrict",
                "window_clerk",
            ),
        ],
        special_procedures="公示：审核意见在申请人所在社区（村）公示7天，公示时间不计入办理时限。",
        service_objects=PERSON,
        themes_person=["社会救助"],
        result_=result("最低生活保障确认决定", "approval"),
        materials=[
            form("《最低生活保障申请书》"),
            material(
                "家庭经济状况核对授权书",
                form="paper",
                notes="共同生活的家庭成员逐一签字，授权民政部门核对收入和财产信息",
            ),
            material("家庭收入和财产状况申报表", form="both", notes="如实申报，签署诚信承诺"),
            id_card("共同生活家庭成员"),
            hukou("共同生活家庭成员"),
            shared("残疾人证", "家庭成员有残疾的通过残联信息系统共享获取", necessity="optional"),
            bank_account(),
        ],
    )


def support_for_destitute(unit: str) -> dict[str, Any]:
    community = SUBDISTRICTS[unit]["community"]
    return item(
        name="特困人员救助供养申请",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区民政局",
        legal_bases=[
            basis(RELIEF_RULE, "第十四条"),
            basis(RELIEF_RULE, "第十五条", "implementing"),
            basis("《特困人员认定办法》", "", "implementing"),
        ],
        acceptance_conditions=f"户籍在{unit}的老年人、残疾人和未满十六周岁的未成年人，同时具备以下条件："
        "无劳动能力；无生活来源；无法定赡养、抚养、扶养义务人，或者其法定义务人无履行义务能力。",
        statutory_limit=no_limit(),
        promised_limit=limit(20, "working_day", "不含公示7天"),
        handling_type="2",
        visits=1,
        channels=["window", "online"],
        online_depth=ONLINE_ACCEPT,
        steps=[
            step(
                "受理",
                _office(unit),
                "受理本人申请或者社区（村）代为提出的申请",
                1,
                "subdistrict",
                "window_clerk",
            ),
            step(
                "调查核实",
                f"{community}网格员",
                "入户调查生活状况、经济状况和法定义务人履行能力",
                7,
                "grid",
                "grid_officer",
            ),
            step(
                "审核", f"{unit}社会事务办公室", "提出审核意见并公示", 5, "subdistrict", "approver"
            ),
            step(
                "确认",
                "区民政局社会救助科",
                "作出确认决定，确定分散或者集中供养方式",
                6,
                "department",
                "approver",
            ),
            step(
                "告知",
                _office(unit),
                "告知结果，自确认次月起给予供养",
                1,
                "subdistrict",
                "window_clerk",
            ),
        ],
        special_procedures="公示：审核意见在申请人所在社区（村）公示7天，公示时间不计入办理时限。",
        service_objects=PERSON,
        themes_person=["社会救助"],
        result_=result("特困人员救助供养确认决定", "approval"),
        materials=[
            form("《特困人员救助供养申请书》"),
            material("家庭收入和财产状况申报表", form="both", notes="如实申报，签署诚信承诺"),
            id_card(),
            hukou(),
            shared("残疾人证", "残疾人申请的通过残联信息系统共享获取", necessity="optional"),
            proxy(),
        ],
    )


def temporary_assistance(unit: str) -> dict[str, Any]:
    community = SUBDISTRICTS[unit]["community"]
    return item(
        name="临时救助申请",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区民政局",
        legal_bases=[
            basis(RELIEF_RULE, "第四十七条"),
            basis(RELIEF_RULE, "第四十八条", "implementing"),
        ],
        acceptance_conditions=f"户籍在{unit}或者在{unit}居住的家庭或者个人，因火灾、交通事故或者意外伤害，"
        "家庭成员突发重大疾病，导致基本生活暂时出现严重困难；或者最低生活保障家庭因生活必需支出突然增加，"
        "超出家庭承受能力，基本生活暂时出现严重困难。",
        statutory_limit=no_limit(),
        promised_limit=limit(10, "working_day", "情况紧急的先行救助"),
        handling_type="2",
        visits=1,
        channels=["window", "online"],
        online_depth=ONLINE_ACCEPT,
        steps=[
            step("受理", _office(unit), "受理申请", 1, "subdistrict", "window_clerk"),
            step("核查", f"{community}网格员", "入户核查困难情况", 3, "grid", "grid_officer"),
            step(
                "审批",
                f"{unit}社会事务办公室",
                "区民政局委托街道（镇）审批小额救助；数额较大的报区民政局审批",
                4,
                "subdistrict",
                "approver",
            ),
            step("发放", _office(unit), "发放救助金或者实物", 1, "subdistrict", "window_clerk"),
        ],
        special_procedures="紧急程序：情况紧急的，先行救助，事后补齐审核手续。",
        service_objects=PERSON,
        themes_person=["社会救助"],
        result_=result("临时救助审批结果", "approval"),
        materials=[
            form("《临时救助申请书》", notes="写明遭遇困难的原因和需要的救助"),
            id_card(),
            hukou(necessity="optional"),
            material(
                "医疗费用票据",
                type="copy",
                form="both",
                necessity="deferrable",
                source="other_agency",
                source_note="因病申请的提供，由医疗机构出具；可容缺受理，3个工作日内补交",
            ),
            bank_account(),
        ],
    )


def employment_certificate(unit: str) -> dict[str, Any]:
    return item(
        name="就业创业证申领",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区人力资源和社会保障局",
        handling_variants=variants(("首次申领", ""), ("补领", "遗失或者损毁"), ("信息变更", "")),
        legal_bases=[
            basis("《就业服务与就业管理规定》"),
            basis(
                "《人力资源社会保障部关于进一步完善就业失业登记管理办法的通知》", "", "implementing"
            ),
        ],
        acceptance_conditions="在法定劳动年龄内、有劳动能力的城乡劳动者，"
        f"户籍在{unit}或者在{unit}常住，处于就业、失业、灵活就业或者自主创业状态。",
        statutory_limit=no_limit(),
        promised_limit=instant("即时办结，可申领电子就业创业证"),
        handling_type="1",
        visits=0,
        channels=["window", "online"],
        online_depth=ONLINE_ALL,
        steps=instant_steps(f"{_office(unit)}就业和社会保障窗口", "subdistrict"),
        service_objects=PERSON,
        themes_person=["就业创业"],
        result_=result("就业创业证", "certificate"),
        materials=[
            id_card(),
            material(
                "近期一寸免冠彩色照片",
                necessity="optional",
                notes="申领纸质证的提供；申领电子证的无需提供",
            ),
        ],
    )


def unemployment_registration(unit: str) -> dict[str, Any]:
    return item(
        name="失业登记",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区人力资源和社会保障局",
        legal_bases=[
            basis("《中华人民共和国就业促进法》"),
            basis("《就业服务与就业管理规定》", "", "implementing"),
        ],
        acceptance_conditions="在法定劳动年龄内、有劳动能力、有就业要求、处于无业状态的城乡劳动者，"
        f"户籍在{unit}或者在{unit}常住。",
        statutory_limit=no_limit(),
        promised_limit=instant(),
        handling_type="1",
        visits=0,
        channels=["window", "online"],
        online_depth=ONLINE_ALL,
        steps=instant_steps(f"{_office(unit)}就业和社会保障窗口", "subdistrict"),
        service_objects=PERSON,
        themes_person=["就业创业"],
        result_=result("失业登记记录（记载于就业创业证）", "other"),
        materials=[
            id_card(),
            shared(
                "就业创业证",
                "通过就业信息系统共享获取；尚未领取的同时办理申领",
                necessity="optional",
            ),
        ],
    )


def rural_pension_enrolment(unit: str) -> dict[str, Any]:
    return item(
        name="城乡居民基本养老保险参保登记",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区人力资源和社会保障局",
        legal_bases=[
            basis("《中华人民共和国社会保险法》"),
            basis("《国务院关于建立统一的城乡居民基本养老保险制度的意见》", "", "implementing"),
        ],
        acceptance_conditions=f"户籍在{unit}、年满16周岁（不含在校学生），非国家机关和事业单位工作人员，"
        "且不属于职工基本养老保险制度覆盖范围的城乡居民。",
        statutory_limit=no_limit(),
        promised_limit=instant(),
        handling_type="1",
        visits=0,
        channels=["window", "online"],
        online_depth=ONLINE_ALL,
        steps=instant_steps(f"{_office(unit)}就业和社会保障窗口", "subdistrict"),
        service_objects=PERSON,
        themes_person=["社会保障"],
        result_=result("城乡居民基本养老保险参保登记信息", "other"),
        materials=[
            form("《城乡居民基本养老保险参保登记表》", notes="网上办理的在线填写"),
            id_card(),
            hukou(),
        ],
    )


def public_rental_housing(unit: str) -> dict[str, Any]:
    return item(
        name="公共租赁住房保障申请",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区住房和城乡建设局",
        legal_bases=[basis("《公共租赁住房管理办法》")],
        acceptance_conditions=f"户籍在{unit}或者在本区稳定就业并持有本区居住证，"
        "在本区无住房或者住房面积低于本区规定标准，家庭收入和财产低于本区规定标准。",
        statutory_limit=no_limit(),
        promised_limit=limit(20, "working_day", "不含公示时间；审核通过后轮候配租"),
        handling_type="2",
        visits=1,
        channels=["window", "online"],
        online_depth=ONLINE_ACCEPT,
        steps=[
            step("受理", _office(unit), "受理申请并核对材料", 1, "subdistrict", "window_clerk"),
            step(
                "初审",
                f"{unit}社会事务办公室",
                "核查家庭住房和收入情况，提出初审意见",
                5,
                "subdistrict",
                "approver",
            ),
            step(
                "审核",
                "区住房和城乡建设局住房保障科",
                "审核并公示，公示无异议的纳入轮候",
                10,
                "department",
                "approver",
            ),
        ],
        special_procedures="公示：审核结果在区住房和城乡建设局网站和申请人所在社区公示，公示时间不计入办理时限。",
        service_objects=PERSON,
        themes_person=["住房保障"],
        result_=result("公共租赁住房保障资格审核结果", "approval"),
        materials=[
            form("《公共租赁住房申请表》"),
            id_card("家庭成员"),
            hukou("家庭成员"),
            shared("家庭成员不动产登记信息", "通过不动产登记信息共享获取"),
            material("家庭收入和财产状况申报表", form="both", notes="如实申报，签署诚信承诺"),
            shared("居住证", "非本区户籍的通过公安居住证信息共享获取", necessity="optional"),
            material(
                "劳动合同",
                type="copy",
                necessity="optional",
                notes="非本区户籍的提供，证明在本区稳定就业",
            ),
        ],
    )


def veteran_card(unit: str) -> dict[str, Any]:
    return item(
        name="退役军人和其他优抚对象优待证申领",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区退役军人事务局",
        legal_bases=[basis("《中华人民共和国退役军人保障法》")],
        acceptance_conditions=f"户籍在{unit}的退役军人，以及烈士遗属、因公牺牲军人遗属和病故军人遗属。",
        statutory_limit=no_limit(),
        promised_limit=limit(30, "working_day", "含制卡时间"),
        handling_type="2",
        visits=1,
        channels=["window", "online"],
        online_depth=ONLINE_ACCEPT,
        steps=[
            step(
                "受理",
                f"{unit}退役军人服务站",
                "受理申请，采集照片",
                1,
                "subdistrict",
                "window_clerk",
            ),
            step(
                "审核",
                "区退役军人事务局",
                "比对退役军人信息数据库，审核申领资格",
                5,
                "department",
                "approver",
            ),
            step(
                "制卡发放",
                f"{unit}退役军人服务站",
                "制卡后通知领取",
                20,
                "subdistrict",
                "window_clerk",
            ),
        ],
        service_objects=PERSON,
        themes_person=["优待抚恤"],
        result_=result("退役军人优待证或者其他优抚对象优待证", "certificate"),
        materials=[
            form("《优待证申领表》"),
            id_card(),
            material(
                "退役证件或者烈士、因公牺牲、病故军人遗属证件",
                type="both",
                acceptance_standard="核对原件，留存复印件",
            ),
            material("近期二寸免冠彩色照片", form="electronic", notes="服务站可现场免费拍照"),
        ],
    )


def funeral_fee_waiver(unit: str) -> dict[str, Any]:
    return item(
        name="基本殡葬服务费用减免申请",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区民政局",
        legal_bases=[basis("《殡葬管理条例》")],
        acceptance_conditions=f"死者户籍在{unit}，死亡后依法火化，未享受国家或者单位丧葬费补助，"
        "生前为最低生活保障对象、特困人员或者重点优抚对象。"
        "由经办人申请免除遗体接运、存放、火化和骨灰寄存的基本殡葬服务费用。",
        statutory_limit=no_limit(),
        promised_limit=instant("审核盖章后当场出具减免凭证"),
        handling_type="1",
        visits=1,
        channels=["window"],
        online_depth=["consult"],
        steps=instant_steps(f"{unit}便民服务中心社会事务窗口", "subdistrict"),
        special_procedures="在外地死亡并在死亡地火化的，经办人先行垫付，凭有效票据到区殡仪馆按本区标准报销。",
        service_objects=PERSON,
        themes_person=["死亡殡葬", "社会救助"],
        result_=result("基本殡葬服务费用减免凭证", "other"),
        materials=[
            form(
                "《困难群众基本殡葬服务费用减免申请表》",
                copies=2,
                notes="一份由街道（镇）留档，一份交殡仪馆结算时减免",
            ),
            id_card("经办人"),
            hukou("死者"),
            shared(
                "困难群众身份信息",
                "最低生活保障、特困供养或者重点优抚对象身份，通过社会救助和优抚信息系统共享核验",
            ),
            material(
                "居民死亡医学证明（推断）书",
                source="other_agency",
                source_note="由医疗卫生机构出具",
                legal_basis=DEATH_CERTIFICATE_BASIS,
            ),
        ],
    )


def homestead_approval(unit: str) -> dict[str, Any]:
    return item(
        name="农村村民宅基地审批",
        item_type="01",
        unit=unit,
        legal_bases=[
            basis("《中华人民共和国土地管理法》", "第六十二条"),
            LICENSING_LAW,
            basis("《农业农村部 自然资源部关于规范农村宅基地审批管理的通知》", "", "implementing"),
        ],
        acceptance_conditions=f"{unit}本集体经济组织成员，以户为单位申请，符合“一户一宅”规定，"
        "用地符合村庄规划和用途管制要求；出卖、出租、赠与住宅后再申请宅基地的不予批准。",
        statutory_limit=limit(20, "working_day", "经负责人批准可延长10个工作日"),
        promised_limit=limit(15, "working_day", "自镇人民政府受理之日起计算，不含村级公示5天"),
        handling_type="2",
        visits=1,
        channels=["window", "online"],
        online_depth=ONLINE_PRECHECK,
        steps=[
            step(
                "受理",
                f"{unit}便民服务中心",
                "受理经村集体经济组织或者村民委员会审查后的申请",
                1,
                "subdistrict",
                "window_clerk",
            ),
            step(
                "联审",
                f"{unit}农业综合服务中心",
                "组织农业农村、自然资源部门实地审查，出具联审意见",
                8,
                "subdistrict",
                "approver",
            ),
            step(
                "审批",
                f"{unit}人民政府",
                "作出批准或者不予批准决定，批准的核发农村宅基地批准书",
                4,
                "subdistrict",
                "approver",
            ),
            step(
                "送达",
                f"{unit}便民服务中心",
                "送达批准书并告知开工前申请划定宅基地",
                1,
                "subdistrict",
                "window_clerk",
            ),
        ],
        special_procedures="村级审查和公示：申请先经村民小组讨论、村集体经济组织或者村民委员会审查，在本村公示5天；"
        "公示时间不计入办理时限。",
        joint_agencies=["区农业农村局", "区自然资源局"],
        service_objects=PERSON,
        themes_person=["规划建设"],
        result_=result("农村宅基地批准书", "approval"),
        materials=[
            form("《农村宅基地和建房（规划许可）申请表》"),
            material(
                "农村宅基地使用承诺书",
                form="paper",
                notes="申请户签字，承诺“一户一宅”和按批准面积建房",
            ),
            id_card("申请户主"),
            hukou("申请户"),
            material("农房设计图或者通用图集选用说明", form="both"),
        ],
    )


def _community_steps(
    community: str, department: str, office: str, review_days: int, approve_days: int
) -> list[dict[str, Any]]:
    """社区受理 → 街道审核 → 区部门审批: the routing of community-level applications."""
    subdistrict = COMMUNITIES[community]
    return [
        step(
            "受理",
            f"{community}便民服务站",
            "核对身份和材料，受理申请并录入系统",
            1,
            "community",
            "window_clerk",
        ),
        step(
            "审核",
            f"{subdistrict}社会事务办公室",
            "审核申请条件，提出审核意见",
            review_days,
            "subdistrict",
            "approver",
        ),
        step(
            "审批",
            f"{department}{office}",
            "作出审批决定，告知申请人",
            approve_days,
            "department",
            "approver",
        ),
    ]


def old_age_allowance(unit: str) -> dict[str, Any]:
    return item(
        name="高龄津贴申请",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区民政局",
        legal_bases=[basis("《中华人民共和国老年人权益保障法》", "第三十三条")],
        acceptance_conditions=f"户籍在{unit}、年满80周岁的老年人，由本人或者家属申请；"
        "津贴自符合条件的次月起按月发放，最低生活保障家庭中的高龄老年人按本区规定标准增发。",
        statutory_limit=no_limit(),
        promised_limit=limit(12, "working_day", "审批后次月起按月发放"),
        handling_type="2",
        visits=1,
        channels=["window", "online"],
        online_depth=ONLINE_ACCEPT,
        steps=_community_steps(unit, "区民政局", "养老服务科", 5, 5),
        service_objects=PERSON,
        themes_person=["养老服务", "社会保障"],
        result_=result("高龄津贴审批结果", "approval"),
        materials=[id_card("老年人"), hukou("老年人"), bank_account(), proxy()],
    )


def resident_medical_insurance(unit: str) -> dict[str, Any]:
    return item(
        name="城乡居民基本医疗保险参保登记",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区医疗保障局",
        legal_bases=[
            basis("《中华人民共和国社会保险法》", "第二十五条"),
            basis("《国务院关于整合城乡居民基本医疗保险制度的意见》", "", "implementing"),
        ],
        acceptance_conditions=f"户籍在{unit}或者持本区居住证在{unit}居住，未参加职工基本医疗保险的城乡居民，"
        "含新生儿、中小学生和学龄前儿童；在集中参保期内登记缴费，新生儿出生后可随时参保。",
        statutory_limit=no_limit(),
        promised_limit=instant(),
        handling_type="1",
        visits=0,
        channels=["window", "online"],
        online_depth=ONLINE_ALL,
        steps=instant_steps(f"{unit}便民服务站", "community"),
        service_objects=PERSON,
        themes_person=["社会保障", "医疗卫生", "生育收养"],
        result_=result("城乡居民基本医疗保险参保登记信息", "other"),
        materials=[
            id_card("参保人"),
            hukou("参保人"),
            shared("居住证", "非本区户籍的通过公安居住证信息共享获取", necessity="optional"),
        ],
    )


def disability_card(unit: str) -> dict[str, Any]:
    return item(
        name="残疾人证申领",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区残疾人联合会",
        handling_variants=variants(
            ("首次申领", ""), ("换领", "有效期满、残疾类别或者等级变化"), ("补领", "遗失或者损毁")
        ),
        legal_bases=[
            basis("《中华人民共和国残疾人保障法》"),
            basis("《残疾人证管理办法》", "", "implementing"),
        ],
        acceptance_conditions=f"户籍在{unit}，视力、听力、言语、肢体、智力、精神残疾或者多重残疾，"
        "符合国家标准《残疾人残疾分类和分级》的人员；本人、监护人或者委托代理人申请。",
        statutory_limit=no_limit(),
        promised_limit=limit(10, "working_day", "不含残疾评定时间"),
        handling_type="2",
        visits=1,
        channels=["window", "online"],
        online_depth=ONLINE_ACCEPT,
        steps=[
            *_community_steps(unit, "区残疾人联合会", "康复和证件管理科", 2, 5),
            step(
                "发证",
                f"{unit}便民服务站",
                "通知领取残疾人证，可申领电子证照",
                1,
                "community",
                "window_clerk",
            ),
        ],
        special_procedures="残疾评定：申请人持申请表到区残疾人联合会指定的医疗机构进行残疾评定，"
        "行动不便的可申请上门评定；评定时间不计入办理时限。",
        service_objects=PERSON,
        themes_person=["残疾人"],
        result_=result("中华人民共和国残疾人证", "certificate"),
        materials=[
            form("《残疾人证申请表》"),
            id_card(),
            hukou(),
            material(
                "近期二寸免冠白底彩色照片", copies=3, notes="申请表粘贴1张，评定和制证各用1张"
            ),
            material(
                "原残疾人证", necessity="optional", acceptance_standard="换领时交回；补领时无需提供"
            ),
            proxy(),
        ],
    )


def disability_allowances(unit: str) -> dict[str, Any]:
    return item(
        name="残疾人两项补贴申请",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区民政局",
        handling_variants=variants(
            ("困难残疾人生活补贴", "最低生活保障家庭中的残疾人"),
            ("重度残疾人护理补贴", "残疾等级为一级、二级且需要长期照护的重度残疾人"),
        ),
        legal_bases=[
            basis("《中华人民共和国残疾人保障法》"),
            basis(
                "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》",
                "",
                "implementing",
            ),
        ],
        acceptance_conditions=f"户籍在{unit}、持有第二代《中华人民共和国残疾人证》的残疾人："
        "困难残疾人生活补贴发给最低生活保障家庭中的残疾人；重度残疾人护理补贴发给残疾等级为一级、二级"
        "且需要长期照护的重度残疾人。符合条件的可以同时申领两项补贴。",
        statutory_limit=no_limit(),
        promised_limit=limit(15, "working_day", "审定后次月起按月发放"),
        handling_type="2",
        visits=1,
        channels=["window", "online"],
        online_depth=ONLINE_ACCEPT,
        steps=[
            *_community_steps(unit, "区残疾人联合会", "康复和证件管理科", 5, 5),
            step("审定", "区民政局社会救助科", "审定补贴资格和标准", 4, "department", "approver"),
        ],
        joint_agencies=["区残疾人联合会"],
        service_objects=PERSON,
        themes_person=["残疾人", "社会救助"],
        result_=result("残疾人两项补贴审定结果", "approval"),
        materials=[
            form("《困难残疾人生活补贴和重度残疾人护理补贴申请审批表》"),
            id_card(),
            shared("残疾人证", "通过全国残疾人人口基础数据库共享获取"),
            bank_account(),
            proxy(),
        ],
    )


def disabled_elderly_care_allowance(unit: str) -> dict[str, Any]:
    return item(
        name="经济困难失能老年人护理补贴申请",
        item_type="20",
        unit=unit,
        power_source="2",
        delegated_from="区民政局",
        legal_bases=[basis("《中华人民共和国老年人权益保障法》")],
        acceptance_conditions=f"户籍在{unit}，属于最低生活保障对象或者计划生育特殊家庭成员，"
        "经老年人能力评估认定为完全失能的老年人。",
        statutory_limit=no_limit(),
        promised_limit=limit(15, "working_day", "不含能力评估时间"),
        handling_type="2",
        visits=1,
        channels=["window", "online"],
        online_depth=ONLINE_ACCEPT,
        steps=_community_steps(unit, "区民政局", "养老服务科", 5, 5),
        special_procedures="老年人能力评估：由区民政局委托的评估机构上门评估，评估时间不计入办理时限。",
        service_objects=PERSON,
        themes_person=["养老服务", "社会救助"],
        result_=result("护理补贴审批结果", "approval"),
        materials=[
            form("《经济困难失能老年人护理补贴申请表》"),
            id_card("老年人"),
            hukou("老年人"),
            bank_account(),
            proxy(),
        ],
    )


def people_mediation(unit: str) -> dict[str, Any]:
    kind = "村民委员会" if unit.endswith("村") else "居民委员会"
    mediation = item(
        name="人民调解申请",
        item_type="20",
        unit=unit,
        legal_bases=[basis("《中华人民共和国人民调解法》")],
        acceptance_conditions=f"发生在{unit}的婚姻家庭、邻里、房屋宅基地、损害赔偿类民间纠纷，"
        "当事人自愿申请调解；一方明确拒绝调解的不予调解；已经人民法院、仲裁机构受理或者处理的纠纷不予受理。",
        statutory_limit=no_limit(),
        promised_limit=limit(15, "working_day", "经双方同意可延长"),
        handling_type="2",
        visits=1,
        channels=["window", "online"],
        online_depth=["consult", "submit"],
        steps=[
            step(
                "受理",
                f"{unit}人民调解委员会",
                "登记纠纷情况，告知当事人权利义务",
                1,
                "community",
                "window_clerk",
            ),
            step(
                "调解",
                f"{unit}人民调解委员会",
                "指定调解员调解，听取双方陈述，促成自愿达成协议",
                12,
                "community",
                "approver",
            ),
            step(
                "结案",
                f"{unit}人民调解委员会",
                "达成协议的制作调解协议书，未达成的告知其他救济途径",
                1,
                "community",
                "approver",
            ),
        ],
        special_procedures="司法确认：达成调解协议后，双方可以自协议生效之日起三十日内共同向人民法院申请司法确认。",
        service_objects=PERSON,
        themes_person=["司法公证"],
        result_=result("人民调解协议书", "other"),
        materials=[
            material(
                "人民调解申请书",
                form="both",
                notes=f"写明纠纷事实和请求；书写困难的可口头申请，由{kind}人民调解委员会代为记录",
            ),
            id_card("当事人"),
        ],
    )
    # The committee mediates under the 人民调解法 itself (授权组织), not for the subdistrict.
    mediation["implementer_nature"] = "2"
    del mediation["entrusting_body"]
    return mediation


# ---------------------------------------------------------------------------------------
# Drafts with planted guide-quality problems, so the quality page has findings to show.
# Each draft names its problems in DRAFT_PROBLEMS; published items must have none.

DRAFT_PROBLEMS: dict[str, list[str]] = {
    "公共场所卫生许可": ["promised_exceeds_statutory", "catch_all_material"],
    "机动车维修经营备案": ["full_online_with_visits", "same_phones"],
    "户外广告设施设置审批": ["fee_without_basis", "other_agency_not_shared"],
    "房屋租赁登记备案": ["empty_conditions", "duplicate_material"],
    "就业见习补贴申领": [
        "vague_material",
        "proof_without_basis",
        "catch_all_material",
        "zero_visits_without_route",
    ],
}


def draft_items() -> list[dict[str, Any]]:
    return [
        item(
            name="公共场所卫生许可",
            item_type="01",
            unit="区卫生健康委员会",
            status="draft",
            handling_variants=variants(("新办", ""), ("变更", ""), ("延续", "")),
            legal_bases=[
                basis("《公共场所卫生管理条例》"),
                LICENSING_LAW,
                basis("《公共场所卫生管理条例实施细则》", "", "implementing"),
            ],
            acceptance_conditions="在本区经营宾馆、旅店、美容美发、游泳场所的经营者，场所布局、设施和卫生管理符合"
            "公共场所卫生标准和卫生规范要求。",
            statutory_limit=limit(20, "working_day", "经负责人批准可延长10个工作日"),
            promised_limit=limit(25, "working_day"),
            handling_type="2",
            visits=1,
            channels=["window", "online"],
            online_depth=ONLINE_PRECHECK,
            steps=dept_steps("区卫生健康委员会", "卫生监督所", 15, 3, review="审查和现场审核"),
            service_objects=BUSINESS,
            themes_business=["准营准办", "医疗卫生"],
            result_=result("公共场所卫生许可证", "licence"),
            materials=[
                form("《公共场所卫生许可申请表》"),
                business_licence(),
                material("公共场所地址方位示意图、平面图和卫生设施平面布局图", form="both"),
                material(
                    "公共场所卫生检测或者评价报告",
                    type="copy",
                    form="both",
                    source="other_agency",
                    source_note="由检测机构出具",
                ),
                material("有关部门规定的其他材料", type="copy"),
            ],
        ),
        item(
            name="机动车维修经营备案",
            item_type="10",
            unit="区交通运输局",
            status="draft",
            consultation_phone=COMPLAINT_PHONE,
            legal_bases=[
                basis("《中华人民共和国道路运输条例》"),
                basis("《机动车维修管理规定》", "", "implementing"),
            ],
            acceptance_conditions="在本区从事机动车维修经营业务，已取得营业执照，有与维修业务相适应的维修车间、"
            "设备设施和技术人员，在开展经营活动后15日内备案。",
            statutory_limit=no_limit(),
            promised_limit=instant("材料齐全的当场备案"),
            handling_type="1",
            visits=1,
            channels=["window", "online"],
            online_depth=ONLINE_ALL,
            steps=instant_steps("区交通运输局窗口", "department"),
            service_objects=BUSINESS,
            themes_business=["准营准办", "交通运输"],
            result_=result("机动车维修经营备案回执", "other"),
            materials=[
                form("《机动车维修经营备案表》"),
                business_licence(),
                material("维修车间、设备设施和技术人员情况说明", form="both"),
            ],
        ),
        item(
            name="户外广告设施设置审批",
            item_type="01",
            unit="区住房和城乡建设局",
            status="draft",
            legal_bases=[basis("《城市市容和环境卫生管理条例》", "第十一条"), LICENSING_LAW],
            acceptance_conditions="在本区城市道路、广场和建筑物外立面设置大型户外广告设施，符合本区户外广告设置规划，"
            "设施结构安全、不影响市容和交通安全。",
            statutory_limit=limit(20, "working_day"),
            promised_limit=limit(10, "working_day"),
            handling_type="2",
            visits=1,
            channels=["window", "online"],
            online_depth=ONLINE_PRECHECK,
            steps=dept_steps("区住房和城乡建设局", "城建管理科", 6),
            fees=[
                {
                    "name": "户外广告设置审批费",
                    "standard": "每处200元",
                    "basis": "",
                    "reducible": False,
                    "reduction_basis": "",
                }
            ],
            service_objects=BUSINESS,
            themes_business=["准营准办"],
            result_=result("户外广告设施设置许可决定书", "approval"),
            materials=[
                form("《户外广告设施设置申请表》"),
                material(
                    "营业执照",
                    type="copy",
                    source="other_agency",
                    source_note="由市场监督管理部门核发",
                ),
                material("广告设施设计效果图和结构图", form="both"),
                material("场地或者建筑物使用权人同意设置的书面意见", form="paper"),
            ],
        ),
        item(
            name="房屋租赁登记备案",
            item_type="10",
            unit="区住房和城乡建设局",
            status="draft",
            legal_bases=[basis("《商品房屋租赁管理办法》", "第十四条")],
            acceptance_conditions="",
            statutory_limit=no_limit(),
            promised_limit=limit(3, "working_day"),
            handling_type="2",
            visits=1,
            channels=["window", "online"],
            online_depth=ONLINE_ACCEPT,
            steps=dept_steps("区住房和城乡建设局", "房地产市场管理科", 1, 0),
            service_objects=["1", "2"],
            themes_person=["住房保障"],
            result_=result("房屋租赁登记备案证明", "other"),
            materials=[
                form("《房屋租赁登记备案申请表》"),
                material("房屋租赁合同", type="original", reuse="days", reuse_days=365),
                id_card("出租人和承租人"),
                shared("不动产权证书", "通过不动产登记信息共享获取"),
                material("房屋租赁合同", type="copy", reuse="days", reuse_days=365),
            ],
        ),
        item(
            name="就业见习补贴申领",
            item_type="20",
            unit="区人力资源和社会保障局",
            status="draft",
            legal_bases=[basis("《就业补助资金管理办法》")],
            acceptance_conditions="本区认定的就业见习单位，吸纳离校2年内未就业高校毕业生和16至24岁失业青年参加就业见习，"
            "按月支付见习人员基本生活费并为其办理人身意外伤害保险。",
            statutory_limit=no_limit(),
            promised_limit=limit(15, "working_day"),
            handling_type="2",
            visits=0,
            channels=["window", "online"],
            online_depth=ONLINE_ACCEPT,
            steps=[
                step(
                    "受理",
                    "区公共就业服务窗口",
                    "受理见习单位申请",
                    1,
                    "department",
                    "window_clerk",
                ),
                step(
                    "审核",
                    "区就业服务中心",
                    "核对见习人员名单和生活费发放记录",
                    7,
                    "department",
                    "approver",
                ),
                step(
                    "拨付", "区人力资源和社会保障局", "审批并拨付补贴", 5, "department", "approver"
                ),
            ],
            service_objects=["2", "3", "4"],
            themes_business=["人力资源"],
            result_=result("就业见习补贴审核结果", "approval"),
            materials=[
                form("《就业见习补贴申请表》"),
                business_licence(),
                material("见习人员身份证等证件", type="copy"),
                material("见习期满考核证明", type="original"),
                material("见习人员基本生活费发放凭证", type="copy", form="both"),
                material("其他相关材料"),
            ],
        ),
    ]


def elderly_card_items() -> list[dict[str, Any]]:
    """老年人优待证 (老年证): issued by the subdistrict for the district's civil affairs
    bureau; its age rule is in ``eligibility.RULES_BY_ITEM``."""
    return [
        item(
            name="老年人优待证办理",
            item_type="20",
            unit="南桥街道",
            power_source="2",
            delegated_from="区民政局",
            legal_bases=[basis("《中华人民共和国老年人权益保障法》")],
            acceptance_conditions="户籍在南桥街道或者持本区居住证在南桥街道居住、年满60周岁的老年人。",
            statutory_limit=no_limit(),
            promised_limit=limit(5, "working_day"),
            handling_type="2",
            visits=1,
            channels=["window"],
            online_depth=[],
            steps=[
                step(
                    "受理",
                    "南桥街道便民服务中心",
                    "受理申请，采集照片",
                    1,
                    "subdistrict",
                    "window_clerk",
                ),
                step(
                    "审核制证",
                    "南桥街道社会事务办公室",
                    "审核并制作优待证",
                    3,
                    "subdistrict",
                    "approver",
                ),
            ],
            service_objects=PERSON,
            themes_person=["养老服务"],
            result_=result("老年人优待证", "certificate"),
            materials=[
                id_card("老年人"),
                material("近期一寸免冠彩色照片"),
            ],
        ),
    ]


# ---------------------------------------------------------------------------------------
# Life-event bundles (一件事一次办).

LIFE_EVENTS: list[dict[str, Any]] = [
    {
        "name": "孩子出生",
        "description": (
            "孩子出生前后要办的事：生育登记、出生医学证明、报户口、参加医保和生育保险待遇"
        ),
        "audience": "person",
        "items": [
            "生育登记",
            "出生医学证明（首次签发）",
            "出生登记",
            "城乡居民基本医疗保险参保登记",
            "生育医疗费用支付",
            "生育津贴支付",
        ],
        "fields": [
            {
                "name": "maternity_insured",
                "label": "生育妇女是否参加了职工生育保险？",
                "kind": "yes_no",
            }
        ],
        "steps": [
            {"item": "生育登记"},
            {"item": "出生医学证明（首次签发）"},
            {
                "item": "出生登记",
                "after": "出生医学证明（首次签发）",
                "carries": "出生医学证明",
            },
            {
                "item": "城乡居民基本医疗保险参保登记",
                "after": "出生登记",
                "carries": "参保人居民户口簿",
            },
            {"item": "生育医疗费用支付", "when": {"var": "maternity_insured"}},
            {
                "item": "生育津贴支付",
                "after": "出生医学证明（首次签发）",
                "carries": "出生医学证明",
                "when": {"var": "maternity_insured"},
            },
        ],
    },
    {
        "name": "结婚",
        "description": "结婚登记以及婚后随迁户口",
        "audience": "person",
        "items": ["婚姻登记（结婚登记）", "户口迁移（省内迁移）", "户口迁移（跨省迁移）"],
    },
    {
        "name": "退休",
        "description": "到龄退休领取养老金，退休后异地居住就医",
        "audience": "person",
        "items": [
            "职工基本养老保险待遇申领",
            "城乡居民基本养老保险待遇申领",
            "基本医疗保险参保人员异地就医备案",
        ],
        "fields": [
            {
                "name": "employee_pension",
                "label": "您是否参加了职工基本养老保险（在单位上班或以个人身份缴费）？",
                "kind": "yes_no",
            },
            {"name": "live_elsewhere", "label": "退休后是否到外地长期居住？", "kind": "yes_no"},
        ],
        "steps": [
            {"item": "职工基本养老保险待遇申领", "when": {"var": "employee_pension"}},
            {"item": "城乡居民基本养老保险待遇申领", "when": {"!": {"var": "employee_pension"}}},
            {"item": "基本医疗保险参保人员异地就医备案", "when": {"var": "live_elsewhere"}},
        ],
    },
    {
        "name": "开办餐饮店",
        "description": "开一家小餐馆：办营业执照、食品经营许可和排水许可",
        "audience": "business",
        "items": ["个体工商户设立登记", "食品经营许可", "城镇污水排入排水管网许可"],
        "fields": [
            {"name": "sewer", "label": "店里的污水是否排入市政排水管网？", "kind": "yes_no"}
        ],
        "steps": [
            {"item": "个体工商户设立登记"},
            {"item": "食品经营许可", "after": "个体工商户设立登记", "carries": "营业执照"},
            {
                "item": "城镇污水排入排水管网许可",
                "after": "个体工商户设立登记",
                "carries": "营业执照",
                "when": {"var": "sewer"},
            },
        ],
    },
    {
        "name": "残疾人服务",
        "description": "办理残疾人证，申请生活补贴、护理补贴和就业帮扶",
        "audience": "person",
        "items": ["残疾人证申领", "残疾人两项补贴申请", "就业困难人员认定"],
    },
    {
        "name": "失业与再就业",
        "description": "失业后登记、领取失业保险金，再就业和灵活就业补贴",
        "audience": "person",
        "items": [
            "失业登记",
            "失业保险金申领",
            "就业创业证申领",
            "就业困难人员认定",
            "灵活就业人员社会保险补贴申领",
        ],
    },
    {
        "name": "身后事",
        "description": "亲人去世后注销户口和申请基本殡葬服务费用减免",
        "audience": "person",
        "items": ["死亡人员户口注销", "基本殡葬服务费用减免申请"],
        "fields": [
            {"name": "hardship", "label": "逝者是否属于低保、特困等困难群众？", "kind": "yes_no"}
        ],
        "steps": [
            {"item": "死亡人员户口注销"},
            {
                "item": "基本殡葬服务费用减免申请",
                "after": "死亡人员户口注销",
                "when": {"var": "hardship"},
            },
        ],
    },
]

# Which subdistricts and communities implement each delegated public service.
ALL_SUBDISTRICTS = list(SUBDISTRICTS)
ALL_COMMUNITIES = [info["community"] for info in SUBDISTRICTS.values()]
LOCAL_ITEMS: list[tuple[Any, list[str]]] = [
    (birth_registration, ALL_SUBDISTRICTS),
    (minimum_living_allowance, ALL_SUBDISTRICTS),
    (employment_certificate, ALL_SUBDISTRICTS),
    (rural_pension_enrolment, ALL_SUBDISTRICTS),
    (support_for_destitute, ["城关街道", "北岭镇", "清河镇"]),
    (temporary_assistance, ["东湖街道", "西山街道", "南桥街道"]),
    (unemployment_registration, ["城关街道", "东湖街道"]),
    (public_rental_housing, ["城关街道", "东湖街道"]),
    (veteran_card, ["城关街道", "西山街道"]),
    (funeral_fee_waiver, ["北岭镇", "清河镇"]),
    (homestead_approval, ["北岭镇", "清河镇"]),
    (old_age_allowance, ALL_COMMUNITIES),
    (resident_medical_insurance, ALL_COMMUNITIES),
    (disability_card, ["翠苑社区", "湖滨社区", "松林社区"]),
    (disability_allowances, ["南桥社区", "北岭村", "清河村"]),
    (disabled_elderly_care_allowance, ["翠苑社区", "湖滨社区"]),
    (people_mediation, ["南桥社区", "清河村"]),
]


def build_document() -> dict[str, Any]:
    """The whole demo catalogue in the exchange format (docs/catalog-format.md)."""
    items: list[dict[str, Any]] = []
    for group in (
        public_security_items,
        civil_affairs_items,
        human_resources_items,
        medical_insurance_items,
        health_items,
        market_items,
        construction_and_land_items,
        other_department_items,
        elderly_card_items,
    ):
        items.extend(group())
    for builder, units in LOCAL_ITEMS:
        items.extend(builder(unit) for unit in units)
    items.extend(draft_items())
    for entry in items:
        apply_handbook(entry)
        if entry["name"] in RULES_BY_ITEM:
            entry["eligibility_rules"] = RULES_BY_ITEM[entry["name"]]
        entry["life_events"] = [
            event["name"] for event in LIFE_EVENTS if entry["name"] in event["items"]
        ]
    return {"format": "sanyi-catalog", "version": 1, "items": items, "life_events": LIFE_EVENTS}


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成示范区演示事项目录 items.json")
    parser.add_argument(
        "--check", action="store_true", help="只检查 items.json 是否与脚本生成的内容一致，不写文件"
    )
    args = parser.parse_args(argv)
    text = render(build_document())
    if args.check:
        current = ITEMS_PATH.read_text(encoding="utf-8") if ITEMS_PATH.exists() else ""
        if current != text:
            print(
                f"{ITEMS_PATH.name} 与生成结果不一致，请运行 build_items.py 重新生成",
                file=sys.stderr,
            )
            return 1
        return 0
    ITEMS_PATH.write_text(text, encoding="utf-8")
    print(f"已写入 {ITEMS_PATH.name}：{len(json.loads(text)['items'])} 个事项")
    return 0


if __name__ == "__main__":
    sys.exit(main())
