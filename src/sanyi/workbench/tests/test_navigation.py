import pytest

from sanyi.core import registry
from sanyi.core.registry import NavEntry, register_tile
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as f
from sanyi.workbench.navigation import visible_tiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def nav(monkeypatch):
    entries = [
        NavEntry("账号安全", "workbench:account_security", order=900),
        NavEntry("事项管理", "workbench:home", roles={Role.CATALOG_ADMIN}, order=10),
        NavEntry("尚未上线", "catalog:does_not_exist", order=20),
    ]
    monkeypatch.setattr(registry, "NAV", entries)
    return entries


def test_tiles_need_a_held_role_and_a_resolving_url(nav):
    clerk = f.staff(f.district(), Role.WINDOW_CLERK)

    labels = [t.label for t in visible_tiles(user=clerk, held_roles={Role.WINDOW_CLERK})]

    assert labels == ["账号安全"]


def test_role_holders_see_their_tiles_in_order(nav):
    admin = f.staff(f.district(), Role.CATALOG_ADMIN)

    tiles = visible_tiles(user=admin, held_roles={Role.CATALOG_ADMIN})

    assert [t.label for t in tiles] == ["事项管理", "账号安全"]
    assert tiles[0].url == "/workbench/"


def test_superusers_see_every_tile_whose_page_exists(nav):
    boss = f.staff(f.district(), Role.WINDOW_CLERK)
    boss.is_superuser = True

    assert [t.label for t in visible_tiles(user=boss, held_roles=set())] == ["事项管理", "账号安全"]


def test_registering_a_url_name_again_replaces_the_entry(nav):
    register_tile(NavEntry("事项目录", "workbench:home", roles={Role.CATALOG_ADMIN}, order=10))

    assert [e.label for e in registry.NAV].count("事项目录") == 1
    assert "事项管理" not in [e.label for e in registry.NAV]


def test_apps_register_their_tiles_and_the_workbench_its_own():
    url_names = {entry.url_name for entry in registry.tiles()}

    assert {"workbench:account_security", "workbench:catalog_items", "workbench:orgs_tree"} <= (
        url_names
    )
