from django.apps import AppConfig


class AnnualReportsConfig(AppConfig):
    name = "sanyi.annual_reports"
    label = "annual_reports"
    verbose_name = "政府信息公开年度报告"
