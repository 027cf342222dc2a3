"""The demo store generator: hand-written data/ facts in, a seeded, deterministic SQLite file out.

`build_store` is the entry point; see docs/demo-store.md for what is generated and what is
hand-written, and for the fixed demo customers.
"""

from __future__ import annotations

from mangaassist.store.demo.build import BuildReport, build_store, expected_meta
from mangaassist.store.demo.schema import SCHEMA_VERSION
from mangaassist.store.demo.sources import DataError, data_fingerprint

__all__ = [
    "SCHEMA_VERSION",
    "BuildReport",
    "DataError",
    "build_store",
    "data_fingerprint",
    "expected_meta",
]
