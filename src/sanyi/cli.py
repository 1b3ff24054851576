"""The ``sanyi`` console command: Django's management commands under one name.

``sanyi migrate``, ``sanyi calendar add-workdays 2026-09-21 20``, ``sanyi audit verify`` …
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanyi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sanyi", *(sys.argv[1:] if argv is None else argv)])
