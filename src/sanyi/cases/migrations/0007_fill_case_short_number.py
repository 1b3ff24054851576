"""Give every existing case a short number (短号), unique among all cases.

Self-contained on purpose (migrations never import app code): the alphabet and length are
those of ``sanyi.cases.models``.
"""

import secrets

from django.db import migrations

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
LENGTH = 8


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    taken = set(
        Case.objects.exclude(short_number=None).values_list("short_number", flat=True)
    )
    batch = []
    for case in Case.objects.filter(short_number=None).only("pk").order_by("pk").iterator():
        while True:
            candidate = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
            if candidate not in taken:
                break
        taken.add(candidate)
        case.short_number = candidate
        batch.append(case)
        if len(batch) >= 1000:
            Case.objects.bulk_update(batch, ["short_number"])
            batch = []
    Case.objects.bulk_update(batch, ["short_number"])


def clear(apps, schema_editor):
    apps.get_model("cases", "Case").objects.update(short_number=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_case_short_number"),
    ]

    operations = [
        migrations.RunPython(fill, clear),
    ]
