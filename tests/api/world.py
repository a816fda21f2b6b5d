"""A small world of people, an instrument and makers of fresh targets for API-wide tests."""

from __future__ import annotations

import io
import itertools
from datetime import timedelta
from decimal import Decimal

from sharing.auth.services import issue_api_token
from sharing.extensions import db
from sharing.timeutil import utcnow
from tests.api.booking_helpers import SHANGHAI

ROLES = ("anonymous", "admin", "manager", "other_manager", "researcher", "enterprise")
PDF = b"%PDF-1.7\n% result\n"


class World:
    """The people and instrument of the table, and makers of fresh targets for each call."""

    def __init__(self, client, make):
        self.client, self.make = client, make
        lab = make.org("institute", slug="lab")
        self.customer_org = make.org("institute", slug="customer-institute")
        company = make.org("enterprise", slug="company")
        self.users = {
            "admin": make.admin(),
            "manager": make.user("manager", lab),
            "other_manager": make.user("manager", self.customer_org),
            "researcher": make.user("researcher", self.customer_org),
            "enterprise": make.user("enterprise", company),
        }
        self.password = make.PASSWORD
        self.instrument = self.new_instrument_record()
        start = utcnow().astimezone(SHANGHAI) + timedelta(days=2)
        self.first_slot = start.replace(hour=0, minute=0, second=0, microsecond=0)
        self.slots = itertools.count()
        self.months = itertools.count()

    def new_instrument_record(self):
        """An always-open instrument of the lab that needs approval and takes samples."""
        return self.make.instrument(
            manager=self.users["manager"],
            requires_approval=True,
            accepts_samples=True,
            turnaround_days=5,
            rules={"open_hours": [], "notice_hours": 0},
            rates=[
                {"category": "internal", "unit": "hour", "price": Decimal("100.00")},
                {"category": "academic", "unit": "hour", "price": Decimal("200.00")},
                {"category": "enterprise", "unit": "hour", "price": Decimal("300.00")},
                {"category": "enterprise", "unit": "sample", "price": Decimal("280.00")},
                {"category": "academic", "unit": "sample", "price": Decimal("200.00")},
            ],
        )

    # -- calling ----------------------------------------------------------------------------

    def headers(self, role: str) -> dict:
        if role == "anonymous":
            return {}
        return self.headers_for(self.users[role])

    def headers_for(self, user) -> dict:
        token = issue_api_token(user)  # fresh each call: one row revokes its token
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    def call(self, role, method, path, body=None, expect=None):
        kwargs = {"headers": self.headers(role)}
        if isinstance(body, dict) and "file" in body:
            kwargs.update(data=body, content_type="multipart/form-data")
        elif body is not None:
            kwargs["json"] = body
        response = self.client.open("/api/v1" + path, method=method, **kwargs)
        if expect is not None:
            assert response.status_code == expect, (method, path, role, response.json)
        return response

    def next_slot(self, hours: int = 1) -> tuple[str, str]:
        start = self.first_slot + timedelta(hours=next(self.slots))
        return start.isoformat(), (start + timedelta(hours=hours)).isoformat()

    # -- bodies: each builder takes the caller's role and the target, and uses what it needs --

    def credentials(self, role=None, target=None):
        if role == "anonymous":
            return {"email": "nobody@example.org", "password": "not-a-password-1"}
        return {"email": self.users[role].email, "password": self.password}

    def new_instrument(self, role=None, target=None):
        return {"name": "新仪器", "category": "nmr", "organisation": "lab"}

    def downtime_body(self, role=None, target=None):
        start, end = self.next_slot()
        return {"start": start, "end": end, "reason": "保养"}

    def researcher_id(self, role=None, target=None):
        return {"user_id": self.users["researcher"].id}

    def newcomer_id(self, role=None, target=None):
        return {"user_id": self.make.user("researcher", self.customer_org).id}

    def booking_body(self, role=None, target=None):
        start, end = self.next_slot()
        return {"instrument_id": self.instrument.id, "start": start, "end": end, "purpose": "x"}

    def decision_body(self, role=None, target=None):
        return {"ids": [target["booking"]], "decision": "approve"}

    def usage_body(self, role=None, target=None):
        return {"start": target["start"], "end": target["end"]}

    def adjustment_body(self, role=None, target=None):
        return {"organisation": "customer-institute", "amount": "-10.00", "reason": "折让"}

    def order_body(self, role=None, target=None):
        return {
            "instrument_id": self.instrument.id,
            "samples": 3,
            "sample_type": "海水",
            "description": "近岸站位",
            "analysis": "Cu",
            "delivery": "courier",
            "tracking_number": "SF1234567890",
        }

    def quote_body(self, role=None, target=None):
        return {"lines": [{"description": "ICP-MS", "quantity": "3", "unit_price": "280.00"}]}

    def run_body(self, role=None, target=None):
        start, end = self.next_slot()
        return {"start": start, "end": end}

    def result_upload(self, role=None, target=None):
        return {"file": (io.BytesIO(PDF), "result.pdf")}

    def challenge_body(self, role=None, target=None):
        return {
            "title": "深海传感器防腐",
            "description": "需要长期防腐方案",
            "field": "new-materials",
            "budget": "800000.00",
            "deadline": (utcnow() + timedelta(days=30)).isoformat(),
            "status": "open",
        }

    def application_body(self, role=None, target=None):
        return {"proposal": "方案", "team": "两人", "timeline": "六个月", "quote": "500000.00"}

    def award_body(self, role=None, target=None):
        return {"application_id": target["application"]}

    # -- targets ----------------------------------------------------------------------------

    def instrument_target(self):
        return {"instrument": self.instrument.id}

    def qualified(self):
        path = f"/instruments/{self.instrument.id}/qualified-users"
        response = self.call("manager", "POST", path, self.researcher_id())
        assert response.status_code in {201, 409}, response.json  # 409: qualified already
        return {"instrument": self.instrument.id, "user": self.users["researcher"].id}

    def pending_booking(self):
        body = self.booking_body()
        booking = self.call("researcher", "POST", "/bookings", body, expect=201).json
        assert booking["status"] == "pending"
        return {"booking": booking["id"]}

    def _walk_in(self, start, instrument=None):
        body = {
            "instrument_id": (instrument or self.instrument).id,
            "user_id": self.users["researcher"].id,
            "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
        }
        booking = self.call("manager", "POST", "/bookings", body, expect=201).json
        return {"booking": booking["id"], "start": body["start"], "end": body["end"]}

    def current_booking(self):
        """A confirmed booking going on now (check-in is open), on an instrument of its own."""
        now = utcnow().astimezone(SHANGHAI)
        start = now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
        return self._walk_in(start, self.new_instrument_record())

    def checked_in_booking(self):
        target = self.current_booking()
        self.call("researcher", "POST", f"/bookings/{target['booking']}/check-in", {}, 200)
        return target

    def past_booking(self):
        # Walk-ins by the manager are confirmed at once; each call gets its own past hour.
        hours_back = 3 + next(self.slots)
        now = utcnow().astimezone(SHANGHAI).replace(minute=0, second=0, microsecond=0)
        return self._walk_in(now - timedelta(hours=hours_back))

    def downtime(self):
        body = self.downtime_body()
        path = f"/instruments/{self.instrument.id}/downtimes"
        return {"downtime": self.call("manager", "POST", path, body, expect=201).json["id"]}

    def closable_month(self):
        return {"closable_month": f"{2001 + next(self.months)}-01"}

    def submitted_order(self):
        order = self.call("enterprise", "POST", "/orders", self.order_body(), expect=201).json
        return {"order": order["id"]}

    def _step(self, target, role, action, body=None, expect=200):
        path = f"/orders/{target['order']}/{action}"
        self.call(role, "POST", path, body or {}, expect=expect)
        return target

    def quoted_order(self):
        target = self.submitted_order()
        return self._step(target, "manager", "quote", self.quote_body())

    def accepted_order(self):
        return self._step(self.quoted_order(), "enterprise", "accept")

    def received_order(self):
        return self._step(self.accepted_order(), "manager", "receive", {"received_samples": 3})

    def analysing_order(self):
        return self._step(self.received_order(), "manager", "start")

    def analysed_order(self):
        target = self.analysing_order()
        upload = self.result_upload()
        path = f"/orders/{target['order']}/results"
        target["file"] = self.call("manager", "POST", path, upload, expect=201).json["id"]
        return target

    def delivered_order(self):
        return self._step(self.analysed_order(), "manager", "deliver")

    def open_challenge(self):
        body = self.challenge_body()
        challenge = self.call("enterprise", "POST", "/challenges", body, expect=201).json
        return {"challenge": challenge["id"]}

    def applied_challenge(self):
        target = self.open_challenge()
        path = f"/challenges/{target['challenge']}/applications"
        body = self.application_body()
        target["application"] = self.call("researcher", "POST", path, body, expect=201).json["id"]
        return target

    def awarded_challenge(self):
        target = self.applied_challenge()
        path = f"/challenges/{target['challenge']}/award"
        self.call("enterprise", "POST", path, self.award_body(target=target), expect=200)
        return target

    def path_fields(self, target: dict) -> dict:
        """What a row's path may name: today, tomorrow, this month, the customer, the target."""
        midnight = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
        return {
            "day": midnight.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "next_day": (midnight + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "month": midnight.astimezone(SHANGHAI).strftime("%Y-%m"),
            "customer_org": "customer-institute",
            **target,
        }

    # -- one row ----------------------------------------------------------------------------

    def prepare(self, row, role: str) -> tuple[str, object]:
        """A fresh target for one row of the authorisation table: the path below /api/v1 and
        the body to send as `role`."""
        maker = {"instrument": self.instrument_target}.get(row.target) or (
            getattr(self, row.target) if row.target else dict
        )
        target = maker()
        fields = self.path_fields(target)
        body = row.body
        if isinstance(body, str):
            body = getattr(self, body)(role, target)
        if body is None and row.method in {"POST", "PATCH"}:
            body = {}
        return row.path.format(**fields), body

    def run(self, row, role: str) -> int:
        """Call one row of the authorisation table (method, path, target, body) as `role`."""
        path, body = self.prepare(row, role)
        return self.call(role, row.method, path, body).status_code
