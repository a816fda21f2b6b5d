"""Training and qualifications: requests from asking to the decision, qualifications that
expire, and each instrument's qualification period.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 17:30:00

"""
from alembic import op
import sqlalchemy as sa



revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OPEN_SQL = "status IN ('requested', 'scheduled')"


def upgrade():
    with op.batch_alter_table('instruments') as batch_op:
        batch_op.add_column(
            sa.Column('qualification_months', sa.Integer(), server_default='12', nullable=False)
        )
    with op.batch_alter_table('qualified_users') as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'training_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instrument_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column(
            'status',
            sa.Enum(
                'requested', 'scheduled', 'granted', 'declined',
                name='training_status', native_enum=False, create_constraint=True, length=20,
            ),
            nullable=False,
        ),
        sa.Column('booking_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['instrument_id'], ['instruments.id'],
            name=op.f('fk_training_requests_instrument_id_instruments'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_training_requests_user_id_users')
        ),
        sa.ForeignKeyConstraint(
            ['booking_id'], ['bookings.id'], name=op.f('fk_training_requests_booking_id_bookings')
        ),
        sa.ForeignKeyConstraint(
            ['decided_by_id'], ['users.id'],
            name=op.f('fk_training_requests_decided_by_id_users'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_training_requests')),
    )
    op.create_index(
        op.f('ix_training_requests_instrument_id'), 'training_requests', ['instrument_id']
    )
    op.create_index(op.f('ix_training_requests_user_id'), 'training_requests', ['user_id'])
    op.create_index(
        'uq_training_requests_open', 'training_requests', ['instrument_id', 'user_id'],
        unique=True, sqlite_where=sa.text(OPEN_SQL), postgresql_where=sa.text(OPEN_SQL),
    )


def downgrade():
    op.drop_table('training_requests')
    with op.batch_alter_table('qualified_users') as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('instruments') as batch_op:
        batch_op.drop_column('qualification_months')
