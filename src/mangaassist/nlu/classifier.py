"""The two-stage intent classifier: stage-1 rules answer when sure, else the stage-2 model,
with a documented confidence threshold falling back to out_of_scope or a clarifying question.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from mangaassist.domain.intent import (
    REQUIRES_LLM,
    Entity,
    Intent,
    IntentResult,
    OrderIdEntity,
    TitleEntity,
)
from mangaassist.nlu.entities import AliasIndex, extract_entities
from mangaassist.nlu.language import detect_language
from mangaassist.nlu.model import Scores
from mangaassist.nlu.normalize import match_key, normalize
from mangaassist.nlu.rules import RuleSet, first_hit, registered_rule_sets

#: Below this top probability the message is treated as out of scope (see docs/nlu.md).
DEFAULT_OOS_THRESHOLD = 0.5
#: Below this (and above the out-of-scope one) the caller should ask which intent was meant.
DEFAULT_CLARIFY_THRESHOLD = 0.65


class Scorer(Protocol):
    """Stage-2 model: class probabilities for a normalised message (see `model.FastScorer`)."""

    def score(self, text: str) -> Scores: ...


class EmptyMessageError(ValueError):
    """The message has no visible text to classify."""


ORDER_INTENTS = frozenset(
    {Intent.ORDER_TRACKING, Intent.RETURN_REQUEST, Intent.SHIPPING, Intent.ESCALATION}
)


def _about_store(entities: tuple[Entity, ...]) -> bool:
    """An order id, or a title that cannot be an ordinary word (several words, or written in
    Japanese), says the message is about the store even when the model is unsure which way."""
    for entity in entities:
        if isinstance(entity, OrderIdEntity):
            return True
        if isinstance(entity, TitleEntity):
            surface = entity.surface.strip()
            if " " in surface or not surface.isascii():
                return True
    return False


class IntentClassifier:
    """Rules first, then the model; pure apart from the weights it holds."""

    def __init__(
        self,
        scorer: Scorer,
        *,
        aliases: AliasIndex | None = None,
        rule_sets: Sequence[RuleSet] | None = None,
        oos_threshold: float = DEFAULT_OOS_THRESHOLD,
        clarify_threshold: float = DEFAULT_CLARIFY_THRESHOLD,
    ) -> None:
        if not 0.0 <= oos_threshold <= clarify_threshold <= 1.0:
            raise ValueError("thresholds must satisfy 0 <= oos <= clarify <= 1")
        self._scorer = scorer
        self._aliases = aliases
        self._rule_sets = tuple(registered_rule_sets() if rule_sets is None else rule_sets)
        self._oos = oos_threshold
        self._clarify = clarify_threshold

    def entities(self, text: str) -> tuple[Entity, ...]:
        """The entities of `text` alone (titles, volumes, order ids …), without scoring."""
        return extract_entities(normalize(text), self._aliases)

    def classify(self, text: str) -> IntentResult:
        normalized = normalize(text)
        if not normalized:
            raise EmptyMessageError("message is empty")
        language = detect_language(normalized)
        entities = extract_entities(normalized, self._aliases)
        hit = first_hit(match_key(normalized), self._rule_sets)
        if hit is not None:
            return IntentResult(
                intent=hit.intent,
                confidence=hit.confidence,
                requires_llm=REQUIRES_LLM[hit.intent],
                language=language,
                entities=entities,
                stage="rules",
            )
        ranked = self._scorer.score(normalized).ranked
        if any(isinstance(e, OrderIdEntity) for e in entities):
            # A message naming an order is about that order: the model picks among the
            # intents that can act on one, never chitchat or "out of scope".
            # Confidence is then relative to those intents (renormalised).
            allowed = [r for r in ranked if r[0] in ORDER_INTENTS]
            mass = sum(p for _, p in allowed) or 1.0
            ranked = tuple((i, p / mass) for i, p in allowed) + tuple(
                (i, 0.0) for i, _ in ranked if i not in ORDER_INTENTS
            )
        (intent, confidence), (runner_up, _) = ranked[0], ranked[1]
        if (
            confidence < self._oos
            and intent is not Intent.OUT_OF_SCOPE
            and not _about_store(entities)
        ):
            return IntentResult(
                intent=Intent.OUT_OF_SCOPE,
                confidence=confidence,
                requires_llm=REQUIRES_LLM[Intent.OUT_OF_SCOPE],
                language=language,
                entities=entities,
                stage="fallback",
                alternative=intent,
            )
        unsure = confidence < self._clarify and intent is not Intent.OUT_OF_SCOPE
        return IntentResult(
            intent=intent,
            confidence=confidence,
            requires_llm=REQUIRES_LLM[intent],
            language=language,
            entities=entities,
            stage="model",
            needs_clarification=unsure,
            alternative=runner_up,
        )
