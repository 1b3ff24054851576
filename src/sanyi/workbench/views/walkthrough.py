from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from sanyi.orgs.services import staff_walkthrough_dismiss


@require_POST
def walkthrough_dismiss(request):
    """Close the first-visit walkthrough for good (remembered on the account)."""
    staff_walkthrough_dismiss(actor=request.user, user=request.user)
    messages.success(request, "已关闭使用引导。每个页面顶部的“本页说明”随时可以展开查看。")
    return redirect("workbench:home")
