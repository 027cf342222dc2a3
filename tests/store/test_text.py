from __future__ import annotations

import pytest

from mangaassist.store.local.text import compact, fold, token_matches


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("チェンソーマン", "ちぇんそーまん"),
        ("ＯＮＥ　ＰＩＥＣＥ", "one piece"),
        ("Haikyū!!", "haikyuu"),
        ("Sōsō no Furīren", "sousou no furiren"),
        ("Yotsuba&!", "yotsuba"),
    ],
)
def test_fold_makes_spellings_meet(left: str, right: str) -> None:
    assert fold(left) == fold(right)


def test_fold_keeps_dakuten() -> None:
    assert fold("ガ") != fold("カ")


def test_token_matches() -> None:
    words = frozenset(fold("Chainsaw Man Vol 13").split())
    joined = compact(fold("チェンソーマン 13"))
    assert token_matches("chain", words, joined)
    assert not token_matches("ch", words, joined)
    assert token_matches("13", words, joined)
    assert not token_matches("3", words, joined)
    assert token_matches(fold("ソーマン"), words, joined)
