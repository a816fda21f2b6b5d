"""The national register's fields on instruments: category code, source, country of origin,
share mode and purchase date (reported yearly for instruments of 500,000 yuan or more).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 19:56:50.910316

"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('instruments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('national_code', sa.String(length=8), server_default='', nullable=False))
        batch_op.add_column(sa.Column('source', sa.Enum('purchased', 'donated', 'self_made', name='instrument_source', native_enum=False, create_constraint=True, length=20), nullable=True))
        batch_op.add_column(sa.Column('country_of_origin', sa.String(length=2), server_default='', nullable=False))
        batch_op.add_column(sa.Column('share_mode', sa.Enum('open', 'internal', 'none', name='share_mode', native_enum=False, create_constraint=True, length=20), server_default='open', nullable=False))
        batch_op.add_column(sa.Column('purchased_on', sa.Date(), nullable=True))



def downgrade():
    with op.batch_alter_table('instruments', schema=None) as batch_op:
        # The enums' checks first: SQLite keeps a check that names a dropped column.
        batch_op.drop_constraint(op.f('ck_instruments_share_mode'), type_='check')
        batch_op.drop_constraint(op.f('ck_instruments_instrument_source'), type_='check')
        batch_op.drop_column('purchased_on')
        batch_op.drop_column('share_mode')
        batch_op.drop_column('country_of_origin')
        batch_op.drop_column('source')
        batch_op.drop_column('national_code')

