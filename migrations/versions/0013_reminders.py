"""Reminders: each user's lead time before a booking, and the marks that claim each reminder
once (a booking starting soon, a check-out overdue, a qualification expiring, a deadline near).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 18:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

MARKS = {
    'bookings': ('reminded_at', 'checkout_reminded_at'),
    'qualified_users': ('reminded_at',),
    'applications': ('deadline_reminded_at',),
}


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(
            sa.Column('reminder_hours', sa.Integer(), server_default='24', nullable=False)
        )
    for table, columns in MARKS.items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.add_column(sa.Column(column, sa.DateTime(timezone=True), nullable=True))


def downgrade():
    for table, columns in MARKS.items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.drop_column(column)
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('reminder_hours')
