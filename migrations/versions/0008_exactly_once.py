"""Exactly once: unique charges per booking and quote line, sample runs' customers, check-in
window, idempotency keys, and a session epoch that signing out raises.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 14:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

ONE_PER_BOOKING = "booking_id IS NOT NULL AND kind != 'adjustment'"


def upgrade():
    with op.batch_alter_table('instruments') as batch_op:
        batch_op.add_column(
            sa.Column('check_in_window_minutes', sa.Integer(), server_default='30', nullable=False)
        )
    with op.batch_alter_table('bookings') as batch_op:
        batch_op.add_column(sa.Column('customer_org_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f('fk_bookings_customer_org_id_organisations'),
            'organisations', ['customer_org_id'], ['id'],
        )
    # Runs scheduled before this revision serve their order's customer too.
    op.execute(
        "UPDATE bookings SET customer_org_id = "
        "(SELECT customer_org_id FROM orders WHERE orders.id = bookings.order_id) "
        "WHERE order_id IS NOT NULL"
    )
    with op.batch_alter_table('charges') as batch_op:
        batch_op.add_column(sa.Column('quote_line_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f('fk_charges_quote_line_id_quote_lines'), 'quote_lines', ['quote_line_id'], ['id']
        )
    op.create_index(
        'uq_charges_one_per_booking', 'charges', ['booking_id'], unique=True,
        sqlite_where=sa.text(ONE_PER_BOOKING), postgresql_where=sa.text(ONE_PER_BOOKING),
    )
    op.create_index('uq_charges_one_per_quote_line', 'charges', ['quote_line_id'], unique=True)
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(
            sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False)
        )
    op.create_table(
        'idempotency_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('content_type', sa.String(length=100), nullable=True),
        sa.Column('body', sa.LargeBinary(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_idempotency_keys_user_id_users'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
        sa.UniqueConstraint('user_id', 'key', name='uq_idempotency_keys_user_key'),
    )
    op.create_index('ix_idempotency_keys_created_at', 'idempotency_keys', ['created_at'])


def downgrade():
    op.drop_index('ix_idempotency_keys_created_at', table_name='idempotency_keys')
    op.drop_table('idempotency_keys')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('session_epoch')
    op.drop_index('uq_charges_one_per_quote_line', table_name='charges')
    op.drop_index('uq_charges_one_per_booking', table_name='charges')
    with op.batch_alter_table('charges') as batch_op:
        batch_op.drop_constraint(op.f('fk_charges_quote_line_id_quote_lines'), type_='foreignkey')
        batch_op.drop_column('quote_line_id')
    with op.batch_alter_table('bookings') as batch_op:
        batch_op.drop_constraint(
            op.f('fk_bookings_customer_org_id_organisations'), type_='foreignkey'
        )
        batch_op.drop_column('customer_org_id')
    with op.batch_alter_table('instruments') as batch_op:
        batch_op.drop_column('check_in_window_minutes')
