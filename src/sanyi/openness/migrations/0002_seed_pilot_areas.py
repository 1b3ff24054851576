"""The 26 pilot areas of 国办发〔2019〕54号, codes P01…P26 in the order of the notice."""

from django.db import migrations

PILOT_AREAS = [
    "城乡规划", "重大建设项目", "公共资源交易", "财政预决算", "安全生产", "税收管理",
    "征地补偿", "国有土地上房屋征收与补偿", "农村危房改造", "环境保护", "公共文化服务",
    "扶贫", "救灾", "食品药品监管", "城市综合执法", "就业", "社会救助", "养老服务",
    "户籍管理", "涉农补贴", "医疗卫生", "市政服务", "义务教育", "公共法律服务",
    "社会保险", "保障性住房",
]  # fmt: skip


def seed(apps, schema_editor):
    Area = apps.get_model("openness", "Area")
    for n, name in enumerate(PILOT_AREAS, start=1):
        Area.objects.update_or_create(
            code=f"P{n:02d}", defaults={"name": name, "is_pilot": True, "sort_order": n}
        )


def unseed(apps, schema_editor):
    Area = apps.get_model("openness", "Area")
    Area.objects.filter(code__in=[f"P{n:02d}" for n in range(1, 27)], is_pilot=True).delete()


class Migration(migrations.Migration):
    dependencies = [("openness", "0001_directory_publications")]
    operations = [migrations.RunPython(seed, unseed)]
