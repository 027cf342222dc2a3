from __future__ import annotations

import pytest

from mangaassist.nlu.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("where is my order", "en"),
        ("one piece vol 3", "en"),
        ("ワンピースの最新刊はいくら？", "ja"),
        ("返品希望", "ja"),
        ("ｼﾞｬﾝﾌﾟ", "ja"),
        ("我想买这本书", "zh"),
        ("這本書多少錢", "zh"),
        ("안녕하세요 만화책 있어요?", "ko"),
        ("hola, quiero comprar un libro", "other"),
        ("je veux retourner mon livre", "other"),
        ("hello、元気？", "ja"),
        ("12345 !!!", "other"),
        ("", "other"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected
