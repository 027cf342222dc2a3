from __future__ import annotations

import mangaassist.resilience as resilience


def test_all_names_exist_once() -> None:
    assert all(hasattr(resilience, name) for name in resilience.__all__)
    assert len(set(resilience.__all__)) == len(resilience.__all__)
