"""Code lists of the disclosure app. The stored value is the code used in the database and
in exports; the label is what the UI shows (STANDARDS.md §2, §3)."""

from django.db import models


class Channel(models.TextChoices):
    """公开渠道和载体: the official checklist of the standard directories."""

    WEBSITE = "website", "政府网站"
    GAZETTE = "gazette", "政府公报"
    NEW_MEDIA = "new_media", "两微一端"
    PRESS_HEARING = "press_hearing", "发布会/听证会"
    BROADCAST = "broadcast", "广播电视"
    PRINT = "print", "纸质媒体"
    READING_POINT = "reading_point", "公开查阅点"
    SERVICE_CENTER = "service_center", "政务服务中心"
    SERVICE_STATION = "service_station", "便民服务站"
    DOOR_TO_DOOR = "door_to_door", "入户/现场"
    NOTICE_BOARD = "notice_board", "社区/村公示栏（电子屏）"
    TARGETED_PUSH = "targeted_push", "精准推送"
    OTHER = "other", "其他"


class Audience(models.TextChoices):
    PUBLIC = "public", "全社会"
    SPECIFIC_GROUP = "specific_group", "特定群体"


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"


class Level(models.TextChoices):
    DISTRICT = "district", "县级（区）"
    SUBDISTRICT = "subdistrict", "乡级（街道/乡镇）"
    COMMUNITY = "community", "村级（社区/村）"


class FiveKind(models.TextChoices):
    """五公开."""

    DECISION = "decision", "决策公开"
    EXECUTION = "execution", "执行公开"
    MANAGEMENT = "management", "管理公开"
    SERVICE = "service", "服务公开"
    RESULT = "result", "结果公开"


class ContentNature(models.TextChoices):
    STATIC = "static", "静态信息"
    DYNAMIC = "dynamic", "动态信息"


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working", "个工作日"
    NATURAL_DAYS = "natural", "个自然日"


class LimitTrigger(models.TextChoices):
    FORMED_OR_CHANGED = "formed_or_changed", "信息形成或者变更之日起"
    DECISION = "decision", "作出决定之日起"
    OTHER = "other", "其他"


class NonDisclosureGround(models.TextChoices):
    """Grounds not to disclose (Regulations on Open Government Information, Art. 14-16)."""

    STATE_SECRET = "art14_state_secret", "第十四条：属于国家秘密"
    PROHIBITED_BY_LAW = "art14_prohibited", "第十四条：法律、行政法规禁止公开"
    SECURITY_STABILITY = (
        "art14_security",
        "第十四条：公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    )
    TRADE_SECRET = "art15_trade_secret", "第十五条：涉及商业秘密"
    PRIVACY = "art15_privacy", "第十五条：涉及个人隐私"
    INTERNAL_AFFAIRS = "art16_internal", "第十六条：内部事务信息"
    PROCESS_INFORMATION = "art16_process", "第十六条：过程性信息"
    ENFORCEMENT_FILE = "art16_enforcement", "第十六条：行政执法案卷信息"


class DocumentKind(models.TextChoices):
    """What kind of document a publication is, as the annual report counts them (Art. 20 item 1)."""

    REGULATION = "regulation", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    OTHER = "other", "其他"


class DisclosureAttribute(models.TextChoices):
    """公开属性, set when the document is drafted."""

    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    NOT_DISCLOSED = "not_disclosed", "不予公开"


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "保密审查中"
    APPROVED = "approved", "审查通过"
    SCHEDULED = "scheduled", "定时发布"
    PUBLISHED = "published", "已发布"
    REVOKED = "revoked", "已撤销"


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    ABOLISHED = "abolished", "废止"


class Topic(models.TextChoices):
    """主题分类 used by the portal; imported channels map onto these (see importing.py)."""

    NOTICE = "notice", "公示公告"
    POLICY = "policy", "政策文件"
    NORMATIVE = "normative", "行政规范性文件"
    PERSONNEL = "personnel", "人事信息"
    PLANNING = "planning", "规划计划"
    WORK_REPORT = "work_report", "工作动态与报告"
    FINANCE = "finance", "财政资金"
    GUIDE = "guide", "办事服务"
    LICENSING_PENALTY = "licensing_penalty", "行政许可与处罚"
    SOCIAL_ASSISTANCE = "social_assistance", "社会救助与保障"
    EDUCATION = "education", "教育"
    HEALTH = "health", "医疗卫生"
    ELDERLY = "elderly", "养老服务"
    EMPLOYMENT = "employment", "就业创业"
    AGRICULTURE = "agriculture", "涉农与乡村振兴"
    EMERGENCY = "emergency", "应急管理"
    MARKET = "market", "市场监管"
    OPENNESS = "openness", "政府信息公开"
    OTHER = "other", "其他"


class InterpretationKind(models.TextChoices):
    TEXT = "text", "文字解读"
    PICTURE = "picture", "图片解读"
    VIDEO = "video", "视频解读"
