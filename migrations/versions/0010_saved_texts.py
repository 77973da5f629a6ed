"""Saved texts: texts learners keep in the reader (with their cached annotation), attached to an
instructor's deck or shared with classes; and cloze cards (a sentence with the word hidden), a
direction a learner may study in any deck.

Revision ID: 0010_saved_texts
Revises: 0009_term_readings_targets
Create Date: 2026-11-22 00:49:12.854539

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_saved_texts'
down_revision = '0009_term_readings_targets'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('deck_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('annotation', sa.JSON(), nullable=True),
    sa.Column('annotation_version', sa.String(length=32), nullable=False),
    sa.Column('word_counts', sa.JSON(), nullable=True),
    sa.Column('hsk_profile', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['deck_id'], ['decks.id'], name=op.f('fk_texts_deck_id_decks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_texts_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_texts'))
    )
    with op.batch_alter_table('texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_texts_deck_id'), ['deck_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_texts_owner_id'), ['owner_id'], unique=False)

    op.create_table('text_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text_id', sa.Integer(), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classrooms.id'], name=op.f('fk_text_shares_classroom_id_classrooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['text_id'], ['texts.id'], name=op.f('fk_text_shares_text_id_texts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_text_shares')),
    sa.UniqueConstraint('text_id', 'classroom_id', name='uq_text_shares_text_classroom')
    )
    with op.batch_alter_table('text_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_text_shares_classroom_id'), ['classroom_id'], unique=False)

    with op.batch_alter_table('deck_studies', schema=None) as batch_op:
        # Existing studies keep the directions they chose.
        batch_op.add_column(sa.Column('cloze', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('deck_studies', schema=None) as batch_op:
        batch_op.drop_column('cloze')

    with op.batch_alter_table('text_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_text_shares_classroom_id'))

    op.drop_table('text_shares')
    with op.batch_alter_table('texts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_texts_owner_id'))
        batch_op.drop_index(batch_op.f('ix_texts_deck_id'))

    op.drop_table('texts')