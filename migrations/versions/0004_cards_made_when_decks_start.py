"""Cards are made when a deck is started or assigned and when terms are added, no longer while the
review queue is read; and only a deck's owner (or an admin) may assign it to a class.

Data only: assignments of another instructor's private deck are removed, every learner stops
studying decks they can no longer see, and the deck studies and cards that reading the queue used
to create on the fly are created now.

Revision ID: 0004_cards_on_start
Revises: 0003
Create Date: 2026-11-22 10:00:00.000000

"""
import re
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_cards_on_start'
down_revision = '0003'
branch_labels = None
depends_on = None

# Who may see a deck (app.services.decks): built-in, their own, assigned to a class they are in or teach.
VISIBLE = """
    d.builtin = :yes OR d.owner_id = ds.user_id
    OR d.id IN (SELECT da.deck_id FROM deck_assignments da JOIN enrollments e ON e.classroom_id = da.classroom_id
                WHERE e.user_id = ds.user_id)
    OR d.id IN (SELECT da.deck_id FROM deck_assignments da JOIN classrooms c ON c.id = da.classroom_id
                WHERE c.instructor_id = ds.user_id)
"""


def upgrade():
    bind = op.get_bind()
    now = datetime.now(timezone.utc)
    if bind.dialect.name == 'sqlite':
        now = now.replace(tzinfo=None)  # UTCDateTime keeps naive UTC on SQLite
    params = [sa.bindparam('yes', True, type_=sa.Boolean()), sa.bindparam('no', False, type_=sa.Boolean()),
              sa.bindparam('now', now, type_=sa.DateTime(timezone=True))]

    def run(sql):
        bind.execute(sa.text(sql).bindparams(*[p for p in params if re.search(rf':{p.key}\b', sql)]))

    run("""
        DELETE FROM deck_assignments WHERE id IN (
            SELECT da.id FROM deck_assignments da
            JOIN decks d ON d.id = da.deck_id
            JOIN classrooms c ON c.id = da.classroom_id
            JOIN users u ON u.id = c.instructor_id
            WHERE d.builtin = :no AND d.owner_id IS NOT NULL AND d.owner_id <> c.instructor_id
              AND u.role <> 'admin')
    """)
    run(f"""
        DELETE FROM deck_studies WHERE id IN (
            SELECT ds.id FROM deck_studies ds JOIN decks d ON d.id = ds.deck_id WHERE NOT ({VISIBLE}))
    """)
    run("""
        INSERT INTO deck_studies (user_id, deck_id, recognition, recall, listening, started_at)
        SELECT DISTINCT e.user_id, da.deck_id, :yes, :yes, :no, :now
        FROM enrollments e JOIN deck_assignments da ON da.classroom_id = e.classroom_id
        WHERE NOT EXISTS (SELECT 1 FROM deck_studies ds WHERE ds.user_id = e.user_id AND ds.deck_id = da.deck_id)
    """)
    for direction in ('recognition', 'recall', 'listening'):
        run(f"""
            INSERT INTO cards (user_id, term_id, direction, state, step, due, reps, lapses, suspended, created_at,
                               version)
            SELECT ds.user_id, t.id, '{direction}', 1, 0, :now, 0, 0, :no, :now, 1
            FROM deck_studies ds JOIN terms t ON t.deck_id = ds.deck_id
            WHERE ds.{direction} = :yes AND NOT EXISTS (
                SELECT 1 FROM cards c WHERE c.user_id = ds.user_id AND c.term_id = t.id AND c.direction = '{direction}')
        """)


def downgrade():
    pass  # nothing to undo: the rows made are the ones the old code would have made when the queue was read
