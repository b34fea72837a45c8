"""certificates keep the programme's and each hour line's title in every interface language

Revision ID: c4e8a1f07d53
Revises: a7c3e5f19b42
Create Date: 2026-11-30 12:00:00.000000

A certificate printed in Ukrainian was shown with its Ukrainian hour lines to every reader of
/verify. The titles in every language are now recorded at issue. Certificates issued before are
filled in from the programme files as they are now; a line whose category is gone keeps only
its printed title, and a programme whose file is gone is left for the page to name.
"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

# revision identifiers, used by Alembic.
revision = 'c4e8a1f07d53'
down_revision = 'a7c3e5f19b42'
branch_labels = None
depends_on = None

certificates = sa.table(
    'certificates',
    sa.column('id', sa.Integer),
    sa.column('programme_slug', sa.String),
    sa.column('earned_in', sa.String),
    sa.column('language', sa.String),
    sa.column('hours', sa.JSON),
    sa.column('programme_titles', sa.JSON),
)


def _programmes():
    """The programme files as loaded by the app running the migration, if it loads them."""
    cache = current_app.extensions.get('tugi_programmes')
    try:
        return cache.get() if cache is not None else None
    except Exception:  # a content folder that does not load: the pages fall back
        return None


def _backfill(connection, programmes) -> None:
    languages = list(current_app.config.get('LANGUAGES') or ['en'])
    for row in connection.execute(sa.select(certificates)).all():
        certified = programmes.get(row.programme_slug) if programmes else None
        earned_in = programmes.get(row.earned_in) if programmes else None
        lines = []
        for line in row.hours or []:
            category = earned_in.category(line['slug']) if earned_in else None
            titles = (
                {code: category.title_for(code) for code in languages}
                if category is not None
                else {}
            )
            titles[row.language] = line['title']  # what was printed stays what it says
            lines.append({**line, 'titles': titles})
        titles = (
            {code: certified.title_for(code) for code in languages} if certified else None
        )
        connection.execute(
            certificates.update()
            .where(certificates.c.id == row.id)
            .values(hours=lines, programme_titles=titles)
        )


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('programme_titles', sa.JSON(), nullable=True))
    _backfill(op.get_bind(), _programmes())


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('programme_titles')
