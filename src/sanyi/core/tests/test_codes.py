"""One-time SMS codes: only the salted hash is kept, and a code matches only its purpose."""

from sanyi.core.codes import code_hash, code_matches, new_code, new_salt


def test_a_code_matches_its_own_hash_only():
    code, salt = new_code(), new_salt()
    stored = code_hash("sanyi.test.a", salt, code)

    assert len(code) == 6 and code.isdigit()
    assert code not in stored
    assert code_matches("sanyi.test.a", salt, stored, code)
    assert code_matches("sanyi.test.a", salt, stored, f" {code} ")
    assert not code_matches("sanyi.test.b", salt, stored, code)
    assert not code_matches("sanyi.test.a", new_salt(), stored, code)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert not code_matches("sanyi.test.a", salt, stored, wrong)
    assert not code_matches("sanyi.test.a", salt, stored, None)
