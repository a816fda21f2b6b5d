"""The migrations build the whole schema from empty, and the models agree with them."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import Date, Integer, String, select, text

from sharing import create_app
from sharing.billing.models import Charge, ChargeKind, Invoice
from sharing.core.dbsetup import exists_on
from sharing.core.dbtypes import Money
from sharing.extensions import db
from sharing.instruments.models import Category
from tests.conftest import base_config
from tests.factories import Factory

API_CATEGORY_SLUGS = [
    "electron-microscopy",
    "mass-spectrometry",
    "chromatography",
    "spectroscopy",
    "x-ray",
    "nmr",
    "sequencing",
    "ocean-observation",
    "underwater-vehicles",
    "acoustic-survey",
    "environmental-testing",
    "materials-testing",
    "other",
    "research-vessels",  # added with the cruises (migration 0032)
]


def test_the_categories_of_the_contract_exist(app):
    slugs = list(db.session.scalars(select(Category.slug).order_by(Category.position)))
    assert slugs == API_CATEGORY_SLUGS


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        only_here = exists_on(connection.dialect.name)
        opts = {"compare_type": False, "include_object": only_here}
        context = MigrationContext.configure(connection, opts=opts)
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_invoices_cover_charges_both_ways(tmp_path):
    """0024 down and up on data: a month invoiced twice goes back as one invoice for the sum,
    paid only when both were; coming up again, an invoice covers its key's charges made
    before it, and a charge recorded after it stays owed."""
    app = create_app(base_config(f"sqlite:///{tmp_path / 'invoices.sqlite3'}"))
    with app.app_context():
        upgrade()
        make = Factory()
        lab, firm = make.org(), make.org("enterprise")
        manager = make.user("manager", lab)
        issued = datetime(2026, 11, 3, 2, tzinfo=UTC)

        def invoice(number, amount, paid_on):
            made = Invoice(
                provider_org_id=lab.id,
                customer_org_id=firm.id,
                month="2026-10",
                number=number,
                amount=Decimal(amount),
                issued_on=date(2026, 11, 3),
                paid_on=paid_on,
                created_by_id=manager.id,
                created_at=issued,
            )
            db.session.add(made)
            return made

        def charge(amount, created_at, covered_by=None):
            db.session.add(
                Charge(
                    kind=ChargeKind.ADJUSTMENT,
                    customer_org_id=firm.id,
                    owner_org_id=lab.id,
                    amount=Decimal(amount),
                    service_date=date(2026, 10, 9),
                    month="2026-10",
                    created_at=created_at,
                    invoice=covered_by,
                )
            )

        first = invoice("A-1", "800.00", date(2026, 11, 20))
        second = invoice("A-2", "300.00", None)
        charge("800.00", issued - timedelta(days=20), first)
        charge("300.00", issued + timedelta(days=5), second)
        db.session.commit()

        downgrade(revision="0023")
        # Read through the column types: money is kept in fen on SQLite.
        rows = db.session.execute(
            text("SELECT number, amount, paid_on FROM invoices").columns(
                number=String, amount=Money(), paid_on=Date
            )
        ).all()
        assert [tuple(row) for row in rows] == [("A-1", Decimal("1100.00"), None)]

        upgrade()
        covered = db.session.execute(
            text("SELECT amount, invoice_id FROM charges ORDER BY created_at").columns(
                amount=Money(), invoice_id=Integer
            )
        ).all()
        (only,) = db.session.scalars(select(Invoice.id))
        assert [tuple(row) for row in covered] == [
            (Decimal("800.00"), only),
            (Decimal("300.00"), None),
        ]
        db.session.remove()
        db.engine.dispose()


def test_the_cruise_reminder_marks_go_down_and_come_back(tmp_path):
    """0034 down to 0030 and up again: the two marks leave and return, the rows stay."""
    app = create_app(base_config(f"sqlite:///{tmp_path / 'marks.sqlite3'}"))

    def columns(table):
        return {row[1] for row in db.session.execute(text(f"PRAGMA table_info({table})"))}

    with app.app_context():
        upgrade()
        assert "report_reminded_at" in columns("cruises")
        assert "data_reminded_at" in columns("cruise_applications")
        downgrade(revision="0030")
        assert "report_reminded_at" not in columns("cruises")
        assert "data_reminded_at" not in columns("cruise_applications")
        upgrade()
        assert "report_reminded_at" in columns("cruises")
        db.session.remove()
        db.engine.dispose()


def test_the_loan_items_end_index_goes_up_and_down(tmp_path):
    """0035: the index a loan's busy read starts from (blocked_until) comes and goes."""
    from sqlalchemy import inspect

    app = create_app(base_config(f"sqlite:///{tmp_path / 'loans.sqlite3'}"))
    with app.app_context():

        def indexes() -> set[str]:
            return {i["name"] for i in inspect(db.engine).get_indexes("loan_items")}

        upgrade()
        assert "ix_loan_items_instrument_until" in indexes()
        downgrade(revision="0030")
        assert "ix_loan_items_instrument_until" not in indexes()
        assert "ix_loan_items_instrument_start" in indexes()
        upgrade()
        assert "ix_loan_items_instrument_until" in indexes()
