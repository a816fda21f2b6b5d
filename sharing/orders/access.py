"""Who may see and act on a testing order: the predicates and the SQL scope that matches them."""

from __future__ import annotations

from sqlalchemy import false, or_

from sharing.auth.models import Role, User
from sharing.instruments.access import can_manage_instrument, managed_instruments
from sharing.instruments.models import Instrument
from sharing.orders.models import Order


def is_customer(user: User, order: Order) -> bool:
    """A member of the ordering organisation."""
    return user.organisation_id == order.customer_org_id


def is_lab(user: User, order: Order) -> bool:
    """A manager of the instrument's organisation (or an admin, who manages every lab)."""
    return can_manage_instrument(user, order.instrument)


def can_view_order(user: User, order: Order) -> bool:
    return is_customer(user, order) or is_lab(user, order) or user.role == Role.ADMIN


def can_download_results(user: User, order: Order) -> bool:
    """The customer's organisation and the lab's own managers (api.md): results are the
    customer's confidential data, so platform admins see the order but not its files."""
    return is_customer(user, order) or (user.role == Role.MANAGER and is_lab(user, order))


def visible_orders(user: User):
    """SQL condition for the orders `user` may list (join Instrument): `can_view_order` in SQL."""
    if user.role == Role.ADMIN:
        return None
    return or_(
        Order.customer_org_id == user.organisation_id,
        Instrument.id.in_(managed_instruments(user)) if user.role == Role.MANAGER else false(),
    )
