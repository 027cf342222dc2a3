"""Reads a recommendation request: what the shopper likes and what they rule out.

Genres and tone tags come from the controlled vocabulary (with its English synonyms
and Japanese terms); works outside manga from a hand-written reference list;
constraints (age, finished, short, edition language, digital or print) from patterns
in English and Japanese. Titles are resolved by the NLU alias index and passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mangaassist.domain.store import AgeRating, Language, Medium
from mangaassist.nlu.normalize import match_key
from mangaassist.yamlio import load_yaml

AGE_ORDER: tuple[AgeRating, ...] = ("all", "teen", "older_teen", "mature")
_DARK_WORDS = re.compile(
    r"\b(?:dark|grim|gritty|brutal|bleak|scary|creepy|disturbing|gory|violent|twisted|"
    r"horror|terrifying|mature)\b|ダーク|怖い|こわい|グロ|残酷|鬱|ホラー|重い",
)
_AGE = re.compile(r"(\d{1,2})\s?(?:-|\s)?(?:year|yr)s?(?:-|\s)?old|(\d{1,2})\s?(?:歳|才)")
_KID = re.compile(
    r"\b(?:kids?|child|children|little one|toddler)\b|子供|子ども|こども|小学生|幼稚園"
)
_TEEN = re.compile(r"\b(?:teen|teenager|middle school)\b|中学生")
_OLDER_TEEN = re.compile(r"\bhigh school(?:er| student)\b|高校生")
_FINISHED = re.compile(r"\b(?:finished|completed?|ended|concluded|done)\b|完結|終わって")
_SHORT = re.compile(
    r"\b(?:short|quick read|few volumes|not too long|binge)\b|短め|短い|サクッと|すぐ読"
)
_MAX_VOLUMES = re.compile(
    r"(?:under|less than|fewer than|at most|max(?:imum)?|within|up to)\s?(\d{1,3})\s?vol|"
    r"(\d{1,3})\s?巻(?:以内|以下|まで|くらい)"
)
_JA_EDITION = re.compile(
    r"\bjapanese (?:edition|version|original)\b|\bin japanese\b|日本語版|原書|日本版"
)
_EN_EDITION = re.compile(r"\benglish (?:edition|version|translation)\b|\bin english\b|英語版|英訳")
_DIGITAL = re.compile(r"\b(?:digital|ebook|e-book|kindle|on my tablet)\b|電子|デジタル")
_PRINT = re.compile(r"\b(?:print|physical|paperback|hard ?copy)\b|紙の本|紙で")


@dataclass(frozen=True, slots=True)
class Reference:
    names: tuple[str, ...]
    genres: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Constraints:
    max_age: AgeRating | None = None
    finished_only: bool = False
    max_volumes: int | None = None
    language: Language | None = None
    medium: Medium | None = None
    dark: bool = False


@dataclass(frozen=True, slots=True)
class Request:
    seed_series: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    constraints: Constraints = field(default_factory=Constraints)

    @property
    def has_taste(self) -> bool:
        return bool(self.seed_series or self.authors or self.genres or self.tags)


def _age_for(years: int) -> AgeRating:
    return (
        "all" if years < 13 else "teen" if years < 16 else "older_teen" if years < 18 else "mature"
    )


def load_references(path: Path) -> list[Reference]:
    raw: Any = load_yaml(path.read_text(encoding="utf-8")) or []
    return [
        Reference(
            tuple(match_key(str(n)) for n in item["names"]),
            tuple(item.get("genres", ())),
            tuple(item.get("tags", ())),
        )
        for item in raw
    ]


_WORD = re.compile(r"[a-z0-9]+")


def _terms(vocabulary: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(matchable term, vocabulary key), longest first so 'science fiction' beats 'fiction'."""
    pairs = []
    for key, entry in vocabulary.items():
        for term in (key, key.replace("-", " "), entry.get("ja", ""), *entry.get("synonyms", [])):
            if term:
                pairs.append((match_key(str(term)), key))
    return sorted(set(pairs), key=lambda p: -len(p[0]))


