"""Command-line tools: `flask --app wsgi seed`, `users create`, `scheduler work`, `backup FILE` and
`restore FILE`."""
from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app import MIGRATIONS_DIR
from app.extensions import db
from app.models import Role, utcnow
from app.services import ServiceError, accounts, backup, fit_worker
from app.services.seed import seed_builtin_decks

# Development only: logins printed by `seed` so a new developer can look around at once.
DEMO_USERS = (("demo", "guitu-demo", Role.LEARNER), ("teacher", "guitu-demo", Role.INSTRUCTOR))


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed)
    app.cli.add_command(users)
    app.cli.add_command(scheduler)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(file: str) -> None:
    """Copy the SQLite database into FILE while the app keeps running (SQLite's online backup API).

    PostgreSQL: use pg_dump (the command says how)."""
    try:
        pages = backup.backup(db.engine, Path(file))
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up the database to {file} ({pages} pages).")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(file: str, yes: bool) -> None:
    """Replace everything in the SQLite database with the backup in FILE.

    PostgreSQL: use pg_restore (the command says how)."""
    try:
        backup.require_sqlite(db.engine)
        revision = backup.backup_revision(Path(file), MIGRATIONS_DIR)
        if not yes:
            click.confirm(f"Replace every user, deck, card and review in the database with {file}?", abort=True)
        backup.restore(db.engine, Path(file), MIGRATIONS_DIR)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored the database from {file} (schema revision {revision}); "
               "run `flask --app wsgi db upgrade` if this version of Guitu is newer.")


@click.command()
def seed() -> None:
    """Load the built-in decks (safe to run again); in development also create demo users."""
    for report in seed_builtin_decks(utcnow()):
        click.echo(report)
    if current_app.config["DEMO_USERS"]:
        for username, password, role in DEMO_USERS:
            if accounts.find_user(username) is None:
                accounts.create_user(username, password, role)
            click.echo(f"Demo {role.value}: username {username!r}, password {password!r}")


@click.group()
def users() -> None:
    """Manage user accounts."""


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.LEARNER.value, show_default=True)
@click.password_option(prompt="Password", confirmation_prompt=True)
def create_user(username: str, role: str, password: str) -> None:
    """Create a user; this is the only way to create an admin."""
    try:
        user = accounts.create_user(username, password, role)
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Created {user.role.value} {user.username!r}.")


@click.group(cls=AppGroup)
def scheduler() -> None:
    """Learners' personal FSRS parameters."""


@scheduler.command("work")
@click.option("--once", is_flag=True, help="Run what is queued now, then stop.")
@click.option("--poll", default=fit_worker.POLL_SECONDS, show_default=True, help="Seconds between looks for work.")
def work(once: bool, poll: float) -> None:
    """Run queued optimisations; for FSRS_OPTIMIZER=external, beside the web processes.

    Safe to run several at once and to stop at any moment: a fit left unfinished is taken over by
    the next worker once its one-minute lease runs out.
    """
    while True:
        ran = fit_worker.run_pending(app=current_app._get_current_object())
        if ran:
            click.echo(f"Ran {ran} optimisation{'s' if ran != 1 else ''}.")
        if once:
            return
        time.sleep(poll)
