"""Everyday words residents type, mapped to the official terms used in item names.

Seeded once; catalogue admins maintain the table afterwards (changes there are audited).
Rows an admin has already created are left alone.
"""

from django.db import migrations

SYNONYMS = {
    "生孩子": ["生育登记", "出生医学证明", "出生登记"],
    "生小孩": ["生育登记", "出生医学证明", "出生登记"],
    "准生证": ["生育登记", "生育服务证"],
    "出生证": ["出生医学证明"],
    "低保": ["最低生活保障"],
    "特困": ["特困人员救助供养"],
    "上户口": ["户口登记", "户籍", "出生登记"],
    "落户": ["户口登记", "户籍", "户口迁移"],
    "迁户口": ["户口迁移"],
    "身份证": ["居民身份证"],
    "开店": ["个体工商户登记", "食品经营许可", "营业执照"],
    "开饭店": ["个体工商户登记", "食品经营许可"],
    "开公司": ["企业设立登记", "营业执照"],
    "办执照": ["营业执照", "个体工商户登记"],
    "退休": ["退休", "养老金", "基本养老保险"],
    "养老金": ["基本养老保险待遇", "养老保险"],
    "残疾证": ["残疾人证"],
    "医保": ["医疗保险", "基本医疗保险"],
    "社保": ["社会保险"],
    "社保卡": ["社会保障卡"],
    "公积金": ["住房公积金"],
    "结婚": ["婚姻登记", "结婚登记"],
    "离婚": ["婚姻登记", "离婚登记"],
    "失业": ["失业登记", "失业保险"],
    "找工作": ["就业登记", "求职登记", "就业服务"],
    "高龄补贴": ["高龄津贴"],
    "老人补贴": ["高龄津贴", "养老服务补贴"],
    "居住证": ["居住证", "居住登记"],
    "暂住证": ["居住证", "居住登记"],
    "死亡证明": ["死亡医学证明", "居民死亡医学证明"],
    "销户": ["户口注销"],
    "丧葬费": ["丧葬补助金", "丧葬费补助"],
    "盖房子": ["农村宅基地", "建房审批", "乡村建设规划许可"],
    "廉租房": ["公共租赁住房", "保障性住房"],
    "公租房": ["公共租赁住房"],
    "上学": ["入学", "义务教育"],
    "当兵": ["征兵", "兵役登记"],
    "报销": ["医疗费用报销", "费用报销"],
    "无犯罪证明": ["无犯罪记录证明"],
    "门牌": ["门楼牌", "地名门牌"],
}


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    existing = set(Synonym.objects.values_list("term", flat=True))
    Synonym.objects.bulk_create(
        Synonym(term=term, expansions=expansions, note="初始数据")
        for term, expansions in SYNONYMS.items()
        if term not in existing
    )


def unseed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(note="初始数据", term__in=list(SYNONYMS)).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_index")]

    operations = [migrations.RunPython(seed, unseed)]
