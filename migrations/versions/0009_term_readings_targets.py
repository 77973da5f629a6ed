"""A word may be in a deck with two readings (unique per deck, characters and reading); assignments
get an optional due date and daily target of new words.

Revision ID: 0009_term_readings_targets
Revises: 0008_scheduler_fits
Create Date: 2026-11-22 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_term_readings_targets'
down_revision = '0008_scheduler_fits'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('terms', schema=None) as batch_op:
        batch_op.drop_constraint('uq_terms_deck_simplified', type_='unique')
        batch_op.create_unique_constraint('uq_terms_deck_simplified_pinyin', ['deck_id', 'simplified', 'pinyin'])
    with op.batch_alter_table('deck_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('daily_new', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('deck_assignments', schema=None) as batch_op:
        batch_op.drop_column('daily_new')
        batch_op.drop_column('due_on')
    # Fails if a deck holds a word twice (two readings): remove one first.
    with op.batch_alter_table('terms', schema=None) as batch_op:
        batch_op.drop_constraint('uq_terms_deck_simplified_pinyin', type_='unique')
        batch_op.create_unique_constraint('uq_terms_deck_simplified', ['deck_id', 'simplified'])
