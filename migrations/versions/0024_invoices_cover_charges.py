"""Invoices cover charges, not months: each charge names the invoice that covers it, so a
charge recorded in a month after its invoice is owed until a second invoice covers it (the
key one invoice per provider, customer and month goes). Existing invoices cover the charges
of their key that existed when they were issued. Milestone and contract amounts are above
zero; a need's meetings are recorded under the action `meeting` (api.md).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 06:19:35.315043

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('charges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoice_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_charges_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_charges_invoice_id_invoices'), 'invoices', ['invoice_id'], ['id'])

    # What each invoice covered when it was issued: its key's charges made before it.
    op.execute(
        """
        UPDATE charges SET invoice_id = (
            SELECT invoices.id FROM invoices
            WHERE invoices.provider_org_id = charges.owner_org_id
              AND invoices.customer_org_id = charges.customer_org_id
              AND invoices.month = charges.month
              AND charges.created_at <= invoices.created_at
        )
        WHERE charges.owner_org_id IS NOT NULL
        """
    )

    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_invoices_month'), type_='unique')

    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_milestones_amount_not_negative'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_milestones_amount_above_zero'), 'amount > 0')

    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_challenges_contract_not_negative'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_challenges_contract_above_zero'),
            'contract_amount IS NULL OR contract_amount > 0',
        )

    op.execute("UPDATE need_events SET action = 'meeting' WHERE action = 'meet'")


def downgrade():
    op.execute("UPDATE need_events SET action = 'meet' WHERE action = 'meeting'")

    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_challenges_contract_above_zero'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_challenges_contract_not_negative'),
            'contract_amount IS NULL OR contract_amount >= 0',
        )

    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_milestones_amount_above_zero'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_milestones_amount_not_negative'), 'amount >= 0')

    # The old key holds one invoice per provider, customer and month: a month invoiced twice
    # goes back as its first invoice for the sum of both, paid when both were.
    op.execute("UPDATE charges SET invoice_id = NULL")
    same_key = (
        "i2.provider_org_id = invoices.provider_org_id"
        " AND i2.customer_org_id = invoices.customer_org_id AND i2.month = invoices.month"
    )
    op.execute(
        f"""
        UPDATE invoices SET
            amount = (SELECT SUM(i2.amount) FROM invoices i2 WHERE {same_key}),
            paid_on = CASE
                WHEN EXISTS (SELECT 1 FROM invoices i2 WHERE {same_key} AND i2.paid_on IS NULL)
                THEN NULL
                ELSE (SELECT MAX(i2.paid_on) FROM invoices i2 WHERE {same_key})
            END
        WHERE invoices.id = (SELECT MIN(i2.id) FROM invoices i2 WHERE {same_key})
        """
    )
    op.execute(f"DELETE FROM invoices WHERE id <> (SELECT MIN(i2.id) FROM invoices i2 WHERE {same_key})")

    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_invoices_month'), ['provider_org_id', 'customer_org_id', 'month'])

    with op.batch_alter_table('charges', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_charges_invoice_id_invoices'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_charges_invoice_id'))
        batch_op.drop_column('invoice_id')
