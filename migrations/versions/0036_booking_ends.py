"""The district at ten times its size (issue 36): the year reports add the days after the
rollup's mark from the bookings themselves (those still reaching past it, by their end and by
the end of their use); indexes on both ends read those few rows instead of scanning a million.

Revision ID: 0036
Revises: 0033
Create Date: 2026-12-07 18:15:00

"""
from alembic import op


revision = '0036'
down_revision = '0033'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_bookings_end', 'bookings', ['end'])
    op.create_index('ix_bookings_used_end', 'bookings', ['used_end'])


def downgrade():
    op.drop_index('ix_bookings_used_end', table_name='bookings')
    op.drop_index('ix_bookings_end', table_name='bookings')
