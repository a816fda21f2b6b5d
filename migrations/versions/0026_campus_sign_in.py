"""Campus sign-in (统一身份认证): each organisation's CAS or OpenID Connect server with its
e-mail domains, the people's identities at those servers, and names for API tokens.

Revision ID: 0026
Revises: 0024
Create Date: 2026-12-10 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_servers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('protocol', sa.Enum('cas', 'oidc', name='sign_in_protocol', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('server_url', sa.String(length=500), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('client_secret_sealed', sa.Text(), nullable=False),
    sa.Column('default_role', sa.Enum('researcher', 'enterprise', name='sign_in_default_role', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(protocol = 'cas' AND server_url <> '') OR (protocol = 'oidc' AND issuer <> '' AND client_id <> '')", name=op.f('ck_sign_in_servers_protocol_settings')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_sign_in_servers_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_servers')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_sign_in_servers_organisation_id'))
    )
    op.create_table('sign_in_domains',
    sa.Column('domain', sa.String(length=253), nullable=False),
    sa.Column('server_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['server_id'], ['sign_in_servers.id'], name=op.f('fk_sign_in_domains_server_id_sign_in_servers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('domain', name=op.f('pk_sign_in_domains'))
    )
    with op.batch_alter_table('sign_in_domains', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_domains_server_id'), ['server_id'], unique=False)

    op.create_table('external_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('protocol', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_external_identities_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_external_identities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_identities')),
    sa.UniqueConstraint('organisation_id', 'subject', name='uq_external_identities_subject')
    )
    with op.batch_alter_table('external_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_identities_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label', sa.String(length=80), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('label')

    with op.batch_alter_table('external_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_identities_user_id'))
    op.drop_table('external_identities')
    with op.batch_alter_table('sign_in_domains', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_domains_server_id'))
    op.drop_table('sign_in_domains')
    op.drop_table('sign_in_servers')
