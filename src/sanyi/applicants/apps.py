from django.apps import AppConfig


class ApplicantsConfig(AppConfig):
    name = "sanyi.applicants"
    label = "applicants"
    verbose_name = "申请人"
