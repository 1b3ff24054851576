from django.apps import AppConfig


class DisclosureRequestsConfig(AppConfig):
    name = "sanyi.disclosure_requests"
    label = "disclosure_requests"
    verbose_name = "政府信息公开申请"
