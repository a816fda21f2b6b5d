"""Cruise obligation reminders: when the chief scientist was reminded of the cruise report and
each allocated party of its data. The mark is set by the one UPDATE that finds it empty, so
however many sweepers run, each reminder is sent once.

Revision ID: 0034
Revises: 0030
Create Date: 2026-12-07 13:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0034"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade():
    # Added in place (nullable, no default): no table is rebuilt.
    op.add_column(
        "cruises", sa.Column("report_reminded_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "cruise_applications",
        sa.Column("data_reminded_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade():
    # Not a batch: rebuilding a table breaks the foreign keys that point at it while SQLite
    # enforces them; SQLite (3.35+) and PostgreSQL drop the column in place.
    op.drop_column("cruise_applications", "data_reminded_at")
    op.drop_column("cruises", "report_reminded_at")
