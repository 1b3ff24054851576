"""Code lists of the service catalogue, stored as their official code values.

Where STANDARDS.md §1 gives a numeric code (item types, power sources, levels …) that code
is the stored value; where the exchange format (docs/catalog-format.md) defines a word
(material type, channels …) the word is the stored value. Labels are the official Chinese.
"""

from django.db import models


class ItemType(models.TextChoices):
    LICENSING = "01", "行政许可"
    PENALTY = "02", "行政处罚"
    COERCION = "03", "行政强制"
    LEVY = "04", "行政征收"
    PAYMENT = "05", "行政给付"
    INSPECTION = "06", "行政检查"
    CONFIRMATION = "07", "行政确认"
    REWARD = "08", "行政奖励"
    ADJUDICATION = "09", "行政裁决"
    OTHER_POWER = "10", "其他行政权力"
    PUBLIC_SERVICE = "20", "公共服务"


# Administrative powers are every type except public services (GLOSSARY: 行政权力).
POWER_TYPES = frozenset(ItemType.values) - {ItemType.PUBLIC_SERVICE.value}
# Types whose guide must state a statutory time limit: the law sets one for each of them
# (行政许可法 art. 42, 行政给付/确认/裁决 by their own regulations).
TYPES_NEEDING_STATUTORY_LIMIT = frozenset(
    {ItemType.LICENSING, ItemType.PAYMENT, ItemType.CONFIRMATION, ItemType.ADJUDICATION}
)


class PowerSource(models.TextChoices):
    STATUTORY = "1", "法定本级行使"
    DELEGATED_FROM_ABOVE = "2", "上级下放"
    AUTHORISED_BY_ABOVE = "3", "上级授权"
    AUTHORISED_BY_PEER = "4", "同级授权"
    ENTRUSTED_BY_ABOVE = "5", "上级委托"
    ENTRUSTED_BY_PEER = "6", "同级委托"


class ImplementerNature(models.TextChoices):
    STATUTORY_AGENCY = "1", "法定机关"
    AUTHORISED_ORGANISATION = "2", "授权组织"
    ENTRUSTED_ORGANISATION = "3", "受委托组织"


class ItemLevel(models.TextChoices):
    NATIONAL = "1", "国家级"
    PROVINCE = "2", "省级"
    CITY = "3", "市级"
    DISTRICT = "4", "县级（区）"
    SUBDISTRICT = "5", "乡级（街道、乡镇）"
    COMMUNITY = "6", "村级（社区、村）"


class HandlingType(models.TextChoices):
    INSTANT = "1", "即办件"
    PROMISED = "2", "承诺件"


class ServiceObject(models.TextChoices):
    PERSON = "1", "自然人"
    ENTERPRISE = "2", "企业法人"
    PUBLIC_INSTITUTION = "3", "事业法人"
    SOCIAL_ORGANISATION = "4", "社会组织法人"
    UNINCORPORATED_ENTERPRISE = "5", "非法人企业"
    AGENCY = "6", "行政机关"
    OTHER = "9", "其他组织"


class LimitUnit(models.TextChoices):
    WORKING_DAY = "working_day", "个工作日"
    NATURAL_DAY = "natural_day", "日（自然日）"
    MONTH = "month", "个月"
    NONE = "none", "无时限"


class Channel(models.TextChoices):
    WINDOW = "window", "窗口办理"
    ONLINE = "online", "网上办理"
    POST = "post", "邮寄办理"
    SELF_SERVICE = "self_service", "自助终端"


class OnlineDepth(models.TextChoices):
    CONSULT = "consult", "在线咨询"
    SUBMIT = "submit", "网上收件"
    PRECHECK = "precheck", "网上预审"
    ACCEPT = "accept", "网上受理"
    HANDLE = "handle", "网上办理"
    RESULT = "result", "网上反馈结果"
    ELICENCE = "elicence", "电子证照反馈"


# 全程网办: every online depth step is offered (docs/catalog-format.md).
FULL_ONLINE = frozenset(OnlineDepth.values)


class ResultType(models.TextChoices):
    LICENCE = "licence", "证照"
    APPROVAL = "approval", "批文"
    CERTIFICATE = "certificate", "证明"
    OTHER = "other", "其他"
    NONE = "none", "无"


class MaterialType(models.TextChoices):
    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    BOTH = "both", "原件和复印件"


class MaterialForm(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"
    BOTH = "both", "纸质和电子"


class MaterialNecessity(models.TextChoices):
    REQUIRED = "required", "必要"
    OPTIONAL = "optional", "非必要"
    DEFERRABLE = "deferrable", "容缺（可后补）"


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", "申请人自备"
    OTHER_AGENCY = "other_agency", "其他部门出具"
    SHARED_DATA = "shared_data", "共享获取（无需提交）"


class MaterialReuse(models.TextChoices):
    """How long an accepted copy of a material may be reused in a later application
    (信息跑路). Blank: the platform's default (``SANYI_MATERIAL_REUSE_DAYS``)."""

    DEFAULT = "", "按平台默认期限"
    DAYS = "days", "受理审核后若干天内"
    EXPIRY = "expiry", "证件有效期内"
    NEVER = "never", "不可复用"


class LegalBasisKind(models.TextChoices):
    SETTING = "setting", "设定依据"
    IMPLEMENTING = "implementing", "实施依据"


class StepUnitLevel(models.TextChoices):
    COMMUNITY = "community", "社区/村"
    SUBDISTRICT = "subdistrict", "街道/乡镇"
    DISTRICT = "district", "区"
    DEPARTMENT = "department", "部门"
    # The grid of the applicant's address (sanyi.grid): doorstep steps such as 入户调查.
    GRID = "grid", "申请人所在网格"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "待审核"
    PUBLISHED = "published", "已发布"
    SUPERSEDED = "superseded", "已被新版本替代"
    CANCELLED = "cancelled", "已取消"


# A draft and a version in review are the one working copy of a code; at most one exists.
WORKING_STATUSES = frozenset({VersionStatus.DRAFT, VersionStatus.IN_REVIEW})
FINAL_STATUSES = frozenset(
    {VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED, VersionStatus.CANCELLED}
)


class CodeKind(models.TextChoices):
    BASE = "base", "基本编码"
    IMPLEMENTATION = "implementation", "实施编码"
    VARIANT = "variant", "业务办理项编码"


class LifeEventAudience(models.TextChoices):
    PERSON = "person", "个人"
    BUSINESS = "business", "企业"
