"""review_logs: the (user, time) index also carries card, rating and state before, so the queries that
count a learner's recent reviews (class page, progress page, today's limits) read the index alone.
It replaces ix_review_logs_user_reviewed_at, whose columns are its first two.

Revision ID: 0012_review_logs_covering_index
Revises: 0011_learner_daily_loop
Create Date: 2026-11-22 10:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012_review_logs_covering_index'
down_revision = '0011_learner_daily_loop'
branch_labels = None
depends_on = None

COLUMNS = ['user_id', 'reviewed_at', 'card_id', 'rating', 'previous_state']


def upgrade():
    op.create_index('ix_review_logs_user_time_covering', 'review_logs', COLUMNS, unique=False)
    op.drop_index('ix_review_logs_user_reviewed_at', table_name='review_logs')


def downgrade():
    op.create_index('ix_review_logs_user_reviewed_at', 'review_logs', ['user_id', 'reviewed_at'], unique=False)
    op.drop_index('ix_review_logs_user_time_covering', table_name='review_logs')
