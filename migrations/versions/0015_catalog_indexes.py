"""The catalog at 50,000 instruments: the default order (name) of the whole catalog and of each
category, the count of what is not retired and the price filter from indexes; on PostgreSQL, an
index of two-character pairs for the words trigrams cannot answer (a two-character Chinese word
such as 电镜 or 质谱, a short abbreviation in the model).

`instrument_search_pairs` lists every pair of neighbouring characters of the folded search text
that holds a non-ASCII character, and every pair of the lower-cased model. A word of two such
characters, or an abbreviation, is then looked up in a GIN index instead of a scan of every
record; the LIKE that follows checks the candidates. SQLite keeps the plain scan.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 20:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# The catalog's default scope (sharing.instruments.models.LISTED, as it was written here).
LISTED = "status <> 'retired'"

# octet_length > 2: at least one character of the pair takes more than one byte in UTF-8.
PAIRS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION instrument_search_pairs(search_text text, model text)
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT pair), '{}') FROM (
        SELECT substr(search_text, i, 2) AS pair
        FROM generate_series(1, length(search_text) - 1) AS i
        WHERE octet_length(substr(search_text, i, 2)) > 2
        UNION
        SELECT substr(lower(model), i, 2)
        FROM generate_series(1, length(model) - 1) AS i
    ) AS pairs
$$
"""


def upgrade():
    listed = sa.text(LISTED)
    op.create_index(
        'ix_instruments_name_id', 'instruments', ['name', 'id'],
        postgresql_where=listed, sqlite_where=listed,
    )
    op.create_index(
        'ix_instruments_category_name', 'instruments', ['category_id', 'name', 'id'],
        postgresql_where=listed, sqlite_where=listed,
    )
    op.create_index('ix_instruments_status', 'instruments', ['status'])
    op.create_index('ix_rates_price', 'rates', ['category', 'unit', 'price', 'instrument_id'])
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(PAIRS_FUNCTION)
    op.execute(
        "CREATE INDEX ix_instruments_search_pairs ON instruments"
        " USING gin (instrument_search_pairs(search_text, model))"
    )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_instruments_search_pairs")
        op.execute("DROP FUNCTION IF EXISTS instrument_search_pairs(text, text)")
    op.drop_index('ix_rates_price', table_name='rates')
    op.drop_index('ix_instruments_status', table_name='instruments')
    op.drop_index('ix_instruments_category_name', table_name='instruments')
    op.drop_index('ix_instruments_name_id', table_name='instruments')
