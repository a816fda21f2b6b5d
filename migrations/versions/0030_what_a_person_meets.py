"""What a person meets: the instruments' pinyin sort key (name_sort), filled from their names,
and the catalog's name-order indexes on it.

Revision ID: 0030
Revises: 0028
Create Date: 2026-12-07 11:00:00

"""
from alembic import op
import sqlalchemy as sa

from sharing.util.pinyin import pinyin_key


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0028'
branch_labels = None
depends_on = None

LISTED = "status <> 'retired'"


def upgrade():
    with op.batch_alter_table('instruments', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('name_sort', sa.String(length=400), server_default='', nullable=False)
        )
    bind = op.get_bind()
    instruments = sa.table('instruments', sa.column('id'), sa.column('name'), sa.column('name_sort'))
    rows = bind.execute(sa.select(instruments.c.id, instruments.c.name)).all()
    if rows:
        bind.execute(
            instruments.update()
            .where(instruments.c.id == sa.bindparam('row_id'))
            .values(name_sort=sa.bindparam('key')),
            [{'row_id': row.id, 'key': pinyin_key(row.name or '')} for row in rows],
        )
    listed = sa.text(LISTED)
    op.create_index(
        'ix_instruments_name_sort_id', 'instruments', ['name_sort', 'id'],
        postgresql_where=listed, sqlite_where=listed,
    )
    op.create_index(
        'ix_instruments_category_name_sort', 'instruments', ['category_id', 'name_sort', 'id'],
        postgresql_where=listed, sqlite_where=listed,
    )


def downgrade():
    op.drop_index('ix_instruments_category_name_sort', table_name='instruments')
    op.drop_index('ix_instruments_name_sort_id', table_name='instruments')
    # Not a batch: rebuilding the instruments table breaks the foreign keys that point at it
    # while SQLite enforces them; SQLite (3.35+) and PostgreSQL drop the column in place.
    op.drop_column('instruments', 'name_sort')
