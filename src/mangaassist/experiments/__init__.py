"""Experiments: statistics for A/B tests, canary gates, shadow comparisons and drift."""
