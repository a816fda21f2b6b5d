"""Order states and who moves them, pure: one table of (state, action) -> (side, next state)."""

from __future__ import annotations

import enum


class OrderStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    QUOTED = "quoted"
    ACCEPTED = "accepted"
    RECEIVED = "received"
    IN_ANALYSIS = "in_analysis"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class OrderAction(enum.StrEnum):
    QUOTE = "quote"
    ACCEPT = "accept"
    DECLINE = "decline"
    CANCEL = "cancel"
    RECEIVE = "receive"
    START = "start"
    DELIVER = "deliver"
    COMPLETE = "complete"


CUSTOMER, LAB = "customer", "lab"

TRANSITIONS: dict[tuple[OrderStatus, OrderAction], tuple[str, OrderStatus]] = {
    (OrderStatus.SUBMITTED, OrderAction.QUOTE): (LAB, OrderStatus.QUOTED),
    (OrderStatus.QUOTED, OrderAction.QUOTE): (LAB, OrderStatus.QUOTED),  # a revised quote
    (OrderStatus.QUOTED, OrderAction.ACCEPT): (CUSTOMER, OrderStatus.ACCEPTED),
    (OrderStatus.QUOTED, OrderAction.DECLINE): (CUSTOMER, OrderStatus.DECLINED),
    (OrderStatus.SUBMITTED, OrderAction.CANCEL): (CUSTOMER, OrderStatus.CANCELLED),
    (OrderStatus.QUOTED, OrderAction.CANCEL): (CUSTOMER, OrderStatus.CANCELLED),
    (OrderStatus.ACCEPTED, OrderAction.CANCEL): (CUSTOMER, OrderStatus.CANCELLED),
    (OrderStatus.ACCEPTED, OrderAction.RECEIVE): (LAB, OrderStatus.RECEIVED),
    (OrderStatus.RECEIVED, OrderAction.START): (LAB, OrderStatus.IN_ANALYSIS),
    (OrderStatus.IN_ANALYSIS, OrderAction.DELIVER): (LAB, OrderStatus.DELIVERED),
    (OrderStatus.DELIVERED, OrderAction.COMPLETE): (LAB, OrderStatus.COMPLETED),
}


class IllegalOrderTransition(ValueError):
    """The order's state does not allow the action."""


def transition(current: OrderStatus, action: OrderAction) -> tuple[str, OrderStatus]:
    """(the side that may act, the next state), or IllegalOrderTransition."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalOrderTransition(
            f"cannot {action.value} an order that is {current.value}"
        ) from None


def side_of(action: OrderAction) -> str:
    """Who performs an action, whatever the state."""
    return next(side for (_state, act), (side, _next) in TRANSITIONS.items() if act == action)
