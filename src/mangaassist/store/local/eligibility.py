"""Return eligibility as a pure function of an order, an item and today's date (store policy).

Unopened items: 15 days from delivery. Damaged, defective or wrong items: 30 days even if
opened. Digital editions and undelivered orders are not returnable.
"""

from __future__ import annotations

from datetime import date, timedelta

from mangaassist.domain.store import (
    EligibilityReason,
    EligibilityV2,
    Order,
    ReturnEligibility,
    ReturnReason,
)

RETURN_DAYS = 15
EXCEPTION_DAYS = 30
_EXCEPTIONS: dict[ReturnReason, EligibilityReason] = {
    "damaged": "damaged_exception",
    "defective": "damaged_exception",
    "wrong_item": "wrong_item_exception",
}


def _message(reason: EligibilityReason, deadline: date | None, order: Order) -> str:
    day = deadline.isoformat() if deadline else ""
    if reason == "within_window":
        return f"This unopened item can be returned for a full refund until {day}."
    if reason == "window_expired":
        return f"The return window for this item closed on {day}."
    if reason == "opened":
        return (
            "Opened items can only be returned if they arrived damaged, defective or as "
            "the wrong item."
        )
    if reason in {"damaged_exception", "wrong_item_exception"}:
        return (
            f"Damaged, defective or wrong items can be returned until {day} with a free "
            "prepaid label, even if opened."
        )
    if reason == "digital_item":
        return (
            "Digital editions cannot be returned; a defective file is refunded after "
            "support checks it."
        )
    if reason == "already_returned":
        return "This item has already been returned."
    if reason == "item_not_in_order":
        return "This item is not part of the order."
    if order.status == "processing":
        return "This order has not shipped yet, so it can be cancelled free of charge instead."
    if order.status == "cancelled":
        return "This order was cancelled, so there is nothing to return."
    return "This order has not been delivered yet; returns open once it arrives."


def _verdict(
    order: Order, asin: str, digital: bool, reason: ReturnReason | None, today: date
) -> tuple[bool, EligibilityReason, date | None]:
    item = next((i for i in order.items if i.asin == asin), None)
    if item is None:
        return False, "item_not_in_order", None
    if order.status == "returned":
        return False, "already_returned", None
    if order.status != "delivered" or order.delivered_on is None:
        return False, "not_delivered", None
    if digital:
        return False, "digital_item", None
    if reason in _EXCEPTIONS:
        deadline = order.delivered_on + timedelta(days=EXCEPTION_DAYS)
        if today > deadline:
            return False, "window_expired", deadline
        return True, _EXCEPTIONS[reason], deadline
    deadline = order.delivered_on + timedelta(days=RETURN_DAYS)
    if today > deadline:
        return False, "window_expired", deadline
    if item.opened:
        return False, "opened", deadline
    return True, "within_window", deadline


def check(
    order: Order, asin: str, *, digital: bool, reason: ReturnReason | None, today: date
) -> ReturnEligibility:
    """The verdict, with `eligible` and `eligibility_v2.eligible` always equal."""
    eligible, why, deadline = _verdict(order, asin, digital, reason, today)
    v2 = EligibilityV2(
        eligible=eligible, reason=why, deadline=deadline, message=_message(why, deadline, order)
    )
    return ReturnEligibility(
        order_id=order.order_id, asin=asin, eligible=eligible, eligibility_v2=v2
    )
