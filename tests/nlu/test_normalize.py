from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mangaassist.nlu.normalize import INVISIBLE, fold_kana, match_key, normalize


def test_full_width_and_case_fold() -> None:
    assert normalize("ＯＮＥ　ＰＩＥＣＥ　１０５") == "one piece 105"


def test_half_width_katakana_become_full_width() -> None:
    assert normalize("ﾜﾝﾋﾟｰｽ") == "ワンピース"


def test_invisible_and_bidi_characters_are_removed() -> None:
    assert normalize("re\u200bfund\u202e me\ufeff") == "refund me"
    assert all(normalize(f"a{c}b") == "ab" for c in INVISIBLE)


def test_whitespace_is_collapsed_and_trimmed() -> None:
    assert normalize("  where\t is \n my   order ") == "where is my order"


def test_katakana_fold_to_hiragana_only_in_match_key() -> None:
    assert normalize("マンガ") == "マンガ"
    assert match_key("マンガ") == match_key("まんが") == "まんが"
    assert fold_kana("ヴァ") == "ゔぁ"


def test_match_key_strips_latin_accents_but_keeps_dakuten() -> None:
    assert match_key("Sōsō no Furīren") == "soso no furiren"
    assert match_key("ガンダム") == "がんだむ"


_ALPHABET = st.characters(
    codec="utf-8", categories=("L", "N", "P", "Zs", "Cf", "Sm"), exclude_characters="\x00"
)


@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_match_key_keeps_length_of_normalized_text(text: str) -> None:
    assert len(match_key(text)) == len(normalize(text))
