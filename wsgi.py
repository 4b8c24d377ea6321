"""gunicorn entry point (run without --preload: each worker makes its own driver)."""
from matchmaker import create_app
from matchmaker.services.catalog import warm_in_background

app = create_app()
# Each worker builds its item catalogs now rather than on its first list request.
warm_in_background(app.extensions["graph"])
