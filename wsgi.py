"""gunicorn entry point (run without --preload: each worker makes its own driver).

Nothing else happens at import: the list and match indexes' warm-up starts from gunicorn's
post_worker_init hook or on the first request (matchmaker/warmup.py).
"""
from matchmaker import create_app

app = create_app()
