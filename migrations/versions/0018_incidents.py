"""Incidents: faults and safety issues reported on instruments, and the upkeep log of
maintenance and calibration (with the next due date), for the yearly assessment.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 20:02:54.951650

"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('fault', 'safety', 'maintenance', 'calibration', name='incident_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'resolved', name='incident_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_due_on', sa.Date(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('downtime_id', sa.Integer(), nullable=True),
    sa.Column('due_reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['downtime_id'], ['downtimes.id'], name=op.f('fk_incidents_downtime_id_downtimes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], name=op.f('fk_incidents_instrument_id_instruments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_incidents_reported_by_id_users')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_incidents_resolved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_instrument_id'), ['instrument_id'], unique=False)


def downgrade():
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidents_instrument_id'))

    op.drop_table('incidents')
