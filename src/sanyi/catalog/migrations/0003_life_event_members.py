"""Life event members get an order, a dependency and a condition (一件事一次办).

The plain many-to-many table becomes the ``LifeEventMember`` through model; every existing
membership is copied, in the order it was added.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_members(apps, schema_editor):
    LifeEvent = apps.get_model("catalog", "LifeEvent")
    Member = apps.get_model("catalog", "LifeEventMember")
    Old = LifeEvent.items.through
    rows = []
    position: dict[int, int] = {}
    for row in Old.objects.order_by("lifeevent_id", "id"):
        position[row.lifeevent_id] = position.get(row.lifeevent_id, 0) + 1
        rows.append(
            Member(
                life_event_id=row.lifeevent_id,
                item_id=row.implementationitem_id,
                position=position[row.lifeevent_id],
            )
        )
    Member.objects.bulk_create(rows)


def copy_back(apps, schema_editor):
    LifeEvent = apps.get_model("catalog", "LifeEvent")
    Member = apps.get_model("catalog", "LifeEventMember")
    Old = LifeEvent.items.through
    Old.objects.bulk_create(
        [
            Old(lifeevent_id=m.life_event_id, implementationitem_id=m.item_id)
            for m in Member.objects.all()
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_eligibility_rules")]

    operations = [
        migrations.CreateModel(
            name="LifeEventMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="顺序")),
                (
                    "carries",
                    models.CharField(
                        blank=True,
                        help_text="本事项材料清单中的材料名称",
                        max_length=300,
                        verbose_name="前序结果作为本事项材料",
                    ),
                ),
                (
                    "condition",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text="JSON Logic，按共用申请字段的回答判断；空为都适用",
                        verbose_name="适用条件",
                    ),
                ),
                (
                    "depends_on",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="dependants",
                        to="catalog.lifeeventmember",
                        verbose_name="前序事项",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="life_event_members",
                        to="catalog.implementationitem",
                        verbose_name="事项",
                    ),
                ),
                (
                    "life_event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="members",
                        to="catalog.lifeevent",
                    ),
                ),
            ],
            options={
                "verbose_name": "一件事包含的事项",
                "verbose_name_plural": "一件事包含的事项",
                "ordering": ["life_event", "position", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("life_event", "item"), name="life_event_member_once"
                    )
                ],
            },
        ),
        migrations.RunPython(copy_members, copy_back),
        migrations.RemoveField(model_name="lifeevent", name="items"),
        migrations.AddField(
            model_name="lifeevent",
            name="items",
            field=models.ManyToManyField(
                blank=True,
                related_name="life_events",
                through="catalog.LifeEventMember",
                to="catalog.implementationitem",
                verbose_name="包含事项",
            ),
        ),
        migrations.AddField(
            model_name="lifeevent",
            name="fields",
            field=models.JSONField(blank=True, default=list, verbose_name="共用申请字段"),
        ),
    ]
