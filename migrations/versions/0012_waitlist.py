"""The waiting list: users in line for taken ranges, offers that hold a freed range for one
user, and each instrument's hold time.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 18:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('instruments') as batch_op:
        batch_op.add_column(
            sa.Column('waitlist_hold_minutes', sa.Integer(), server_default='60', nullable=False)
        )
    op.create_table(
        'waitlist_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instrument_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('start', sa.DateTime(timezone=True), nullable=False),
        sa.Column('end', sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            'status',
            sa.Enum(
                'waiting', 'offered', 'accepted', 'expired', 'cancelled',
                name='waitlist_status', native_enum=False, create_constraint=True, length=20,
            ),
            nullable=False,
        ),
        sa.Column('offer_expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('booking_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('"end" > start', name=op.f('ck_waitlist_entries_end_after_start')),
        sa.ForeignKeyConstraint(
            ['instrument_id'], ['instruments.id'],
            name=op.f('fk_waitlist_entries_instrument_id_instruments'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_waitlist_entries_user_id_users')
        ),
        sa.ForeignKeyConstraint(
            ['booking_id'], ['bookings.id'], name=op.f('fk_waitlist_entries_booking_id_bookings')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_waitlist_entries')),
    )
    op.create_index(
        'ix_waitlist_entries_instrument_start', 'waitlist_entries', ['instrument_id', 'start']
    )
    op.create_index(op.f('ix_waitlist_entries_user_id'), 'waitlist_entries', ['user_id'])


def downgrade():
    op.drop_table('waitlist_entries')
    with op.batch_alter_table('instruments') as batch_op:
        batch_op.drop_column('waitlist_hold_minutes')
