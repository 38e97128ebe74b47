"""Prints how Agora's groups agree with Pol.is's on the open-data exports in
../shared/data/polis/opendata (or AGORA_SHARED_DATA/polis/opendata): the people each places in a
group, the share of Pol.is's that Agora places too, the number of groups and the adjusted Rand
index (ARI) over the people both place. tests/conversations/test_polis_opendata.py holds the
same figures to the issue's bars.

    .venv/bin/python tools/polis_agreement.py
"""

import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    runpy.run_module("tests.conversations.polis_opendata", run_name="__main__")
