"""The front door (首页), the resident's area chooser and the directory of centers."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from sanyi.core.pagecache import public_page
from sanyi.core.ratelimit import hit, too_many
from sanyi.orgs.areas import AREA_COOKIE, area_by_code, area_choices, remember_area
from sanyi.portal.forms import AreaForm
from sanyi.portal.selectors import front_door, home_directory, resident_area

# Choosing an area is cheap, but it is a public form: the same limit as other lookups.
AREA_LIMIT = "30/10"
# The popular services count what residents did in the last 90 days: a cached front door
# may show counts this old; notices and life events change with each publish at once.
HOME_CACHE_SECONDS = 300


@require_safe
@public_page(cookies=(AREA_COOKIE,), seconds=HOME_CACHE_SECONDS)
def home(request):
    area, source = resident_area(request)
    door = front_door(area=area, area_source=source)
    form = AreaForm(choices=door.choices, initial=_initial(area))
    return render(request, "portal/home.html", {"door": door, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def area(request):
    """Choose (POST), forget (POST with ``forget``) or, on GET, show the chooser alone."""
    current, source = resident_area(request)
    if request.method == "POST":
        if not hit(request, "portal_area", default=AREA_LIMIT):
            return too_many(request)
        if "forget" in request.POST:
            response = redirect(reverse("portal:home") + "#my-area")
            remember_area(response, None)
            messages.success(request, "已清除您选择的地区。")
            return response
        form = AreaForm(request.POST, choices=area_choices())
        chosen = area_by_code(form.chosen_code) if form.is_valid() else None
        if chosen is not None:
            response = redirect(reverse("portal:home") + "#my-area")
            remember_area(response, chosen)
            messages.success(request, f"已将您所在的地区设为{chosen.label}。")
            return response
        status = 400
    else:
        form = AreaForm(choices=area_choices(), initial=_initial(current))
        status = 200
    return render(
        request,
        "portal/area.html",
        {"form": form, "area": current, "area_source": source},
        status=status,
    )


@require_safe
@public_page()
def centers(request):
    return render(request, "portal/centers.html", {"directory": home_directory()})


def _initial(area) -> dict:
    if area is None:
        return {}
    return {
        "subdistrict": area.subdistrict.code,
        "community": area.community.code if area.community else "",
    }
