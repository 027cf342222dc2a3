from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from mangaassist.domain.store import Order, OrderItem, OrderStatus, ReturnReason
from mangaassist.store.local.eligibility import check

TODAY = date(2026, 11, 1)
ASIN = "B0AAAAAAAA"


def _order(status: OrderStatus, delivered_days_ago: int | None, opened: bool = False) -> Order:
    delivered = TODAY - timedelta(delivered_days_ago) if delivered_days_ago is not None else None
    return Order(
        order_id="MA-10001-00001",
        customer_id="C10001",
        placed_at=datetime(2026, 9, 1, tzinfo=UTC),
        status=status,
        delivered_on=delivered,
        items=(
            OrderItem(
                asin=ASIN, title="t", quantity=1, unit_price=1, currency="USD", opened=opened
            ),
        ),
        total=1,
        currency="USD",
        region="US",
    )


@pytest.mark.parametrize(
    ("status", "days", "opened", "digital", "reason", "eligible", "why"),
    [
        ("delivered", 0, False, False, None, True, "within_window"),
        ("delivered", 15, False, False, None, True, "within_window"),
        ("delivered", 16, False, False, None, False, "window_expired"),
        ("delivered", 3, True, False, None, False, "opened"),
        ("delivered", 3, True, False, "changed_mind", False, "opened"),
        ("delivered", 20, True, False, "damaged", True, "damaged_exception"),
        ("delivered", 30, True, False, "defective", True, "damaged_exception"),
        ("delivered", 30, True, False, "wrong_item", True, "wrong_item_exception"),
        ("delivered", 31, True, False, "damaged", False, "window_expired"),
        ("delivered", 1, False, True, None, False, "digital_item"),
        ("delivered", 1, False, True, "defective", False, "digital_item"),
        ("in_transit", None, False, False, None, False, "not_delivered"),
        ("processing", None, False, False, "damaged", False, "not_delivered"),
        ("cancelled", None, False, False, None, False, "not_delivered"),
        ("returned", 5, False, False, None, False, "already_returned"),
    ],
)
def test_policy(
    status: OrderStatus,
    days: int | None,
    opened: bool,
    digital: bool,
    reason: ReturnReason | None,
    eligible: bool,
    why: str,
) -> None:
    verdict = check(_order(status, days, opened), ASIN, digital=digital, reason=reason, today=TODAY)
    assert verdict.eligible is eligible
    assert verdict.eligibility_v2.eligible is eligible
    assert verdict.eligibility_v2.reason == why
    assert verdict.eligibility_v2.message


def test_deadlines() -> None:
    order = _order("delivered", 5)
    plain = check(order, ASIN, digital=False, reason=None, today=TODAY)
    damaged = check(order, ASIN, digital=False, reason="damaged", today=TODAY)
    assert plain.eligibility_v2.deadline == TODAY + timedelta(10)
    assert damaged.eligibility_v2.deadline == TODAY + timedelta(25)
    assert str(plain.eligibility_v2.deadline) in plain.eligibility_v2.message


def test_item_not_in_order() -> None:
    verdict = check(_order("delivered", 1), "B0BBBBBBBB", digital=False, reason=None, today=TODAY)
    assert verdict.eligibility_v2.reason == "item_not_in_order"
    assert not verdict.eligible
