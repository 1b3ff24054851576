"""A small district as a new resident meets it, built through the services: two
subdistricts (城关街道 with 幸福社区, 东湖街道 with 湖滨社区) that each implement 最低生活保障申请,
the district's 开办餐饮店 and 个体工商户设立登记, 高龄津贴申请 with its eligibility rules, and
the everyday words residents type (the rows migrations 0003/0005 seed, which transactional
tests flush)."""

from __future__ import annotations

from django.core.cache import cache

from sanyi.catalog.demo.eligibility import RULES_BY_ITEM
from sanyi.catalog.tests import factories as catalog_f
from sanyi.catalog.tests.public_factories import org_with_centers, published_dibao
from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories as org_f
from sanyi.search import lexicon
from sanyi.search.models import Synonym
from sanyi.search.services import synonym_create

AGE_REASON = "高龄津贴发给年满80周岁的老年人，您还不到80周岁。"
SYNONYMS = {
    "开饭店": ["开办餐饮店", "食品经营许可", "个体工商户设立登记"],
    "低保": ["最低生活保障"],
    "高龄补贴": ["高龄津贴"],
}


def build_town() -> dict:
    """The units, and the published item versions by short name."""
    for term, expansions in SYNONYMS.items():
        if not Synonym.objects.filter(term=term).exists():
            synonym_create(actor="系统：测试", term=term, expansions=expansions)
    cache.delete(lexicon.VERSION_KEY)
    lexicon.lexicon_reset()
    town = org_with_centers()
    town["home_community"] = org_f.unit(town["street"], OrgKind.COMMUNITY, name="幸福社区")
    town["east"] = org_f.unit(
        town["district"], OrgKind.SUBDISTRICT, name="东湖街道", uscc=org_f.unique_uscc()
    )
    town["east_community"] = org_f.unit(town["east"], OrgKind.COMMUNITY, name="湖滨社区")
    town["dibao"] = published_dibao(town)
    town["east_dibao"] = published_dibao(town, unit=town["east"])
    for key, name in (("restaurant", "开办餐饮店"), ("getihu", "个体工商户设立登记")):
        town[key] = catalog_f.item(
            unit=town["dept"],
            status="published",
            author=town["author"],
            reviewer=town["reviewer"],
            name=name,
        )
    town["gaoling"] = catalog_f.item(
        unit=town["street"],
        status="published",
        author=town["author"],
        reviewer=town["reviewer"],
        name="高龄津贴申请",
        item_type="20",
        level="5",
        guide=catalog_f.good_guide(
            acceptance_conditions="年满80周岁、户籍在本区的老年人。",
            service_objects=["1"],
            themes_person=["养老服务"],
            themes_business=[],
            result={"name": "高龄津贴", "type": "other", "sample": ""},
            materials=[{**catalog_f.GOOD_GUIDE["materials"][0], "name": "高龄津贴申请表"}],
            eligibility_rules=RULES_BY_ITEM["高龄津贴申请"],
        ),
    )
    return town


def code_of(version) -> str:
    return version.implementation_item.implementation_code
