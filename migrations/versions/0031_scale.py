"""The district at ten times its size (issue 36): a month's statements, the revenue and spend
reports and the receivables read the month's charges from an index holding the month, both
organisations and the amount, instead of scanning every charge of three years.

Revision ID: 0031
Revises: 0032
Create Date: 2026-12-07 11:00:00

"""
from alembic import op


revision = '0031'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_charges_month_orgs',
        'charges',
        ['month', 'customer_org_id', 'owner_org_id', 'amount'],
    )


def downgrade():
    op.drop_index('ix_charges_month_orgs', table_name='charges')