class _Terms:
    """Many terms matched in one pass, leftmost-longest and non-overlapping (as one regex
    alternation, longest first, would match): ASCII terms only as whole words, Japanese ones
    anywhere. Each match maps back to the values it stands for.

    Python's regex engine tries every alternative at every position, which for hundreds of
    terms costs tens of microseconds per message; looking up the spans between word
    boundaries in a dict, and Japanese terms with `in`, finds the same matches far faster.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._values: dict[str, list[str]] = {}
        for term, value in pairs:
            if term and value not in self._values.setdefault(term, []):
                self._values[term].append(value)
        # ASCII terms that begin and end with a letter or digit are looked up by word span;
        # the rare others ("18+") keep a small boundary regex.
        words = [t for t in self._values if t.isascii() and _WORD.fullmatch(t[0] + t[-1])]
        edged = [t for t in self._values if t.isascii() and t not in words]
        self._ascii = frozenset(words)
        self._max_words = max((len(_WORD.findall(t)) for t in words), default=0)
        self._edged = re.compile(
            "|".join(rf"(?<![a-z0-9]){re.escape(t)}(?![a-z0-9])" for t in edged) or r"(?!)"
        )
        self._other = [t for t in self._values if not t.isascii()]

    def _candidates(self, text: str) -> list[tuple[int, int]]:
        spans = []
        if self._ascii:
            words = [m.span() for m in _WORD.finditer(text)]
            for i, (start, _) in enumerate(words):
                for _, end in words[i : i + self._max_words]:
                    if text[start:end] in self._ascii:
                        spans.append((start, end))
        spans += [m.span() for m in self._edged.finditer(text)]
        for term in self._other:
            at = text.find(term)
            while at >= 0:
                spans.append((at, at + len(term)))
                at = text.find(term, at + 1)
        return spans

    def find(self, text: str) -> list[str]:
        found: list[str] = []
        cursor = 0
        for start, end in sorted(self._candidates(text), key=lambda s: (s[0], -s[1])):
            if start < cursor:
                continue
            cursor = end
            for value in self._values[text[start:end]]:
                if value not in found:
                    found.append(value)
        return found


class RequestReader:
    def __init__(
        self,
        genres: Mapping[str, Mapping[str, Any]],
        tags: Mapping[str, Mapping[str, Any]],
        references: Iterable[Reference],
        authors: Iterable[str],
    ) -> None:
        self._genres = _Terms(_terms(genres))
        self._tags = _Terms(_terms(tags))
        self._references = list(references)
        self._reference_names = _Terms(
            (name, str(i)) for i, ref in enumerate(self._references) for name in ref.names
        )
        self._authors = _Terms((match_key(a), a) for a in authors)

    def read(self, text: str, seed_series: Iterable[str] = ()) -> Request:
        key = match_key(text)
        genres = tuple(self._genres.find(key))
        tags = tuple(self._tags.find(key))
        refs = [self._references[int(i)] for i in self._reference_names.find(key)]
        for ref in refs:
            genres += tuple(g for g in ref.genres if g not in genres)
            tags += tuple(t for t in ref.tags if t not in tags)
        authors = tuple(self._authors.find(key))
        return Request(
            seed_series=tuple(dict.fromkeys(seed_series)),
            authors=authors,
            genres=genres,
            tags=tags,
            references=tuple(r.names[0] for r in refs),
            constraints=self._constraints(key, genres, tags),
        )

    def _constraints(self, key: str, genres: tuple[str, ...], tags: tuple[str, ...]) -> Constraints:
        max_age: AgeRating | None = None
        age = _AGE.search(key)
        if age:
            max_age = _age_for(int(age.group(1) or age.group(2)))
        elif _KID.search(key):
            max_age = "all"
        elif _TEEN.search(key):
            max_age = "teen"
        elif _OLDER_TEEN.search(key):
            max_age = "older_teen"
        volumes = _MAX_VOLUMES.search(key)
        max_volumes = int(volumes.group(1) or volumes.group(2)) if volumes else None
        if max_volumes is None and _SHORT.search(key):
            max_volumes = 10
        language: Language | None = (
            "ja" if _JA_EDITION.search(key) else "en" if _EN_EDITION.search(key) else None
        )
        medium: Medium | None = (
            "digital" if _DIGITAL.search(key) else "print" if _PRINT.search(key) else None
        )
        dark = (
            bool(_DARK_WORDS.search(key))
            or bool({"dark", "gore", "violent", "mature-themes"} & set(tags))
            or "horror" in genres
        )
        return Constraints(
            max_age=max_age,
            finished_only=bool(_FINISHED.search(key)),
            max_volumes=max_volumes,
            language=language,
            medium=medium,
            dark=dark,
        )
