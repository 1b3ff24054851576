"""Guide lint: rules that keep guides plain, complete and free of catch-all clauses.

Each rule is a small class with a code (L001 …), a severity, a short Chinese title and a
``check`` that yields findings pointing at a field path (``materials[2].name``). Errors
block submitting and publishing; warnings are shown while editing. Rules read the guide
dict of ``catalog.guide`` and never the database, so they run on an import before anything
is written. ``SANYI_CATALOG_LINT`` (a dict setting) tunes them: ``max_sentence_length``,
``known_abbreviations``, ``severity`` (code → "error"/"warning"), ``disabled`` (codes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import models

from sanyi.catalog.centre_check import CentreFacts, centre_contradictions
from sanyi.catalog.choices import (
    FULL_ONLINE,
    TYPES_NEEDING_STATUTORY_LIMIT,
    Channel,
    LimitUnit,
    MaterialReuse,
    MaterialSource,
)
from sanyi.catalog.eligibility import failing_tests, logic_problems, unknown_fields
from sanyi.catalog.readability import THRESHOLD as READABILITY_THRESHOLD
from sanyi.catalog.readability import guide_readability
from sanyi.core.links import link_problem


class Severity(models.TextChoices):
    ERROR = "error", "错误"
    WARNING = "warning", "提醒"


@dataclass(frozen=True)
class LintFinding:
    code: str
    severity: str
    message: str
    path: str  # "" when the finding is about the guide as a whole

    @property
    def title(self) -> str:
        """The rule's name ("受理条件为空"), shown beside its code."""
        rule = RULES_BY_CODE.get(self.code)
        return rule.title if rule else ""

    @property
    def label(self) -> str:
        """Code and name: "L013 受理条件为空"."""
        return f"{self.code} {self.title}".strip()

    def as_dict(self) -> dict[str, str]:
        return {**asdict(self), "title": self.title}


DEFAULT_LINT_SETTINGS: dict[str, Any] = {
    "max_sentence_length": 80,
    # Latin abbreviations a resident reads without explanation.
    "known_abbreviations": ["PDF", "APP", "USB", "QQ", "WIFI", "JPG", "PNG", "OFD", "EMS"],
    "severity": {},
    "disabled": [],
}


def lint_settings() -> dict[str, Any]:
    return {**DEFAULT_LINT_SETTINGS, **getattr(settings, "SANYI_CATALOG_LINT", {})}


@dataclass
class LintContext:
    item_type: str
    options: dict[str, Any]
    # The service centres of the implementing unit, when the caller knows them (L021).
    centres: tuple[CentreFacts, ...] = ()


class Rule:
    code: str = ""
    severity: str = Severity.ERROR
    title: str = ""

    def check(self, guide: dict, ctx: LintContext) -> Iterator[tuple[str, str]]:
        """Yield (path, message) for each problem."""
        raise NotImplementedError


# --- texts the wording rules read -------------------------------------------------------


def prose_fields(guide: dict) -> Iterator[tuple[str, str]]:
    """Every free-text field a resident reads, with its path."""
    for key in ("acceptance_conditions", "special_procedures"):
        yield key, guide.get(key) or ""
    for i, row in enumerate(guide.get("materials") or []):
        for name in ("name", "specification", "acceptance_standard", "notes"):
            yield f"materials[{i}].{name}", row.get(name) or ""
    for i, row in enumerate(guide.get("steps") or []):
        yield f"steps[{i}].description", row.get("description") or ""


