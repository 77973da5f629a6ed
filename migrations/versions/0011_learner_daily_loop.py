"""The learner's daily loop: deck priorities and per-deck new-card limits, "study more today", the voice
setting, toneless pinyin for the card browser's search, learners' own notes, and the undo history
(study_actions).

Revision ID: 0011_learner_daily_loop
Revises: 0010_saved_texts
Create Date: 2026-11-23 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_learner_daily_loop'
down_revision = '0010_saved_texts'
branch_labels = None
depends_on = None


def upgrade():
    from vocab.syllables import toneless_pinyin  # the one rule for searchable pinyin

    # deck_studies has no children, so a batch (a rebuild on SQLite, to add the checks) loses nothing.
    with op.batch_alter_table('deck_studies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.Integer(), nullable=False, server_default='3'))
        batch_op.add_column(sa.Column('new_per_day', sa.Integer(), nullable=True))
        batch_op.create_check_constraint('priority', 'priority >= 1 AND priority <= 5')
        batch_op.create_check_constraint('new_per_day', 'new_per_day >= 0')

    # users and terms have children (ON DELETE CASCADE): plain ADD COLUMN, never a rebuild.
    op.add_column('users', sa.Column('voice', sa.String(length=16), nullable=False, server_default='browser'))
    op.add_column('users', sa.Column('more_new_cards', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('users', sa.Column('more_reviews', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('users', sa.Column('review_ahead_days', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('users', sa.Column('more_until', sa.DateTime(timezone=True), nullable=True))
    op.add_column('terms', sa.Column('pinyin_plain', sa.String(length=200), nullable=False, server_default=''))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, pinyin FROM terms WHERE pinyin <> ''")).all()
    for term_id, pinyin in rows:
        bind.execute(sa.text('UPDATE terms SET pinyin_plain = :p WHERE id = :id'),
                     {'p': toneless_pinyin(pinyin), 'id': term_id})

    op.create_table('learner_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_learner_notes_term_id_terms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_learner_notes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learner_notes')),
    sa.UniqueConstraint('user_id', 'term_id', name='uq_learner_notes_user_term')
    )
    with op.batch_alter_table('learner_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learner_notes_term_id'), ['term_id'], unique=False)

    op.create_table('study_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('review_log_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_study_actions_card_id_cards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_log_id'], ['review_logs.id'], name=op.f('fk_study_actions_review_log_id_review_logs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_study_actions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_actions'))
    )
    with op.batch_alter_table('study_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_study_actions_card_id'), ['card_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_study_actions_review_log_id'), ['review_log_id'], unique=False)
        batch_op.create_index('ix_study_actions_user_id_id', ['user_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('study_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_study_actions_user_id_id')
        batch_op.drop_index(batch_op.f('ix_study_actions_review_log_id'))
        batch_op.drop_index(batch_op.f('ix_study_actions_card_id'))
    op.drop_table('study_actions')
    with op.batch_alter_table('learner_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learner_notes_term_id'))
    op.drop_table('learner_notes')
    op.drop_column('terms', 'pinyin_plain')
    for column in ('more_until', 'review_ahead_days', 'more_reviews', 'more_new_cards', 'voice'):
        op.drop_column('users', column)
    with op.batch_alter_table('deck_studies', schema=None) as batch_op:
        batch_op.drop_constraint('new_per_day', type_='check')
        batch_op.drop_constraint('priority', type_='check')
        batch_op.drop_column('new_per_day')
        batch_op.drop_column('priority')
