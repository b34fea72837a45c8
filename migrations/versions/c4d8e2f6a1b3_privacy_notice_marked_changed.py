"""privacy notice: when a coordinator last marked it as changed

Revision ID: c4d8e2f6a1b3
Revises: f1c7b3a9d2e4
Create Date: 2026-11-30 23:55:00.000000

A person who read the notice before this moment is shown it again at their next login.
Nullable: never marked, nobody is shown it again. Adding a nullable column copies no table.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4d8e2f6a1b3'
down_revision = 'f1c7b3a9d2e4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation') as batch_op:
        batch_op.add_column(sa.Column('notice_changed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('organisation') as batch_op:
        batch_op.drop_column('notice_changed_at')
