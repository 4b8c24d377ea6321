"""gunicorn entry point (run without --preload: each worker makes its own driver)."""
from matchmaker import create_app

app = create_app()
