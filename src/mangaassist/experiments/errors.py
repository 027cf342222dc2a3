"""The one error type of the experiments library: bad input named by its argument."""

from __future__ import annotations


class StatsInputError(ValueError):
    """Input a statistic cannot be computed from; `argument` names the offending input."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(f"{argument}: {message}")
        self.argument = argument
        self.message = message
