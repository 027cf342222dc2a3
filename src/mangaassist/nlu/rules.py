"""Stage 1 of the intent classifier: a registry of high-precision rule sets.

A rule set registers like a plugin (`register_rule_set`); the built-in English and
Japanese sets register the same way, so a new language or store is a new module. A rule
answers only when a whole, unambiguous message matches; otherwise the model decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mangaassist.domain.intent import Intent


@dataclass(frozen=True, slots=True)
class Rule:
    intent: Intent
    #: Matched with `fullmatch` against the `match_key` of the message (trailing marks removed).
    pattern: re.Pattern[str]
    confidence: float = 0.99


@dataclass(frozen=True, slots=True)
class RuleSet:
    name: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class RuleHit:
    intent: Intent
    confidence: float
    rule_set: str


def rule(intent: Intent, *alternatives: str, confidence: float = 0.99) -> Rule:
    return Rule(intent, re.compile("|".join(f"(?:{a})" for a in alternatives)), confidence)


_REGISTRY: dict[str, RuleSet] = {}
_TRAILING = re.compile(r"(?:[\s!?.。、,~〜…♪]|笑|w{2,})+$")


def register_rule_set(rule_set: RuleSet) -> None:
    """Add (or replace, by name) a rule set."""
    _REGISTRY[rule_set.name] = rule_set


def registered_rule_sets() -> tuple[RuleSet, ...]:
    _load_builtins()
    return tuple(_REGISTRY.values())


def _load_builtins() -> None:
    from mangaassist.nlu import rules_en, rules_ja  # noqa: F401  (they register on import)


def first_hit(key: str, rule_sets: Iterable[RuleSet]) -> RuleHit | None:
    """The first rule that matches the whole message, if any."""
    stripped = _TRAILING.sub("", key)
    for rule_set in rule_sets:
        for candidate in rule_set.rules:
            if candidate.pattern.fullmatch(stripped):
                return RuleHit(candidate.intent, candidate.confidence, rule_set.name)
    return None
