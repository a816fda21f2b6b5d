"""Form fields that take only what the database can hold: one rule for every page's numbers.

WTForms' own fields read full-width digits, NaN, infinities and years 1 to 9999; each of those
reached a query or a column and came back as a 500.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeLocalField, DecimalField, IntegerField

from sharing.util.inputs import FIRST_DAY, LAST_DAY, day_in_range
from sharing.util.numbers import MAX_INTEGER, parse_count, parse_money
from sharing.util.timeutil import EARLIEST, LATEST

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class MoneyField(DecimalField):
    """An amount in yuan with at most two decimals, within the money columns."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_money(valuelist[0].replace(",", ""), exact=False, allow_negative=True)
        except ValueError:
            self.data = None
            raise ValueError(_l("Write an amount such as 1500 or 1500.50.")) from None


class CountField(IntegerField):
    """A whole number in ASCII digits that an integer column holds."""

    def __init__(self, *args, maximum: int = MAX_INTEGER, **kwargs):
        super().__init__(*args, **kwargs)
        self.maximum = maximum

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_count(valuelist[0], self.maximum)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a whole number.")) from None


class LocalDateTimeField(DateTimeLocalField):
    """A wall-clock date and time in the platform zone, within the years the platform serves."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", LOCAL_FORMAT)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, datetime) and not (
            EARLIEST.year < self.data.year < LATEST.year - 1
        ):
            self.data = None
            raise ValueError(_l("Choose a date between 1971 and 2198."))


class DayField(DateField):
    """A day within the years the platform serves (inputs.FIRST_DAY..LAST_DAY)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, date):
            try:
                day_in_range(self.data)
            except ValueError:
                self.data = None
                raise ValueError(
                    _l(
                        "Choose a day between %(first)s and %(last)s.",
                        first=FIRST_DAY,
                        last=LAST_DAY,
                    )
                ) from None
