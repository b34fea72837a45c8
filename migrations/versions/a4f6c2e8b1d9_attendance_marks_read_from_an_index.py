"""attendance: every trainee's marks read from an index alone

Revision ID: a4f6c2e8b1d9
Revises: b7d4e2a1c9f3
Create Date: 2026-12-02 09:30:00.000000

Ledgers sum each enrolled trainee's credited minutes by session. An index on (user_id,
session_id, credited_minutes) holds all of it, so the marks are no longer looked up row by row in
the table; it takes the place of the index on user_id alone, which it serves as well.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a4f6c2e8b1d9'
down_revision = 'b7d4e2a1c9f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_attendance_records_user_marks',
        'attendance_records',
        ['user_id', 'session_id', 'credited_minutes'],
    )
    op.drop_index('ix_attendance_records_user_id', table_name='attendance_records')


def downgrade():
    op.create_index('ix_attendance_records_user_id', 'attendance_records', ['user_id'])
    op.drop_index('ix_attendance_records_user_marks', table_name='attendance_records')
