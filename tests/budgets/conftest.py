"""The 32 Pabulib elections of ../shared/data/pabulib, each parsed and made a profile once per
test session (the largest, Częstochowa's 16,978 ballots, takes a tenth of a second)."""

from functools import cache

import pytest

from agora.budgets import counting, pabulib
from tests.shared_data import SHARED_DATA

PABULIB = SHARED_DATA / "pabulib"
FILES = sorted(path.name for path in PABULIB.glob("*.pb"))


@cache
def election(name: str) -> pabulib.Election:
    return pabulib.read(PABULIB / name)


@cache
def profile(name: str) -> counting.Profile:
    return counting.profile_of_election(election(name))


@pytest.fixture(scope="session", autouse=True)
def _shared_data_present():
    assert len(FILES) == 32, f"expected the 32 Pabulib files in {PABULIB}"
