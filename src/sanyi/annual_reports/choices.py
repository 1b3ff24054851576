"""Code lists of the annual report."""

from django.db import models


class ReportScope(models.TextChoices):
    SUBTREE = "subtree", "汇总本单位及下级单位"
    UNIT_ONLY = "unit_only", "仅本单位"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已发布"
    SUPERSEDED = "superseded", "已被修订版替代"


class Figure(models.TextChoices):
    """Section 二 figures that come from case data (or are entered by hand)."""

    LICENSING = "licensing", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COMPULSORY = "compulsory", "行政强制"
    FEES = "fees", "行政事业性收费"


# Figures counted in decisions (件) and the one in money (万元).
COUNT_FIGURES = (Figure.LICENSING, Figure.PENALTY, Figure.COMPULSORY)
MONEY_FIGURES = (Figure.FEES,)
