"""Code lists of proactive offers (主动服务)."""

from django.db import models


class TriggerKind(models.TextChoices):
    AGE_REACHED = "age_reached", "年满规定年龄"
    LIFE_EVENT_MEMBER_CONCLUDED = "life_event_member_concluded", "一件事中的事项办结"
    LICENCE_EXPIRING = "licence_expiring", "电子证照即将到期"
    CASE_CONCLUDED_OF_ITEM = "case_concluded_of_item", "某个事项办结"
    GRID_EVENT_ABOUT_RESIDENT = "grid_event_about_resident", "网格员上报居民事件"


class OfferAction(models.TextChoices):
    NOTIFY = "notify", "消息提醒"
    AUTO_CASE = "auto_case", "免申即享"


class RuleStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已停用"


class OfferChannel(models.TextChoices):
    IN_APP = "in_app", "站内消息"
    SMS = "sms", "短信和站内消息"
    NONE = "none", "未发送"
