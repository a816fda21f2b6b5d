"""The daily rollup of each instrument's use (issue 36): booked and used time, use for other
organisations and samples per instrument and day and month, the people each instrument
served in each ended year and its income per month, which the year-long reports sum instead of a
year of bookings and sessions; the mark of the last day it holds. Filled here from the
existing rows up to yesterday; the reports read the days after the mark from the rows.
Indexes for the pages still over their target at ten times the demo's size.

Revision ID: 0033
Revises: 0035
Create Date: 2026-12-07 13:30:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.orm import Session


# revision identifiers, used by Alembic.
revision = '0033'
down_revision = "0035"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'instrument_days',
        sa.Column('instrument_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('booked_us', sa.BigInteger(), nullable=False),
        sa.Column('used_us', sa.BigInteger(), nullable=False),
        sa.Column('use_us', sa.BigInteger(), nullable=False),
        sa.Column('external_us', sa.BigInteger(), nullable=False),
        sa.Column('samples', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('instrument_id', 'day'),
    )
    op.create_table(
        'instrument_months',
        sa.Column('instrument_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('booked_us', sa.BigInteger(), nullable=False),
        sa.Column('used_us', sa.BigInteger(), nullable=False),
        sa.Column('use_us', sa.BigInteger(), nullable=False),
        sa.Column('external_us', sa.BigInteger(), nullable=False),
        sa.Column('samples', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('instrument_id', 'month'),
    )
    op.create_table(
        'instrument_years',
        sa.Column('instrument_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('users_served', sa.Integer(), nullable=False),
        sa.Column('organisations_served', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('instrument_id', 'year'),
    )
    op.create_table(
        'instrument_income',
        sa.Column('instrument_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('inside', sa.Boolean(), nullable=False),
        sa.Column('amount_fen', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('instrument_id', 'month', 'inside'),
    )
    op.create_table(
        'rollup_marks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('through', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    _backfill()


def _backfill():
    """Roll up every day of the history up to yesterday with the code that keeps it, on the
    migration's own connection (its transaction holds the new tables)."""
    from sharing.billing import daily, income
    from sharing.extensions import db

    session = Session(bind=op.get_bind())
    db.session.registry.set(session)
    try:
        income.rebuild()
        # Without history there is nothing to roll up: the job starts the rollup with the
        # first day that ends after some use.
        if daily.first_day_of_rows() is not None:
            daily.fill()
            session.flush()
    finally:
        db.session.registry.clear()
        session.close()


def downgrade():
    op.drop_table('rollup_marks')
    op.drop_table('instrument_months')
    op.drop_table('instrument_years')
    op.drop_table('instrument_income')
    op.drop_table('instrument_days')