# Catch-all clauses (兜底条款): whatever else some body might want.
CATCH_ALL = re.compile(
    r"其[他它](?:相关|有关)?的?(?:材料|资料|证明|证件|文件)"
    r"|(?:有关|相关|主管)?部门(?:规定|要求)的其[他它]"
    r"|法律[、，]?(?:行政)?法规(?:和规章)?规定的其[他它]"
    r"|规定的其[他它](?:材料|资料|条件|情形)"
    r"|其[他它](?:需要|应当|应|需|必须)(?:提供|提交|补充|出具)的"
)
# "相关材料" with nothing naming what it relates to.
UNNAMED_RELATED = re.compile(
    r"(?:^|[，,。；;、：:\s（(]|提供|提交|出具|补充|及|和|与|或)"
    r"(?:相关|有关)的?(?:证明)?(?:材料|资料|证件|文件|证明)"
)
# Characters that make "等" part of a word rather than an "and so on".
DENG_WORD_BEFORE = set("平同相对均何此彼超特头上中下高初优劣次一二三四五六七八九十甲乙丙丁")
DENG_WORD_AFTER = set("级待候于同额量效距值腰闲到比分号第次价")
# What may follow a trailing "等" that closes a list.
DENG_TAIL = re.compile(
    r"^(?:$|[，,。；;、：:）)\s]|等|材料|资料|证明|证件|证书|文件|相关|有关|其[他它]|情形|情况"
    r"|部门|机构|单位|内容|方式|事项|手续|信息)"
)


def trailing_deng(text: str) -> Iterator[int]:
    """Positions of "等" used as a trailing catch-all ("身份证等"), not inside a word."""
    for match in re.finditer("等", text):
        i = match.start()
        if i == 0:
            continue
        before, after = text[i - 1], text[i + 1 : i + 2]
        if before in DENG_WORD_BEFORE or before.isdigit() or (after and after in DENG_WORD_AFTER):
            continue
        if i >= 1 and text[i - 1] == "等":
            continue  # the first of "等等" was reported already
        if DENG_TAIL.match(text[i + 1 :]):
            yield i


def _excerpt(text: str, start: int, end: int) -> str:
    return text[max(0, start - 8) : end + 4]


class CatchAllClause(Rule):
    code, severity, title = "L001", Severity.ERROR, "兜底条款"

    def check(self, guide, ctx):
        for path, text in prose_fields(guide):
            for m in CATCH_ALL.finditer(text):
                yield (
                    path,
                    (
                        f"“{_excerpt(text, m.start(), m.end())}”是兜底条款，"
                        "请逐项列明需要的材料或条件"
                    ),
                )


class VagueDeng(Rule):
    code, severity, title = "L002", Severity.ERROR, "“等”字模糊列举"

    def check(self, guide, ctx):
        for path, text in prose_fields(guide):
            for i in trailing_deng(text):
                yield (
                    path,
                    (f"“{_excerpt(text, i, i + 1)}”用“等”结尾，办事人不知道还要什么，请列全"),
                )


class UnnamedRelatedMaterial(Rule):
    code, severity, title = "L003", Severity.ERROR, "未写明名称的“相关材料”"

    def check(self, guide, ctx):
        for path, text in prose_fields(guide):
            for m in UNNAMED_RELATED.finditer(text):
                yield (
                    path,
                    (
                        f"“{_excerpt(text, m.start(), m.end()).strip()}”没有写明是什么材料，"
                        "请写出材料名称"
                    ),
                )


class ProofWithoutBasis(Rule):
    code, severity, title = "L004", Severity.ERROR, "证明材料无设定依据"

    def check(self, guide, ctx):
        for i, row in enumerate(guide.get("materials") or []):
            name = row.get("name") or ""
            if "证明" not in name.replace("身份证明", ""):
                continue
            if row.get("source") == MaterialSource.SHARED_DATA:
                continue
            if not (row.get("legal_basis") or "").strip():
                yield (
                    f"materials[{i}].legal_basis",
                    (f"证明材料“{name}”没有写明要求提供的依据；没有法律法规依据的证明一律取消"),
                )


class OtherAgencyNotShared(Rule):
    code, severity, title = "L005", Severity.WARNING, "其他部门出具的材料未共享获取"

    def check(self, guide, ctx):
        for i, row in enumerate(guide.get("materials") or []):
            if row.get("source") == MaterialSource.OTHER_AGENCY:
                yield (
                    f"materials[{i}].source",
                    (
                        f"“{row.get('name')}”由其他部门出具，能通过数据共享获取的应标为“共享获取”，"
                        "不再让办事人提交"
                    ),
                )


DAYS_PER_UNIT = {LimitUnit.NATURAL_DAY: 1, LimitUnit.MONTH: 30}


