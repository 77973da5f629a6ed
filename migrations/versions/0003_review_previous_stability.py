"""Progress page: each review's card stability before the review, so true retention can be split into
young (< 21 days) and mature cards in SQL. Existing reviews take it from their state_before snapshot.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 19:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('review_logs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_stability', sa.Double(), nullable=True))

    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE review_logs SET previous_stability = (state_before ->> 'stability')::double precision")
    else:
        op.execute("UPDATE review_logs SET previous_stability = json_extract(state_before, '$.stability')")


def downgrade():
    with op.batch_alter_table('review_logs', schema=None) as batch_op:
        batch_op.drop_column('previous_stability')
