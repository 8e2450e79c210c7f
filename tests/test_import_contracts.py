"""The import contracts in pyproject.toml agree with one another (docs/architecture.md, "Areas").

The layers contract places every module of an area in a layer (``exhaustive``); the forbidden
contracts name, for each area, the modules of its three lower layers by hand. These tests keep the
two in step, so a module added to an area's services or domain is also kept from importing upward.
"""

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
AREAS = ["archive", "groups", "annotations", "search", "accounts"]
ORDER = {"archive": 0, "groups": 1, "annotations": 2, "search": 3, "accounts": 3}


def _layers():
    (contract,) = [c for c in CONTRACTS if c["type"] == "layers" and c.get("containers")]
    return contract


def _lower_layer_names() -> set[str]:
    names = set()
    for layer in _layers()["layers"][1:]:
        names |= {part.strip().strip("()") for part in layer.split(":")}
    return names


def _forbidden_for(area: str) -> dict:
    (contract,) = [
        c
        for c in CONTRACTS
        if c["type"] == "forbidden" and all(m.startswith(f"documents.{area}.") for m in c["source_modules"])
    ]
    return contract


def test_the_layers_contract_covers_every_area_and_stays_exhaustive():
    contract = _layers()
    assert contract["containers"] == [f"documents.{area}" for area in AREAS]
    assert contract["exhaustive"] is True


@pytest.mark.parametrize("area", AREAS)
def test_each_area_forbids_upward_imports_from_every_module_of_its_lower_layers(area):
    package = ROOT / "documents" / area
    present = {path.stem for path in package.iterdir() if path.suffix == ".py" and path.stem != "__init__"}
    present |= {path.name for path in package.iterdir() if (path / "__init__.py").exists()}
    lower = present & _lower_layer_names()
    contract = _forbidden_for(area)
    assert {module.removeprefix(f"documents.{area}.") for module in contract["source_modules"]} == lower


@pytest.mark.parametrize("area", AREAS)
def test_each_area_is_forbidden_the_areas_above_it(area):
    above = {f"documents.{other}" for other in AREAS if ORDER[other] > ORDER[area]}
    if area in ("search", "accounts"):
        above = {f"documents.{'accounts' if area == 'search' else 'search'}"}
    assert above <= set(_forbidden_for(area)["forbidden_modules"])
