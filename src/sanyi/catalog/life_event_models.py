"""Life events (一件事一次办): items done together, in order, with what each waits for,
the material the earlier result provides and the answers each applies to
(docs/catalog.md, "Life events")."""

from __future__ import annotations

from django.db import models

from sanyi.catalog.choices import LifeEventAudience


class LifeEvent(models.Model):
    """一件事一次办: several items done together for one life event."""

    name = models.CharField("名称", max_length=100, unique=True)
    description = models.TextField("说明", blank=True)
    audience = models.CharField(
        "面向对象",
        max_length=16,
        choices=LifeEventAudience.choices,
        default=LifeEventAudience.PERSON,
    )
    items = models.ManyToManyField(
        "catalog.ImplementationItem",
        through="LifeEventMember",
        related_name="life_events",
        blank=True,
        verbose_name="包含事项",
    )
    # Shared fields asked once for every member (一表申请): [{"name", "label", "kind"}],
    # kind "text" or "yes_no"; member conditions read the answers (docs/catalog.md).
    fields = models.JSONField("共用申请字段", default=list, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "一件事"
        verbose_name_plural = "一件事"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class LifeEventMember(models.Model):
    """One item of a life event: its place in the order, the member it waits for (whose
    result becomes this member's material ``carries``), and the answers it applies to."""

    life_event = models.ForeignKey(LifeEvent, on_delete=models.CASCADE, related_name="members")
    item = models.ForeignKey(
        "catalog.ImplementationItem",
        on_delete=models.CASCADE,
        related_name="life_event_members",
        verbose_name="事项",
    )
    position = models.PositiveSmallIntegerField("顺序", default=0)
    depends_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependants",
        verbose_name="前序事项",
    )
    carries = models.CharField(
        "前序结果作为本事项材料", max_length=300, blank=True, help_text="本事项材料清单中的材料名称"
    )
    condition = models.JSONField(
        "适用条件",
        default=dict,
        blank=True,
        help_text="JSON Logic，按共用申请字段的回答判断；空为都适用",
    )

    class Meta:
        verbose_name = "一件事包含的事项"
        verbose_name_plural = "一件事包含的事项"
        ordering = ["life_event", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["life_event", "item"], name="life_event_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.life_event} · {self.item}"
