"""Instrument photos: re-encoded files with thumbnails, named by a random stored name.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 19:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'instrument_photos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instrument_id', sa.Integer(), nullable=False),
        sa.Column('stored_name', sa.String(length=40), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['instrument_id'], ['instruments.id'],
            name=op.f('fk_instrument_photos_instrument_id_instruments'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['uploaded_by_id'], ['users.id'],
            name=op.f('fk_instrument_photos_uploaded_by_id_users'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument_photos')),
        sa.UniqueConstraint('stored_name', name=op.f('uq_instrument_photos_stored_name')),
    )
    op.create_index(
        op.f('ix_instrument_photos_instrument_id'), 'instrument_photos', ['instrument_id']
    )


def downgrade():
    op.drop_table('instrument_photos')
