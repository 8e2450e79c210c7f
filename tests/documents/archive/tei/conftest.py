from functools import cache
from pathlib import Path

import pytest
from lxml import etree

SCHEMA = Path(__file__).with_name("tei_all.rng")


@cache
def _tei_all() -> etree.RelaxNG:
    """Compiling tei_all takes seconds: once per run."""
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


@pytest.fixture
def tei_all():
    return _tei_all()
