"""The charges of each month per owner and customer organisation (issue 36): the reports'
revenue and spend read these sums instead of a year of charges. Kept by the flushes that write
charges (`sharing.billing.income`); filled here from the charges already there.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-08 01:20:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session


revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'organisation_months',
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('owner_org_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('customer_org_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('amount_fen', sa.BigInteger(), nullable=False),
        sa.Column('charges', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('month', 'owner_org_id', 'customer_org_id'),
    )
    _backfill()


def _backfill():
    """Sum the charges with the code that keeps the table, on the migration's connection."""
    from sharing.billing import income
    from sharing.extensions import db

    session = Session(bind=op.get_bind())
    db.session.registry.set(session)
    try:
        income.rebuild_pairs()
        session.flush()
    finally:
        db.session.registry.clear()
        session.close()


def downgrade():
    op.drop_table('organisation_months')
