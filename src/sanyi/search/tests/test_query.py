from sanyi.search import text
from sanyi.search.query import All, Any, Term, build_plan, to_fts5, to_tsquery


def test_every_word_must_match_each_by_itself_or_by_the_words_it_is_made_of():
    text.add_words(["户口迁移"])

    plan = build_plan("户口迁移 证明", {})

    assert plan.node == All(
        (Any((Term("户口迁移"), All((Term("户口"), Term("迁移"))))), Term("证明"))
    )


def test_a_synonym_adds_each_expansion_as_an_alternative():
    text.add_words(["最低生活保障"])
    synonyms = {"低保": ("最低生活保障",)}

    plan = build_plan("低保", synonyms)

    assert plan.node == Any(
        (Term("低保"), Term("最低生活保障"), All((Term("最低"), Term("生活"), Term("保障"))))
    )
    assert "最低" in plan.highlight_terms


def test_a_synonym_term_jieba_cuts_in_two_still_expands_as_a_whole():
    synonyms = {"门牌号码": ("门楼牌",)}  # never added to jieba in this test

    plan = build_plan("门牌号码", synonyms)

    assert isinstance(plan.node, Any)
    assert Term("门楼牌") in plan.node.children or any(
        isinstance(c, All) and Term("门楼") in c.children for c in plan.node.children
    )


def test_a_pinyin_query_matches_each_syllable_group_as_a_prefix():
    plan = build_plan("Hukou qian", {})

    assert plan.node == All((Term("hukou", prefix=True), Term("qian", prefix=True)))
    assert plan.highlight_terms == ()


def test_only_fillers_and_punctuation_give_no_expression():
    assert build_plan("怎么办理？？", {}).node is None


def test_fts5_syntax_quotes_terms_and_marks_prefixes():
    node = All((Any((Term("户口"), Term('a"b'))), Term("hk", prefix=True)))

    assert to_fts5(node) == '(("户口" OR "a""b") AND "hk" *)'


def test_tsquery_syntax_quotes_terms_and_marks_prefixes():
    node = All((Any((Term("户口"), Term("a'b"))), Term("hk", prefix=True)))

    assert to_tsquery(node) == "(('户口' | 'a''b') & 'hk':*)"
