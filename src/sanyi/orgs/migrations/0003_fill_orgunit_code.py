"""Give every existing org unit a 单位编号 (U + zero-padded id), as org_unit_create does."""

from django.db import migrations


def fill_codes(apps, schema_editor):
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    taken = set(OrgUnit.objects.exclude(code="").values_list("code", flat=True))
    for unit in OrgUnit.objects.filter(code="").only("pk").order_by("pk"):
        code, n = f"U{unit.pk:06d}", 1
        while code in taken:
            n += 1
            code = f"U{unit.pk:06d}-{n}"
        taken.add(code)
        OrgUnit.objects.filter(pk=unit.pk).update(code=code)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_orgunit_code_notes_center_unique")]

    operations = [migrations.RunPython(fill_codes, migrations.RunPython.noop)]
