"""Ratings (好差评, 国办发〔2019〕51号): five levels, online and offline criteria."""

from django.db import models


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASIC = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


# A rating at or below this level is a bad rating (差评): it opens a rectification.
BAD_LEVEL = RatingLevel.DISSATISFIED


class RatingChannel(models.TextChoices):
    ONLINE = "online", "网上评价"
    OFFLINE = "offline", "窗口评价器"


# The criteria of each channel, besides the overall level (总体评价).
# Keyed by the stored channel value (a plain str from a form or the API works too).
CRITERIA: dict[str, tuple[tuple[str, str], ...]] = {
    RatingChannel.ONLINE: (
        ("efficiency", "办事效率"),
        ("guide_accuracy", "办事指南准确性"),
        ("convenience", "办事便捷程度"),
        ("platform", "平台好用程度"),
    ),
    RatingChannel.OFFLINE: (
        ("efficiency", "办事效率"),
        ("service_level", "服务水平"),
        ("attitude", "服务态度"),
    ),
}


class RectificationStatus(models.TextChoices):
    OPEN = "open", "整改中"
    DONE = "done", "已整改"
    CANCELLED = "cancelled", "申诉成立，免于整改"


class ReturnVisitResult(models.TextChoices):
    SATISFIED = "satisfied", "回访满意"
    UNSATISFIED = "unsatisfied", "回访仍不满意"
    UNREACHABLE = "unreachable", "未能联系上"


class AppealStatus(models.TextChoices):
    PENDING = "pending", "待复核"
    UPHELD = "upheld", "申诉成立"
    REJECTED = "rejected", "申诉不成立"
