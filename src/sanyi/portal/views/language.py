"""Choosing the page language (the footer's 语言 buttons)."""

from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language as django_set_language

# Switching the language of one's own browser changes nothing else and reveals nothing: a
# forged cross-site post could only switch a visitor's page language (the next address is
# checked as before). Without a token the footer's form holds nothing per visitor, so a
# public page can be cached whole and shared (docs/performance.md, "Public pages").
set_language = csrf_exempt(django_set_language)
