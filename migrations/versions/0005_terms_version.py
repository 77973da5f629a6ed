"""terms_version: a number changed whenever deck terms change, so every worker's segmenter refreshes.

Revision ID: 0005_terms_version
Revises: 0004_cards_on_start
Create Date: 2026-11-22 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_terms_version'
down_revision = '0004_cards_on_start'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('terms_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_terms_version'))
    )
    op.bulk_insert(table, [{'id': 1, 'version': 0}])


def downgrade():
    op.drop_table('terms_version')
