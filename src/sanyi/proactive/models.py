"""Proactive offers (主动服务): rules as data over the platform's own data, the offers they
made to residents, and residents' opt-outs (docs/proactive.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from sanyi.proactive.choices import OfferAction, OfferChannel, RuleStatus, TriggerKind


class ProactiveRule(models.Model):
    """One version of a rule: when ``trigger_kind`` fires for a resident and ``condition``
    (an eligibility rule expression, catalog.eligibility) holds for the resident's facts,
    offer ``item``. Versions of the same ``code`` replace each other on publishing."""

    code = models.CharField("规则编码", max_length=40)
    version = models.PositiveIntegerField("版本号", default=1)
    name = models.CharField("规则名称", max_length=100)
    item = models.ForeignKey(
        "catalog.ImplementationItem",
        on_delete=models.PROTECT,
        related_name="proactive_rules",
        verbose_name="推送的事项",
    )
    trigger_kind = models.CharField("触发条件", max_length=32, choices=TriggerKind.choices)
    trigger_params = models.JSONField("触发参数", default=dict, blank=True)
    condition = models.JSONField("附加条件（受理条件规则格式）", null=True, blank=True)
    reason = models.CharField(
        "推送理由",
        max_length=200,
        help_text="写给居民看的一句话，可用 {age}、{item}、{licence}、{days}、{trigger_item}",
    )
    action = models.CharField(
        "推送方式", max_length=16, choices=OfferAction.choices, default=OfferAction.NOTIFY
    )
    confirm_required = models.BooleanField(
        "免申即享须居民确认",
        default=True,
        help_text="免申即享：勾选时先为居民建好申请，居民一键确认后才提交；不勾选则直接提交",
    )
    tests = models.JSONField("测试用例", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=RuleStatus.choices, default=RuleStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="编写人",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("建立时间", auto_now_add=True)

    class Meta:
        verbose_name = "主动服务规则"
        verbose_name_plural = "主动服务规则"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="proactive_rule_version"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status=RuleStatus.PUBLISHED),
                name="proactive_rule_one_published",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="proactive_rule_status")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code} 第{self.version}版）"


class ProactiveOffer(models.Model):
    """One offer to one resident. ``(rule_code, applicant, trigger_key)`` is unique: the
    same trigger (a birthday threshold, a licence and its days, a case) never makes a
    second offer, whichever version of the rule runs.

    Whether the resident applied and whether it concluded are read from ``case`` (its
    ``submitted_at`` and ``concluded_at``), never copied here: the case is the one record
    of its own state, so the counters cannot drift from it (docs/proactive.md)."""

    rule = models.ForeignKey(
        ProactiveRule, on_delete=models.PROTECT, related_name="offers", verbose_name="规则"
    )
    rule_code = models.CharField("规则编码", max_length=40)
    rule_version = models.PositiveIntegerField("规则版本号")
    applicant = models.ForeignKey(
        "applicants.Applicant",
        on_delete=models.PROTECT,
        related_name="proactive_offers",
        verbose_name="居民",
    )
    item = models.ForeignKey(
        "catalog.ImplementationItem",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="推送的事项",
    )
    reason = models.CharField("推送理由", max_length=300)
    trigger_key = models.CharField("触发键", max_length=80)
    action = models.CharField("推送方式", max_length=16, choices=OfferAction.choices)
    channel = models.CharField(
        "渠道", max_length=16, choices=OfferChannel.choices, default=OfferChannel.NONE
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="由此办理的办件",
    )
    offered_on = models.DateField("推送日期")
    created_at = models.DateTimeField("建立时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    opened_at = models.DateTimeField("查看时间", null=True, blank=True)

    class Meta:
        verbose_name = "主动服务推送"
        verbose_name_plural = "主动服务推送"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_code", "applicant", "trigger_key"], name="proactive_offer_once"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(case__isnull=False), name="proactive_offer_one_case"
            ),
        ]
        indexes = [
            models.Index(fields=["applicant", "-created_at"], name="proactive_offer_applicant"),
            models.Index(fields=["offered_on"], name="proactive_offer_day"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_code}→{self.applicant_id}（{self.trigger_key}）"


class ProactiveOptOut(models.Model):
    """A resident who wants no offers: of any rule (``rule_code`` empty) or of one."""

    applicant = models.ForeignKey(
        "applicants.Applicant",
        on_delete=models.CASCADE,
        related_name="proactive_opt_outs",
        verbose_name="居民",
    )
    rule_code = models.CharField("规则编码（空为全部）", max_length=40, blank=True, default="")
    created_at = models.DateTimeField("关闭时间", auto_now_add=True)

    class Meta:
        verbose_name = "不接收主动服务"
        verbose_name_plural = "不接收主动服务"
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "rule_code"], name="proactive_opt_out_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.applicant_id}：{self.rule_code or '全部'}"
