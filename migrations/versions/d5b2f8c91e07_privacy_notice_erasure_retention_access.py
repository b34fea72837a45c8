"""privacy: the notice once seen, erasure, retention of reflections, and who opened practice

Revision ID: d5b2f8c91e07
Revises: c4e8a1f07d53
Create Date: 2026-11-30 18:00:00.000000

A person's data can be erased on request (the row stays under a pseudonym so that counts and
certificates stay true), reflections are removed after the programme's retention period, the
privacy notice is shown once, and every opening of a trainee's practice by someone else is
recorded for the trainee to see.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd5b2f8c91e07'
down_revision = 'c4e8a1f07d53'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('privacy_notice_seen_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('practice_revisions') as batch_op:
        batch_op.add_column(sa.Column('redacted_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'practice_access',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('viewer_id', sa.Integer(), nullable=True),
        sa.Column('trainee_id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=True),
        sa.Column('what', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['entry_id'], ['practice_entries.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['trainee_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['viewer_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_practice_access_trainee_at', 'practice_access', ['trainee_id', 'at'])
    op.create_index('ix_practice_access_entry_id', 'practice_access', ['entry_id'])


def downgrade():
    op.drop_index('ix_practice_access_entry_id', table_name='practice_access')
    op.drop_index('ix_practice_access_trainee_at', table_name='practice_access')
    op.drop_table('practice_access')
    with op.batch_alter_table('practice_revisions') as batch_op:
        batch_op.drop_column('redacted_at')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('erased_at')
        batch_op.drop_column('privacy_notice_seen_at')
