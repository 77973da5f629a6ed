"""Personal scheduling: each learner's own FSRS parameters (NULL: the defaults), the re-optimisation
reminder setting, and scheduler_fits, the job record and result of each optimisation.

Revision ID: 0008_scheduler_fits
Revises: 0007_username_skeleton
Create Date: 2026-11-21 23:35:31.653277

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_scheduler_fits'
down_revision = '0007_username_skeleton'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scheduler_fits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('reviews_used', sa.Integer(), nullable=True),
    sa.Column('last_review_id', sa.Integer(), nullable=True),
    sa.Column('parameters', sa.JSON(), nullable=True),
    sa.Column('log_loss_default', sa.Double(), nullable=True),
    sa.Column('log_loss_fitted', sa.Double(), nullable=True),
    sa.Column('rmse_default', sa.Double(), nullable=True),
    sa.Column('rmse_fitted', sa.Double(), nullable=True),
    sa.Column('accepted', sa.Boolean(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_scheduler_fits_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduler_fits'))
    )
    with op.batch_alter_table('scheduler_fits', schema=None) as batch_op:
        batch_op.create_index('ix_scheduler_fits_status_lease', ['status', 'lease_until'], unique=False)
        batch_op.create_index(batch_op.f('ix_scheduler_fits_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_scheduler_fits_user_unfinished', ['user_id'], unique=True, sqlite_where=sa.text("status IN ('queued', 'running')"), postgresql_where=sa.text("status IN ('queued', 'running')"))

    # Plain ALTER TABLE, not a batch: a batch rebuilds users on SQLite and would lose the expression
    # index uq_users_username_lower, which it cannot reflect.
    op.add_column('users', sa.Column('fsrs_parameters', sa.JSON(), nullable=True))
    op.add_column('users', sa.Column('optimize_reminder', sa.Boolean(), nullable=False, server_default=sa.true()))



def downgrade():
    op.drop_column('users', 'optimize_reminder')
    op.drop_column('users', 'fsrs_parameters')

    with op.batch_alter_table('scheduler_fits', schema=None) as batch_op:
        batch_op.drop_index('uq_scheduler_fits_user_unfinished', sqlite_where=sa.text("status IN ('queued', 'running')"), postgresql_where=sa.text("status IN ('queued', 'running')"))
        batch_op.drop_index(batch_op.f('ix_scheduler_fits_user_id'))
        batch_op.drop_index('ix_scheduler_fits_status_lease')

    op.drop_table('scheduler_fits')