def _comparable(promised: dict, statutory: dict) -> tuple[int, int] | None:
    if promised.get("value") is None or statutory.get("value") is None:
        return None
    if promised["unit"] == statutory["unit"]:
        return promised["value"], statutory["value"]
    if promised["unit"] in DAYS_PER_UNIT and statutory["unit"] in DAYS_PER_UNIT:
        return (
            promised["value"] * DAYS_PER_UNIT[promised["unit"]],
            statutory["value"] * DAYS_PER_UNIT[statutory["unit"]],
        )
    return None  # working days against calendar time: no safe comparison


class PromisedLongerThanStatutory(Rule):
    code, severity, title = "L006", Severity.ERROR, "承诺时限长于法定时限"

    def check(self, guide, ctx):
        pair = _comparable(guide.get("promised_limit") or {}, guide.get("statutory_limit") or {})
        if pair and pair[0] > pair[1]:
            yield "promised_limit.value", "承诺办结时限不能长于法定办结时限"


class MissingStatutoryLimit(Rule):
    code, severity, title = "L007", Severity.ERROR, "缺少法定办结时限"

    def check(self, guide, ctx):
        limit = guide.get("statutory_limit") or {}
        if ctx.item_type in TYPES_NEEDING_STATUTORY_LIMIT and limit.get("value") is None:
            yield "statutory_limit", "此类事项的法律法规规定了办结时限，请填写法定办结时限"


class FeeWithoutBasis(Rule):
    code, severity, title = "L008", Severity.ERROR, "收费无依据"

    def check(self, guide, ctx):
        for i, row in enumerate(guide.get("fees") or []):
            if not (row.get("basis") or "").strip():
                yield f"fees[{i}].basis", f"收费项目“{row.get('name')}”没有写明收费依据"


class FeeWithoutOnlinePayment(Rule):
    code, severity, title = "L009", Severity.ERROR, "网办收费无网上支付"

    def check(self, guide, ctx):
        online = Channel.ONLINE in (guide.get("channels") or [])
        if guide.get("fees") and online and not guide.get("online_payment"):
            yield "online_payment", "网上可办又要收费的事项，应提供网上支付"


class FullOnlineWithVisits(Rule):
    code, severity, title = "L010", Severity.ERROR, "全程网办仍需到现场"

    def check(self, guide, ctx):
        if set(guide.get("online_depth") or []) >= FULL_ONLINE and (guide.get("visits") or 0) > 0:
            yield "visits", "网办深度为全程网办，到办事现场次数应为0次"


class ZeroVisitsWithoutRoute(Rule):
    code, severity, title = "L011", Severity.ERROR, "零跑动但无网办或邮寄"

    def check(self, guide, ctx):
        channels = set(guide.get("channels") or [])
        if guide.get("visits") == 0 and not channels & {Channel.ONLINE, Channel.POST}:
            yield "channels", "到办事现场0次的事项，须能网上办理或邮寄申请"


def _phone_digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


class PhoneChannels(Rule):
    code, severity, title = "L012", Severity.ERROR, "咨询电话与投诉电话"

    def check(self, guide, ctx):
        consult, complain = guide.get("consultation_phone"), guide.get("complaint_phone")
        if not (consult or "").strip():
            yield "consultation_phone", "请填写咨询电话"
        if not (complain or "").strip():
            yield "complaint_phone", "请填写监督投诉电话"
        if consult and complain and _phone_digits(consult) == _phone_digits(complain):
            yield "complaint_phone", "监督投诉电话不能与咨询电话相同"


class EmptyAcceptanceConditions(Rule):
    code, severity, title = "L013", Severity.ERROR, "受理条件为空"

    def check(self, guide, ctx):
        if not (guide.get("acceptance_conditions") or "").strip():
            yield "acceptance_conditions", "请写明受理条件：谁可以申请、什么情况下可以申请"


def material_key(name: str) -> str:
    """Material names compared without spaces, brackets and punctuation."""
    return re.sub(r"[\s（）()《》“”\"'，,。.、：:；;]", "", name or "")


class DuplicatedMaterial(Rule):
    code, severity, title = "L014", Severity.ERROR, "材料重复"

    def check(self, guide, ctx):
        seen: dict[str, int] = {}
        for i, row in enumerate(guide.get("materials") or []):
            key = material_key(row.get("name") or "")
            if key in seen:
                yield f"materials[{i}].name", (f"“{row.get('name')}”与第{seen[key] + 1}项材料重复")
            else:
                seen[key] = i


