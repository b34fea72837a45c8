"""attendance record versions, for compare-and-set saves of the register

Revision ID: 5d2c8e41a7b3
Revises: f9363812e92f
Create Date: 2026-11-30 09:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d2c8e41a7b3'
down_revision = 'f9363812e92f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attendance_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('attendance_records', schema=None) as batch_op:
        batch_op.drop_column('version')
