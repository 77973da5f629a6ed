"""Entry point for `flask --app wsgi` and `gunicorn wsgi:app`; GUITU_CONFIG picks the configuration."""
from app import create_app

app = create_app()