SENTENCE_END = re.compile(r"[。！？；!?;\n]")


class OverlongSentence(Rule):
    code, severity, title = "L015", Severity.WARNING, "句子过长"

    def check(self, guide, ctx):
        limit = ctx.options["max_sentence_length"]
        for path, text in prose_fields(guide):
            for sentence in SENTENCE_END.split(text):
                sentence = sentence.strip()
                if len(sentence) > limit:
                    yield (
                        path,
                        (
                            f"有一句话{len(sentence)}个字，超过{limit}个字，"
                            f"请拆成短句：“{sentence[:20]}…”"
                        ),
                    )


ABBREVIATION = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*(?![A-Za-z0-9])")


def _explained(abbr: str, texts: list[str]) -> bool:
    pattern = re.compile(
        rf"{abbr}\s*[（(][^）)]*[\u4e00-\u9fff][^）)]*[）)]|[\u4e00-\u9fff][^（(]{{0,30}}[（(]\s*{abbr}\s*[）)]"
    )
    return any(pattern.search(t) for t in texts)


class UndefinedAbbreviation(Rule):
    code, severity, title = "L016", Severity.WARNING, "未解释的英文缩写"

    def check(self, guide, ctx):
        known = {a.upper() for a in ctx.options["known_abbreviations"]}
        fields = list(prose_fields(guide))
        texts = [t for _, t in fields]
        reported: set[str] = set()
        for path, text in fields:
            for m in ABBREVIATION.finditer(text):
                abbr = m.group(0)
                if abbr in known or abbr in reported or _explained(abbr, texts):
                    continue
                reported.add(abbr)
                yield path, f"“{abbr}”是英文缩写，请在第一次出现时用中文说明，如“{abbr}（…）”"


class UnsafeLink(Rule):
    """Links saved before services refused them (or written straight into the database)."""

    code, severity, title = "L017", Severity.ERROR, "不安全的链接"

    def check(self, guide, ctx):
        links = [("online_url", "网办地址", guide.get("online_url") or "")]
        links += [
            (f"legal_bases[{i}].url", "设定依据链接", row.get("url") or "")
            for i, row in enumerate(guide.get("legal_bases") or [])
        ]
        for path, label, value in links:
            problem = link_problem(value)
            if problem:
                yield path, f"{label}“{value[:80]}”{problem}"


class InvalidEligibilityRule(Rule):
    """A rule the evaluators cannot run, or one reading a field nobody provides."""

    code, severity, title = "L018", Severity.ERROR, "受理条件规则无效"

    def check(self, guide, ctx):
        for i, rule in enumerate(guide.get("eligibility_rules") or []):
            path, name = f"eligibility_rules[{i}].logic", rule.get("name") or f"第{i + 1}条"
            for problem in logic_problems(rule.get("logic")):
                yield path, f"规则“{name}”：{problem}"
            for field in unknown_fields(rule.get("logic")):
                yield path, f"规则“{name}”用到未知字段“{field}”（可用字段见受理条件规则字段表）"


class EligibilityRuleTests(Rule):
    """Every rule carries test cases, and every case gives its expected answer."""

    code, severity, title = "L019", Severity.ERROR, "受理条件规则测试不通过"

    def check(self, guide, ctx):
        for i, rule in enumerate(guide.get("eligibility_rules") or []):
            name = rule.get("name") or f"第{i + 1}条"
            if not rule.get("tests"):
                yield f"eligibility_rules[{i}].tests", f"规则“{name}”没有测试用例，请至少写一个"
            for index, problem in failing_tests(rule):
                yield (
                    f"eligibility_rules[{i}].tests[{index}]",
                    f"规则“{name}”第{index + 1}个{problem}",
                )


class CentreContradiction(Rule):
    code, severity, title = "L021", Severity.WARNING, "与服务中心的地点、时间或电话不一致"

    def check(self, guide, ctx):
        yield from centre_contradictions(guide, ctx.centres)


