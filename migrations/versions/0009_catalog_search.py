"""Catalog search: folded search columns on instruments, filled for every existing record; on
PostgreSQL, trigram indexes so that a search stays fast at 50,000 instruments.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 17:00:00

"""
from alembic import op
import sqlalchemy as sa

from sharing.instruments.search import search_columns


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

SEARCHED = ('search_name', 'search_text')


def upgrade():
    with op.batch_alter_table('instruments') as batch_op:
        for column in SEARCHED:
            batch_op.add_column(sa.Column(column, sa.Text(), server_default='', nullable=False))
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT instruments.id, instruments.name, instruments.name_en, instruments.model,"
        " instruments.manufacturer, instruments.specifications, categories.name, categories.name_en"
        " FROM instruments JOIN categories ON categories.id = instruments.category_id"
    )).all()
    update = sa.text("UPDATE instruments SET search_name = :name, search_text = :text WHERE id = :id")
    for row in rows:
        name, text = search_columns(*(value or "" for value in row[1:6]), (row[6], row[7]))
        connection.execute(update, {"name": name, "text": text, "id": row[0]})
    if connection.dialect.name == 'postgresql':
        # Trusted since PostgreSQL 13: the database's owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in SEARCHED:
            op.execute(
                f"CREATE INDEX ix_instruments_{column}_trgm ON instruments"
                f" USING gin ({column} gin_trgm_ops)"
            )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for column in SEARCHED:
            op.execute(f"DROP INDEX IF EXISTS ix_instruments_{column}_trgm")
    with op.batch_alter_table('instruments') as batch_op:
        for column in reversed(SEARCHED):
            batch_op.drop_column(column)
