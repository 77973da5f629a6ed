"""users.username_skeleton: what a name looks like (NFKC, case and Latin/Cyrillic/Greek look-alikes
folded), unique, so confusable names cannot both exist. Existing names get theirs; where two existing
names already look alike, the later one's skeleton is made unique with its id (both keep working).

Revision ID: 0007_username_skeleton
Revises: 0006_session_version
Create Date: 2026-11-22 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_username_skeleton'
down_revision = '0006_session_version'
branch_labels = None
depends_on = None


def upgrade():
    from app.services.accounts import username_skeleton  # the one definition of what a name looks like

    # A plain ADD COLUMN (no batch): recreating users on SQLite would cascade-delete every row that refers to it.
    op.add_column('users', sa.Column('username_skeleton', sa.String(length=128), nullable=False, server_default=''))
    bind = op.get_bind()
    seen = set()
    for user_id, username in bind.execute(sa.text('SELECT id, username FROM users ORDER BY id')).all():
        skeleton = username_skeleton(username)
        if skeleton in seen:
            skeleton = f'{skeleton}#{user_id}'
        seen.add(skeleton)
        bind.execute(sa.text('UPDATE users SET username_skeleton = :s WHERE id = :id'), {'s': skeleton, 'id': user_id})
    op.create_index('uq_users_username_skeleton', 'users', ['username_skeleton'], unique=True)


def downgrade():
    op.drop_index('uq_users_username_skeleton', table_name='users')
    op.drop_column('users', 'username_skeleton')
