"""Loans' busy days read from the end: an index on each instrument's items by the day they free
it (blocked_until), so that a loan request reads the few items still ahead of it instead of every
item that ever started before its end (2,000 a piece for gear lent for years).

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 13:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_loan_items_instrument_until', 'loan_items', ['instrument_id', 'blocked_until']
    )


def downgrade():
    op.drop_index('ix_loan_items_instrument_until', table_name='loan_items')
