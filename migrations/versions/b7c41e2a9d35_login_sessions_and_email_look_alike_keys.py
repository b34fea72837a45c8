"""login sessions, and look-alike keys of emails

Revision ID: b7c41e2a9d35
Revises: 60fc9ab690bb
Create Date: 2026-11-30 09:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

from lms.auth.emails import look_alike_key


# revision identifiers, used by Alembic.
revision = 'b7c41e2a9d35'
down_revision = '60fc9ab690bb'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_sessions',
    sa.Column('id', sa.String(length=43), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_key', sa.String(length=254), nullable=True))

    # Fill the key of every existing address; two existing look-alikes must be resolved by hand.
    connection = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('email', sa.String),
                     sa.column('email_key', sa.String))
    seen = {}
    for user_id, email in connection.execute(sa.select(users.c.id, users.c.email)).all():
        key = look_alike_key(email)
        if key in seen:
            raise RuntimeError(
                f'users {seen[key]} and {user_id} have look-alike emails; change one first'
            )
        seen[key] = user_id
        connection.execute(users.update().where(users.c.id == user_id).values(email_key=key))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('email_key', existing_type=sa.String(length=254), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_email_key'), ['email_key'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_email_key'), type_='unique')
        batch_op.drop_column('email_key')

    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))

    op.drop_table('login_sessions')
