"""issuer keys in the database, and the issuing organisation

Revision ID: b7c41e9d2a15
Revises: b7c41e2a9d35
Create Date: 2026-11-30 09:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c41e9d2a15'
down_revision = 'b7c41e2a9d35'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('issuer_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('public_pem', sa.Text(), nullable=False),
    sa.Column('private_key', sa.Text(), nullable=False),
    sa.Column('active', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('active = 1', name=op.f('ck_issuer_keys_active_is_one')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issuer_keys')),
    sa.UniqueConstraint('active', name=op.f('uq_issuer_keys_active')),
    sa.UniqueConstraint('kid', name=op.f('uq_issuer_keys_kid'))
    )
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('second_language', sa.String(length=8), nullable=False),
    sa.Column('logo', sa.LargeBinary(), nullable=True),
    sa.Column('logo_type', sa.String(length=20), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_organisation_one_row')),
    sa.CheckConstraint("logo_type IS NULL OR logo_type IN ('image/png', 'image/jpeg')", name=op.f('ck_organisation_logo_type_known')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_organisation_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation'))
    )


def downgrade():
    op.drop_table('organisation')
    op.drop_table('issuer_keys')
