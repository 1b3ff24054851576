"""The fuzzing database: demo data plus one staff account holding every role (except
system admin, whose API use needs a second factor) at the district, with a token.

``python -m sanyi.api.fuzz.fixture [--parts orgs,catalog,…]`` loads the named demo parts
(all of them without ``--parts``) and prints the token. The bounded CI run leaves out the
slow parts (cases, disclosure requests take minutes to build); the long run loads all.
"""

from __future__ import annotations

import argparse
import random

FUZZ_ACTOR = "系统：接口模糊测试"


def load_demo(names: list[str] | None) -> None:
    from django.db import transaction

    from sanyi.core.demo import parts

    rng = random.Random(2026)
    for part in parts():
        if (names is not None and part.name not in names) or part.loaded():
            continue
        if part.atomic:
            with transaction.atomic():
                part.run(actor=FUZZ_ACTOR, rng=rng)
        else:
            part.run(actor=FUZZ_ACTOR, rng=rng)


def fuzz_staff_token() -> str:
    from sanyi.api.services import api_token_issue
    from sanyi.orgs import services as org_services
    from sanyi.orgs.models import OrgUnit, Role, User

    user = User.objects.filter(username="fuzz.staff").first()
    if user is None:
        user = org_services.staff_create(
            actor=FUZZ_ACTOR,
            username="fuzz.staff",
            password=None,  # token only: the account cannot sign in with a password
            full_name="模糊测试",
        )
        root = OrgUnit.objects.filter(parent__isnull=True, is_active=True).order_by("pk").first()
        for role in Role.values:
            if role != Role.SYSTEM_ADMIN:
                org_services.role_assign(actor=FUZZ_ACTOR, user=user, org_unit=root, role=role)
    return api_token_issue(user=user).key


def main() -> None:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", help="comma-separated demo parts to load (default: all)")
    args = parser.parse_args()
    django.setup()
    load_demo(args.parts.split(",") if args.parts else None)
    print(fuzz_staff_token())


if __name__ == "__main__":
    main()
