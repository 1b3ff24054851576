from pathlib import Path

from django.conf import settings

from sanyi.search import text


def test_the_tokenizer_is_loaded_once_and_caches_its_dictionary_in_the_data_folder():
    first = text.tokenizer()

    assert text.tokenizer() is first
    assert Path(first.tmp_dir) == Path(settings.DATA_DIR) / "cache"
    assert (Path(first.tmp_dir) / first.cache_file).is_file()


def test_normalize_folds_full_width_letters_case_and_spaces():
    assert text.normalize("  ＨＫＱＹ　户口  迁移 ") == "hkqy 户口 迁移"


def test_an_item_name_gives_its_parts_and_its_subject_without_the_action_word():
    assert text.title_parts("户口迁移（市内）登记") == [
        "户口迁移(市内)登记",
        "户口迁移",
        "市内",
        "登记",
    ]
    assert text.title_parts("残疾人证办理") == ["残疾人证办理", "残疾人证"]


def test_index_words_include_the_ordinary_words_inside_a_domain_word():
    text.add_words(["城乡居民基本养老保险参保登记"])

    words = text.index_words("城乡居民基本养老保险参保登记")

    assert words[0] == "城乡居民基本养老保险参保登记"
    assert {"城乡居民", "养老保险", "参保", "登记", "养老", "保险"} <= set(words)


def test_fine_words_ignore_the_domain_words_this_process_added():
    text.add_words(["最低生活保障"])

    assert text.fine_words("最低生活保障") == ["最低", "生活", "保障"]


def test_function_words_are_not_indexed_and_fillers_are_dropped_from_queries():
    text.add_words(["生孩子"])

    assert "的" not in text.index_words("老年人的高龄津贴")
    assert text.query_words("生孩子怎么办理？在哪里办") == ["生孩子"]


def test_word_pinyin_gives_full_spelling_and_initials():
    assert text.word_pinyin("户口") == ("hukou", "hk")
    assert text.word_pinyin("重庆") == ("chongqing", "cq")  # phrase-aware polyphone


def test_title_pinyin_covers_every_run_of_words():
    tokens = text.title_pinyin("户口迁移登记")

    for token in ("hukou", "hk", "hukouqianyi", "hkqy", "qianyidengji", "hkqydj"):
        assert token in tokens


def test_is_pinyin_accepts_latin_letters_spaces_and_apostrophes_only():
    assert text.is_pinyin("hkqy")
    assert text.is_pinyin("Hukou Qianyi")
    assert text.is_pinyin("xi'an")
    assert not text.is_pinyin("户口")
    assert not text.is_pinyin("hukou户口")
    assert not text.is_pinyin("12345")
    assert not text.is_pinyin("   ")
    assert text.pinyin_tokens("Hukou  Qian") == ["hukou", "qian"]


def test_index_tokens_put_title_pinyin_in_the_title_column_and_everything_in_the_other():
    title_tokens, tokens = text.index_tokens("户口迁移", "需要居民户口簿")

    assert "hkqy" in title_tokens.split()
    assert "户口簿" not in title_tokens.split()
    assert {"hkqy", "户口簿"} <= set(tokens.split())


def test_pinyin_matches_give_the_shortest_title_part_each_token_covers():
    assert text.pinyin_matches("户口迁移登记", ["hkqy"]) == ["户口迁移"]
    assert text.pinyin_matches("户口迁移登记", ["hukouq"]) == ["户口迁移"]
    assert text.pinyin_matches("户口迁移登记", ["dengji", "hk"]) == ["登记", "户口"]
    assert text.pinyin_matches("户口迁移登记", ["xyz"]) == []