class HardToRead(Rule):
    code, severity, title = "L022", Severity.WARNING, "不够通俗易懂"

    def check(self, guide, ctx):
        result = guide_readability(guide)
        if not result.passes:
            yield (
                "",
                f"可读性{result.score}分，低于{READABILITY_THRESHOLD}分："
                + "；".join(result.causes()),
            )


RECENT_MONTHS = re.compile(r"近([0-9]+|[一二两三四五六七八九十]+)个?月")
CHINESE_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
CHINESE_NUMBERS |= {"七": 7, "八": 8, "九": 9, "十": 10, "十二": 12, "十一": 11}


def _months(text: str) -> int | None:
    return int(text) if text.isdigit() else CHINESE_NUMBERS.get(text)


class ReuseValidity(Rule):
    """A material's reuse validity that cannot be right: a shared-data material (never
    asked for) with a validity, or a material named for a recent period (近三个月银行流水)
    reusable for longer than that period."""

    code, severity, title = "L023", Severity.WARNING, "材料复用期限不当"

    def check(self, guide, ctx):
        default = int(getattr(settings, "SANYI_MATERIAL_REUSE_DAYS", 365))
        for i, row in enumerate(guide.get("materials") or []):
            rule, path = row.get("reuse") or "", f"materials[{i}].reuse"
            if row.get("source") == MaterialSource.SHARED_DATA and rule:
                yield path, f"“{row.get('name')}”由数据共享获取，申请人不用提交，不用设复用期限"
                continue
            found = RECENT_MONTHS.search(row.get("name") or "")
            months = _months(found.group(1)) if found else None
            if not months or rule == MaterialReuse.NEVER:
                continue
            days = row.get("reuse_days") if rule == MaterialReuse.DAYS else None
            days = default if not rule else days
            if rule == MaterialReuse.EXPIRY or (days or 0) > months * 31:
                yield (
                    path,
                    f"“{row.get('name')}”只认近{found.group(1)}个月的，"
                    f"复用期限请设为不超过{months * 30}天",
                )


class MaterialWithoutReviewPoints(Rule):
    """The staff handbook: a window officer new to the item needs to know what to check."""

    code, severity, title = "L024", Severity.WARNING, "材料缺少审查要点"

    def check(self, guide, ctx):
        for i, row in enumerate(guide.get("materials") or []):
            if not (row.get("review_points") or "").strip():
                yield (
                    f"materials[{i}].review_points",
                    f"材料“{row.get('name')}”没有审查要点（业务手册）：写明收件时核对什么",
                )


RULES: tuple[Rule, ...] = (
    CatchAllClause(),
    VagueDeng(),
    UnnamedRelatedMaterial(),
    ProofWithoutBasis(),
    OtherAgencyNotShared(),
    PromisedLongerThanStatutory(),
    MissingStatutoryLimit(),
    FeeWithoutBasis(),
    FeeWithoutOnlinePayment(),
    FullOnlineWithVisits(),
    ZeroVisitsWithoutRoute(),
    PhoneChannels(),
    EmptyAcceptanceConditions(),
    DuplicatedMaterial(),
    OverlongSentence(),
    UndefinedAbbreviation(),
    UnsafeLink(),
    InvalidEligibilityRule(),
    EligibilityRuleTests(),
    CentreContradiction(),
    HardToRead(),
    ReuseValidity(),
    MaterialWithoutReviewPoints(),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}


def rule_severity(rule: Rule, options: dict[str, Any]) -> str:
    return options["severity"].get(rule.code, rule.severity)


def lint_guide(
    guide: dict, *, item_type: str, centres: tuple[CentreFacts, ...] = ()
) -> list[LintFinding]:
    """Every finding of every enabled rule on one guide, errors first. ``centres``: the
    implementing unit's service centres, for the rules that compare with them."""
    options = lint_settings()
    ctx = LintContext(item_type=item_type, options=options, centres=centres)
    findings = []
    for rule in RULES:
        if rule.code in options["disabled"]:
            continue
        severity = rule_severity(rule, options)
        findings.extend(
            LintFinding(rule.code, severity, message, path)
            for path, message in rule.check(guide, ctx)
        )
    return sorted(findings, key=lambda f: (f.severity != Severity.ERROR, f.code))


def has_errors(findings: Iterable[LintFinding]) -> bool:
    return any(f.severity == Severity.ERROR for f in findings)
