"""A pytest plugin loaded before Django is set up (see addopts in pyproject.toml): the suite
always runs the settings in test mode."""

import os

os.environ.setdefault("AGORA_ENV", "test")
