"""funder report: signed-off practice per cohort, set of client groups, group and month, kept by triggers

Revision ID: b7d4e2a1c9f3
Revises: c4d8e2f6a1b3
Create Date: 2026-11-30 23:50:00.000000

The funder report over every cohort grouped 285,000 signed-off revisions into 165,000 clients
at each request (about 250 ms of 800 over 100,000 trainees). ``practice_client_sets`` holds,
per cohort and per set of client groups a client was seen in, the clients and their minutes:
6,000-40,000 rows from which the report derives every figure it showed, whichever groups the
programme files call refugee or child now. ``practice_group_minutes`` and
``practice_month_minutes`` hold each cohort's minutes per client group and per month (the first
day of the month), which the report summed from every revision too (about 50 ms).

The rows are kept by triggers on ``practice_revisions``, so that no write can leave them stale:
the ORM, Core bulk updates, erasure's new client keys, and the cascades from deleted entries,
cohorts and people all go through them. Each trigger recounts the cohorts the write touched
(old and new cohort) from their live signed-off revisions: tens to hundreds of rows.
On PostgreSQL the triggers run once per statement, with the rows it changed (transition
tables), and lock the recounted cohorts' rows so that two transactions recount one cohort in
turn (each sees the other's revisions once it has committed); on SQLite, which has triggers per
row only, per changed row that was or is signed off. A set is its groups' slugs sorted (bytes)
and joined by a space (slugs are a-z, 0-9 and '-'): string_agg with ORDER BY on PostgreSQL, and
on SQLite 3.40, whose group_concat takes no ORDER BY, group_concat over a window ordered by the
group, where every row of a client's partition gets the whole ordered list.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7d4e2a1c9f3'
down_revision = 'c4d8e2f6a1b3'
branch_labels = None
depends_on = None

TABLES = ('practice_client_sets', 'practice_group_minutes', 'practice_month_minutes')
APPROVED = "FROM practice_revisions WHERE status = 'approved' AND {cohorts}"
#: the sums per client and group that both databases start from; {cohorts} is the condition
PER_GROUP = (
    f"SELECT cohort_id, client_key, client_group, sum(minutes) AS minutes {APPROVED}"
    " GROUP BY cohort_id, client_key, client_group"
)
GROUP_MINUTES = (
    "INSERT INTO practice_group_minutes (cohort_id, client_group, minutes)"
    f" SELECT cohort_id, client_group, sum(minutes) {APPROVED} GROUP BY cohort_id, client_group"
)
#: month arithmetic differs: the first day of the revision's month
MONTH = {
    'postgresql': "CAST(date_trunc('month', practised_on) AS date)",
    'sqlite': "date(practised_on, 'start of month')",
}
#: the statements that count the cohorts meeting {cohorts} afresh, per database
RECOUNT = {
    'postgresql': (
        "INSERT INTO practice_client_sets (cohort_id, client_groups, clients, minutes)"
        " SELECT cohort_id, client_groups, count(*), sum(minutes) FROM ("
        "  SELECT cohort_id, client_key,"
        "   string_agg(client_group, ' ' ORDER BY client_group COLLATE \"C\") AS client_groups,"
        "   sum(minutes) AS minutes"
        f"  FROM ({PER_GROUP}) AS per_group GROUP BY cohort_id, client_key"
        " ) AS per_client GROUP BY cohort_id, client_groups",
        GROUP_MINUTES,
    ),
    'sqlite': (
        "INSERT INTO practice_client_sets (cohort_id, client_groups, clients, minutes)"
        " SELECT cohort_id, client_groups, count(*), sum(minutes) FROM ("
        "  SELECT cohort_id, client_key, max(client_groups) AS client_groups,"
        "   sum(minutes) AS minutes FROM ("
        "   SELECT cohort_id, client_key, minutes, group_concat(client_group, ' ') OVER ("
        "    PARTITION BY cohort_id, client_key ORDER BY client_group"
        "    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS client_groups"
        f"   FROM ({PER_GROUP}) AS per_group"
        "  ) AS ordered GROUP BY cohort_id, client_key"
        " ) AS per_client GROUP BY cohort_id, client_groups",
        GROUP_MINUTES,
    ),
}
for _dialect, _month in MONTH.items():
    RECOUNT[_dialect] += (
        "INSERT INTO practice_month_minutes (cohort_id, month, minutes)"
        f" SELECT cohort_id, {_month} AS month, sum(minutes) {APPROVED}"
        " GROUP BY cohort_id, month",
    )


def _recount(dialect: str, cohorts: str, delete: str) -> str:
    """The statements (separated and ended by ';') that delete the rows of the cohorts named
    by ``delete`` and count them afresh."""
    statements = [f"DELETE FROM {table} WHERE cohort_id {delete}" for table in TABLES]
    statements += [insert.format(cohorts=cohorts) for insert in RECOUNT[dialect]]
    return "".join(f" {statement};" for statement in statements)


#: what a signed-off revision counts by: a change to another column changes no figure
COUNTED = ('status', 'cohort_id', 'client_key', 'client_group', 'minutes', 'practised_on')

POSTGRESQL_RECOUNT = f"""
CREATE FUNCTION practice_kept_recount(recounted integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(recounted) = 0 THEN
        RETURN;
    END IF;
    -- one transaction at a time recounts a cohort; the next one waits and then sees its rows
    PERFORM 1 FROM cohorts WHERE id = ANY (recounted) ORDER BY id FOR NO KEY UPDATE;
   {_recount('postgresql', 'cohort_id = ANY (recounted)', '= ANY (recounted)')}
END
$$"""
_CHANGED = " OR ".join(f"o.{column} IS DISTINCT FROM n.{column}" for column in COUNTED)
#: (trigger, event, transition tables, the cohorts to recount)
POSTGRESQL_TRIGGERS = (
    (
        'practice_kept_insert', 'INSERT', 'NEW TABLE AS new_revisions',
        "SELECT DISTINCT cohort_id FROM new_revisions WHERE status = 'approved'",
    ),
    (
        'practice_kept_delete', 'DELETE', 'OLD TABLE AS old_revisions',
        "SELECT DISTINCT cohort_id FROM old_revisions WHERE status = 'approved'",
    ),
    (
        'practice_kept_update', 'UPDATE',
        'OLD TABLE AS old_revisions NEW TABLE AS new_revisions',
        "SELECT DISTINCT unnest(ARRAY[o.cohort_id, n.cohort_id])"
        " FROM old_revisions AS o JOIN new_revisions AS n ON n.id = o.id"
        f" WHERE (o.status = 'approved' OR n.status = 'approved') AND ({_CHANGED})",
    ),
)

_CHANGED_ROW = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in COUNTED)
#: (trigger, event, when, the cohorts to recount)
SQLITE_TRIGGERS = (
    ('practice_kept_insert', 'INSERT', "NEW.status = 'approved'", 'NEW.cohort_id'),
    ('practice_kept_delete', 'DELETE', "OLD.status = 'approved'", 'OLD.cohort_id'),
    (
        'practice_kept_update', 'UPDATE',
        f"(OLD.status = 'approved' OR NEW.status = 'approved') AND ({_CHANGED_ROW})",
        'OLD.cohort_id, NEW.cohort_id',
    ),
)


def _create_triggers(dialect: str) -> None:
    if dialect == 'postgresql':
        op.execute(POSTGRESQL_RECOUNT)
        for name, event, tables, cohorts in POSTGRESQL_TRIGGERS:
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                f" PERFORM practice_kept_recount(ARRAY({cohorts}));"
                " RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON practice_revisions"
                f" REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
        return
    for name, event, when, cohorts in SQLITE_TRIGGERS:
        recount = _recount('sqlite', f'cohort_id IN ({cohorts})', f'IN ({cohorts})')
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON practice_revisions WHEN {when}"
            f" BEGIN{recount} END"
        )


def upgrade():
    op.create_table(
        'practice_client_sets',
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('client_groups', sa.Text(), nullable=False),
        sa.Column('clients', sa.Integer(), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('cohort_id', 'client_groups', name=op.f('pk_practice_client_sets')),
    )
    op.create_table(
        'practice_group_minutes',
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('client_group', sa.String(length=40), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            'cohort_id', 'client_group', name=op.f('pk_practice_group_minutes')
        ),
    )
    op.create_table(
        'practice_month_minutes',
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('cohort_id', 'month', name=op.f('pk_practice_month_minutes')),
    )
    dialect = op.get_bind().dialect.name
    for insert in RECOUNT[dialect]:
        op.execute(insert.format(cohorts='1 = 1'))
    _create_triggers(dialect)


def downgrade():
    dialect = op.get_bind().dialect.name
    for name, *_ in POSTGRESQL_TRIGGERS if dialect == 'postgresql' else SQLITE_TRIGGERS:
        if dialect == 'postgresql':
            op.execute(f'DROP TRIGGER {name} ON practice_revisions')
            op.execute(f'DROP FUNCTION {name}()')
        else:
            op.execute(f'DROP TRIGGER {name}')
    if dialect == 'postgresql':
        op.execute('DROP FUNCTION practice_kept_recount(integer[])')
    for table in reversed(TABLES):
        op.drop_table(table)
