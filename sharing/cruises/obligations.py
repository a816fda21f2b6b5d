"""What a cruise's parties owe after return, pure: the chief scientist's report within seven
days, each allocated party's data within the cruise's data days; overdue from the day after the
due day while not done."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

REPORT_DAYS = 7


@dataclass(frozen=True)
class Obligation:
    application_id: int | None  # None: the chief scientist's cruise report
    kind: str  # "cruise_report" | "data"
    due_on: date
    done_on: date | None
    overdue: bool


@dataclass(frozen=True)
class Delivery:
    """An allocated application as the duties see it: its id and the day its data came."""

    application_id: int
    done_on: date | None


def is_overdue(due_on: date, done_on: date | None, today: date) -> bool:
    return done_on is None and today > due_on


def obligations_of(
    returned_on: date | None,
    report_done_on: date | None,
    data_due_days: int,
    deliveries: Sequence[Delivery],
    today: date,
) -> list[Obligation]:
    """The report and the data owed for a cruise back on `returned_on` (none before return)."""
    if returned_on is None:
        return []
    report_due = returned_on + timedelta(days=REPORT_DAYS)
    owed = [
        Obligation(
            None,
            "cruise_report",
            report_due,
            report_done_on,
            is_overdue(report_due, report_done_on, today),
        )
    ]
    data_due = returned_on + timedelta(days=data_due_days)
    owed += [
        Obligation(
            delivery.application_id,
            "data",
            data_due,
            delivery.done_on,
            is_overdue(data_due, delivery.done_on, today),
        )
        for delivery in deliveries
    ]
    return owed


def latest_embargo(delivered_on: date) -> date:
    """The last day an embargo may run to for data delivered on `delivered_on`."""
    try:
        return delivered_on.replace(year=delivered_on.year + 2)
    except ValueError:  # 29 February
        return delivered_on.replace(year=delivered_on.year + 2, day=28)
