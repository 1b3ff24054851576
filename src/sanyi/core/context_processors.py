from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.SANYI_SITE_NAME, "DEMO_MODE": settings.SANYI_DEMO}
