"""funder report: signed-off practice read from indexes alone

Revision ID: e3a9c6d41f28
Revises: d5b2f8c91e07
Create Date: 2026-11-30 18:55:00.000000

The funder report sums every signed-off revision by cohort, client and day. Over 100,000
trainees (285,000 signed-off revisions) reading them from a partial index that holds every
column it needs, and the entries' cohorts from an index on (id, cohort_id), replaces two scans
of the tables and a hash join by index-only scans and a merge join.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e3a9c6d41f28'
down_revision = 'd5b2f8c91e07'
branch_labels = None
depends_on = None

APPROVED = sa.text("status = 'approved'")


def upgrade():
    op.create_index(
        'ix_practice_revisions_approved_report',
        'practice_revisions',
        ['entry_id', 'practised_on', 'minutes', 'client_key', 'client_group'],
        sqlite_where=APPROVED,
        postgresql_where=APPROVED,
    )
    op.create_index('ix_practice_entries_id_cohort', 'practice_entries', ['id', 'cohort_id'])


def downgrade():
    op.drop_index('ix_practice_entries_id_cohort', table_name='practice_entries')
    op.drop_index('ix_practice_revisions_approved_report', table_name='practice_revisions')
