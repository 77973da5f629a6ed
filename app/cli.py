"""Command-line tools: `flask --app wsgi seed` and `flask --app wsgi users create`."""
from __future__ import annotations

import click
from flask import Flask, current_app

from app.models import Role, utcnow
from app.services import ServiceError, accounts
from app.services.seed import seed_builtin_decks

# Development only: logins printed by `seed` so a new developer can look around at once.
DEMO_USERS = (("demo", "guitu-demo", Role.LEARNER), ("teacher", "guitu-demo", Role.INSTRUCTOR))


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed)
    app.cli.add_command(users)


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
