"""Operations: the mail outbox, the record of background job runs, and uploaded files kept in
the database (stored_files). The result files and photos that were on this server's disk
(instance/results, instance/photos) are moved in; a downgrade writes them back out.

Revision ID: 0028
Revises: 0031
Create Date: 2026-12-07 10:40:00

"""
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from flask import current_app

# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0031'
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _instance() -> Path:
    return Path(current_app.instance_path)


def _files_on_disk(connection):
    """(key, folder path, content type) of every upload the records name."""
    results = connection.execute(sa.text("SELECT stored_name, content_type FROM result_files"))
    for stored_name, content_type in results:
        yield f"results/{stored_name}", _instance() / "results" / stored_name, content_type
    photos = connection.execute(sa.text("SELECT stored_name FROM instrument_photos"))
    for (stored_name,) in photos:
        for name in (f"{stored_name}.jpg", f"{stored_name}-thumb.jpg"):
            yield f"photos/{name}", _instance() / "photos" / name, "image/jpeg"


def upgrade():
    op.create_table('outbox_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', TZ, nullable=False),
    sa.Column('sent_at', TZ, nullable=True),
    sa.Column('next_attempt_at', TZ, nullable=True),
    sa.Column('leased_by', sa.String(length=120), nullable=True),
    sa.Column('lease_until', TZ, nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name=op.f('ck_outbox_mails_known_status')),
    sa.CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name=op.f('ck_outbox_mails_sent_when_sent')),
    sa.CheckConstraint("(status = 'pending') = (next_attempt_at IS NOT NULL)", name=op.f('ck_outbox_mails_pending_has_next')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_mails'))
    )
    op.create_index('ix_outbox_mails_due', 'outbox_mails', ['status', 'next_attempt_at'], unique=False)
    op.create_table('job_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sa.String(length=60), nullable=False),
    sa.Column('runner', sa.String(length=120), nullable=False),
    sa.Column('started_at', TZ, nullable=False),
    sa.Column('finished_at', TZ, nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs'))
    )
    op.create_index('ix_job_runs_job_started', 'job_runs', ['job', 'started_at'], unique=False)
    op.create_table('job_run_totals',
    sa.Column('job', sa.String(length=60), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('runs', sa.BigInteger(), nullable=False),
    sa.Column('last_at', TZ, nullable=False),
    sa.PrimaryKeyConstraint('job', 'outcome', name=op.f('pk_job_run_totals'))
    )
    stored = op.create_table('stored_files',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', TZ, nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_stored_files'))
    )
    connection = op.get_bind()
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    if connection.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    for key, path, content_type in list(_files_on_disk(connection)):
        if not path.exists():
            continue  # a record whose file was already lost: nothing to move
        data = path.read_bytes()
        connection.execute(
            stored.insert().values(key=key, content_type=content_type, size=len(data), data=data, created_at=now)
        )
    # The files stay on disk until an operator removes them (docs/deploy.md): a downgrade or
    # a second look needs nothing restored.


def downgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT key, data FROM stored_files"))
    for key, data in rows:
        kind, _, name = key.partition("/")
        folder = _instance() / kind
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / name).exists():
            (folder / name).write_bytes(data)
    op.drop_table('stored_files')
    op.drop_table('job_run_totals')
    op.drop_index('ix_job_runs_job_started', table_name='job_runs')
    op.drop_table('job_runs')
    op.drop_index('ix_outbox_mails_due', table_name='outbox_mails')
    op.drop_table('outbox_mails')
