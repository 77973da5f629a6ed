"""Entry point for `python -m vocab`."""

from .cli import main

raise SystemExit(main())
