"""users.session_version: part of every session and remember-me cookie, raised to revoke them all.

Revision ID: 0006_session_version
Revises: 0005_terms_version
Create Date: 2026-11-22 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_session_version'
down_revision = '0005_terms_version'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (no batch): recreating users on SQLite would cascade-delete every row that refers to it.
    op.add_column('users', sa.Column('session_version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    op.drop_column('users', 'session_version')  # SQLite 3.35+ drops a column in place
