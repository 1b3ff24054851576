"""Notifications: the in-app inbox and one outbox row per external delivery.

``Message`` is the inbox: one row per recipient (an applicant or a staff account). Writing it
is the in-app channel, so it exists whatever happens to email, SMS or webhooks.
``OutboxMessage`` is one delivery of a message over one external channel to one address. It
is written in the same transaction as the message and delivered after commit by the worker;
its status says where the delivery stands (see docs/notifications.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Message(models.Model):
    applicant = models.ForeignKey(
        "applicants.Applicant",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name="申请人",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name="工作人员",
    )
    event = models.CharField("事件", max_length=64)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    dedupe_key = models.CharField("去重键", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(applicant__isnull=False, user__isnull=True)
                    | Q(applicant__isnull=True, user__isnull=False)
                ),
                name="notify_message_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["applicant", "dedupe_key"],
                condition=Q(applicant__isnull=False) & ~Q(dedupe_key=""),
                name="notify_message_applicant_dedupe",
            ),
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=Q(user__isnull=False) & ~Q(dedupe_key=""),
                name="notify_message_user_dedupe",
            ),
        ]
        indexes = [
            models.Index(fields=["applicant", "-created_at"], name="notify_msg_applicant_inbox"),
            models.Index(fields=["user", "-created_at"], name="notify_msg_user_inbox"),
            models.Index(
                fields=["user", "read_at"],
                condition=Q(read_at__isnull=True),
                name="notify_msg_user_unread",
            ),
            models.Index(
                fields=["applicant", "read_at"],
                condition=Q(read_at__isnull=True),
                name="notify_msg_applicant_unread",
            ),
            models.Index(fields=["object_type", "object_id"], name="notify_msg_object"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def recipient_label(self) -> str:
        """Who the message is for, masked as lists show it."""
        if self.applicant is not None:
            return f"申请人 {self.applicant.display_name}（{self.applicant.masked_id}）"
        return f"工作人员 {self.user}"


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"
    WEBHOOK = "webhook", "Webhook 推送"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败，等待重试"
    DEAD = "dead", "多次失败，已停止"


class WebhookAudience(models.TextChoices):
    ALL = "all", "申请人和工作人员"
    APPLICANTS = "applicants", "只推送给申请人的消息"
    STAFF = "staff", "只推送给工作人员的消息"


class WebhookSubscription(models.Model):
    """An outside system that receives matching messages as signed JSON POSTs."""

    name = models.CharField("名称", max_length=100)
    url = models.URLField("接收地址", max_length=500)
    secret = models.CharField(
        "签名密钥", max_length=128, help_text="用于计算 HMAC-SHA256 签名，由接收方核对"
    )
    events = models.CharField(
        "订阅事件",
        max_length=500,
        default="*",
        help_text="用英文逗号分隔；“*”表示全部，“case.*”表示 case. 开头的全部事件",
    )
    audience = models.CharField(
        "消息对象", max_length=16, choices=WebhookAudience.choices, default=WebhookAudience.ALL
    )
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("建立时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "Webhook 订阅"
        verbose_name_plural = "Webhook 订阅"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def event_patterns(self) -> list[str]:
        return [p.strip() for p in self.events.split(",") if p.strip()]

    def matches(self, event: str, *, to_applicant: bool) -> bool:
        if not self.is_active:
            return False
        if self.audience == WebhookAudience.APPLICANTS and not to_applicant:
            return False
        if self.audience == WebhookAudience.STAFF and to_applicant:
            return False
        for pattern in self.event_patterns:
            if pattern == "*" or pattern == event:
                return True
            if pattern.endswith(".*") and event.startswith(pattern[:-1]):
                return True
        return False


class OutboxMessage(models.Model):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="deliveries", verbose_name="消息"
    )
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    # Copied from the message so the status list filters on one indexed table.
    event = models.CharField("事件", max_length=64)
    address = models.CharField("发送地址", max_length=500)
    subscription = models.ForeignKey(
        WebhookSubscription,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        verbose_name="Webhook 订阅",
    )
    status = models.CharField(
        "状态", max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间")
    claimed_at = models.DateTimeField("开始发送时间", null=True, blank=True)
    # Set on every claim; only the claimant may record the outcome (a stale worker whose
    # claim was taken over after a timeout cannot overwrite the newer attempt).
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    last_error = models.TextField("最近一次错误", blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    provider_message_id = models.CharField("服务商消息编号", max_length=200, blank=True)
    created_at = models.DateTimeField("建立时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "外部发送记录"
        verbose_name_plural = "外部发送记录"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The worker's and sweeper's scan: due rows by time.
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=Q(status__in=["pending", "failed"]),
                name="notify_outbox_due",
            ),
            models.Index(
                fields=["status", "claimed_at"],
                condition=Q(status="sending"),
                name="notify_outbox_stuck",
            ),
            # The staff delivery-status list and its filters.
            models.Index(fields=["channel", "status", "-created_at"], name="notify_outbox_channel"),
            models.Index(fields=["status", "-created_at"], name="notify_outbox_status"),
            models.Index(fields=["event", "-created_at"], name="notify_outbox_event"),
            models.Index(fields=["-created_at"], name="notify_outbox_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.masked_address}"

    @property
    def masked_address(self) -> str:
        from sanyi.core.ids import mask_phone

        if self.channel == Channel.SMS:
            return mask_phone(self.address)
        if self.channel == Channel.EMAIL:
            local, _, domain = self.address.partition("@")
            return f"{local[:1]}***@{domain}" if domain else "***"
        return self.address
