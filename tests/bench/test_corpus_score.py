"""The corpus score never drops below the floor recorded in bench/corpus_floor.json, and every
disputed label names a corpus file and a labeled manifest entry."""

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FLOOR = json.loads((ROOT / "bench" / "corpus_floor.json").read_text(encoding="utf-8"))


def _scorer():
    spec = importlib.util.spec_from_file_location(
        "corpus_score", ROOT / "bench" / "corpus_score.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


SCORER = _scorer()
CORPUS = SCORER.DEFAULT_CORPUS


def _labeled() -> set[tuple[str, str]]:
    """(file, resource or "-") of every labeled entry in the two manifests."""
    kics = json.loads((CORPUS / "kics" / "manifest.json").read_text(encoding="utf-8"))
    checkov = json.loads((CORPUS / "checkov" / "manifest.json").read_text(encoding="utf-8"))
    return {(entry["file"], "-") for entry in kics} | {
        (entry["file"], resource)
        for entry in checkov
        for resource in (*entry["failing"], *entry["passing"])
    }


def test_overall_score_is_not_below_the_floor():
    total = SCORER.overall(SCORER.score(CORPUS))
    assert total.recall >= FLOOR["recall"]
    assert total.precision >= FLOOR["precision"]


def test_every_disagreement_names_a_corpus_file_and_a_manifest_entry():
    disputed = SCORER.read_disagreements()
    assert disputed
    assert all((CORPUS / file).is_file() for file, _ in disputed)
    assert disputed - _labeled() == set()
