"""Achievements: papers, patents (invention patents marked), awards, standards and major research
tasks with the instruments they used, confirmed by those instruments' managers.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 20:05:53.588103

"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('achievements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('paper', 'patent', 'award', 'standard', 'major_task', name='achievement_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('invention', sa.Boolean(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('claimed', 'confirmed', 'rejected', name='achievement_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('year >= 1950 AND year <= 2100', name=op.f('ck_achievements_year_range')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_achievements_added_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_achievements_decided_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_achievements_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_achievements'))
    )
    with op.batch_alter_table('achievements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_achievements_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_achievements_year'), ['year'], unique=False)
        batch_op.create_index('uq_achievements_reference', ['organisation_id', 'kind', 'reference'], unique=True, postgresql_where=sa.text("reference <> ''"), sqlite_where=sa.text("reference <> ''"))

    op.create_table('achievement_instruments',
    sa.Column('achievement_id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['achievement_id'], ['achievements.id'], name=op.f('fk_achievement_instruments_achievement_id_achievements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], name=op.f('fk_achievement_instruments_instrument_id_instruments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('achievement_id', 'instrument_id', name=op.f('pk_achievement_instruments'))
    )
    with op.batch_alter_table('achievement_instruments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_achievement_instruments_instrument_id'), ['instrument_id'], unique=False)


def downgrade():
    with op.batch_alter_table('achievement_instruments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_achievement_instruments_instrument_id'))

    op.drop_table('achievement_instruments')
    with op.batch_alter_table('achievements', schema=None) as batch_op:
        batch_op.drop_index('uq_achievements_reference', postgresql_where=sa.text("reference <> ''"), sqlite_where=sa.text("reference <> ''"))
        batch_op.drop_index(batch_op.f('ix_achievements_year'))
        batch_op.drop_index(batch_op.f('ix_achievements_organisation_id'))

    op.drop_table('achievements')
