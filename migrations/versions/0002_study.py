"""Study: the decks each learner studies (with card directions), a version on cards for optimistic
locking, and each review's previous card state for daily limits and statistics.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 18:43:36.952203

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deck_studies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('deck_id', sa.Integer(), nullable=False),
    sa.Column('recognition', sa.Boolean(), nullable=False),
    sa.Column('recall', sa.Boolean(), nullable=False),
    sa.Column('listening', sa.Boolean(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deck_id'], ['decks.id'], name=op.f('fk_deck_studies_deck_id_decks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_deck_studies_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deck_studies')),
    sa.UniqueConstraint('user_id', 'deck_id', name='uq_deck_studies_user_deck')
    )
    with op.batch_alter_table('deck_studies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deck_studies_deck_id'), ['deck_id'], unique=False)

    with op.batch_alter_table('cards', schema=None) as batch_op:
        # Existing cards start at version 1.
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))

    with op.batch_alter_table('review_logs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_state', sa.Integer(), nullable=False, server_default='0'))



def downgrade():
    with op.batch_alter_table('review_logs', schema=None) as batch_op:
        batch_op.drop_column('previous_state')

    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('deck_studies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deck_studies_deck_id'))

    op.drop_table('deck_studies')
