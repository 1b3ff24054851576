import json
from collections import Counter

from sanyi.catalog.demo import build_items
from sanyi.catalog.demo.build_items import ITEMS_PATH, build_document, render


def _published(document):
    return [i for i in document["items"] if i.get("status", "published") == "published"]


def test_committed_items_json_is_what_the_script_builds():
    # given the committed product data
    committed = ITEMS_PATH.read_text(encoding="utf-8")

    # then it equals a fresh build, so nobody edited the JSON by hand
    assert committed == render(build_document())
    assert build_items.main(["--check"]) == 0


def test_check_mode_reports_a_stale_file(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "items.json"
    stale.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(build_items, "ITEMS_PATH", stale)

    assert build_items.main(["--check"]) == 1
    assert "不一致" in capsys.readouterr().err
    assert stale.read_text(encoding="utf-8") == "{}\n"


def test_build_is_deterministic():
    assert render(build_document()) == render(build_document())


def test_catalogue_has_at_least_80_items_and_40_local_public_services():
    document = build_document()
    local_public = [
        i for i in _published(document) if i["item_type"] == "20" and i["level"] in {"5", "6"}
    ]

    assert len(document["items"]) >= 80
    assert len(local_public) >= 40
    assert {i["implementing_unit"] for i in local_public} == set(build_items.SUBDISTRICTS) | set(
        build_items.COMMUNITIES
    )


def test_catalogue_covers_most_item_types_at_district_level():
    district_types = {i["item_type"] for i in _published(build_document()) if i["level"] == "4"}

    assert district_types >= {"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20"}


def test_issue_named_delegated_services_exist_below_the_district():
    local_names = {i["name"] for i in _published(build_document()) if i["level"] in {"5", "6"}}

    assert local_names >= {
        "生育登记",
        "城乡居民基本养老保险参保登记",
        "最低生活保障申请",
        "残疾人证申领",
        "就业创业证申领",
        "城乡居民基本医疗保险参保登记",
        "高龄津贴申请",
    }


def test_delegated_items_name_their_district_department():
    for item in _published(build_document()):
        if item["power_source"] == "2":
            assert item["delegated_from"] in build_items.DEPARTMENTS, item["name"]
            assert item["level"] in {"5", "6"}, item["name"]


def test_one_base_item_keeps_one_type_and_delegating_department_across_units():
    seen: dict[str, set] = {}
    for item in build_document()["items"]:
        seen.setdefault(item["name"], set()).add((item["item_type"], item.get("delegated_from")))

    assert {name: kinds for name, kinds in seen.items() if len(kinds) > 1} == {}


def test_sub_items_and_handling_variants_are_present():
    document = build_document()
    subs = Counter(i["main_item"] for i in document["items"] if i.get("main_item"))
    variant_names = {v["name"] for i in document["items"] for v in i["handling_variants"]}

    assert len(subs) >= 3 and all(n >= 2 for n in subs.values())
    assert {"首次申领", "换领", "补领"} <= variant_names


def test_community_items_route_community_then_subdistrict_then_department():
    for item in _published(build_document()):
        if item["level"] != "6" or item["handling_type"] == "1" or item["name"] == "人民调解申请":
            continue  # instant items end at the community; mediation is the community's own
        levels = [s["unit_level"] for s in item["steps"]]
        assert levels[0] == "community", item["name"]
        assert levels.index("subdistrict") < levels.index("department"), item["name"]
        assert item["steps"][0]["role"] == "window_clerk"


def test_at_least_five_life_events_each_with_several_items():
    document = build_document()
    names = {i["name"] for i in document["items"]}

    assert len(document["life_events"]) >= 5
    for event in document["life_events"]:
        assert len(event["items"]) >= 2
        assert set(event["items"]) <= names


def test_about_six_drafts_each_registered_with_its_planted_problems():
    drafts = [i["name"] for i in build_document()["items"] if i.get("status") == "draft"]

    assert 5 <= len(drafts) <= 8
    assert sorted(drafts) == sorted(build_items.DRAFT_PROBLEMS)


def test_consultation_phones_are_fictional_0000_numbers_and_differ_from_complaints():
    for item in _published(build_document()):
        assert item["consultation_phone"].startswith("0000-8"), item["name"]
        assert item["consultation_phone"] != item["complaint_phone"]


def test_json_is_utf8_with_readable_chinese():
    text = ITEMS_PATH.read_text(encoding="utf-8")

    assert "\\u" not in text
    assert json.loads(text)["format"] == "sanyi-catalog"
