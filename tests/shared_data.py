"""Where the reference data nobody here wrote lives: `../shared/data` beside the checkout, as
on the developers' machines and CI, or wherever AGORA_SHARED_DATA points."""

import os
from pathlib import Path

SHARED_DATA = Path(
    os.environ.get("AGORA_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
