"""One small generated population shared by the structural tests."""

from __future__ import annotations

import pytest

from bot.ingest.synthetic import GenerationSummary, generate
from tests.synthetic.support import REFERENCE_DATE, Population, read_population

CITIZENS = 300
CHUNK_SIZE = 120
SEED = 2025


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[GenerationSummary, Population]:
    """300 citizens in three files (120, 120, 60), at half the default visit density."""
    out_dir = tmp_path_factory.mktemp("province")
    summary = generate(
        out_dir, CITIZENS, SEED, today=REFERENCE_DATE, chunk_size=CHUNK_SIZE, density=0.5
    )
    return summary, read_population(out_dir)


@pytest.fixture(scope="session")
def population(generated: tuple[GenerationSummary, Population]) -> Population:
    """The shared population, read back."""
    return generated[1]
