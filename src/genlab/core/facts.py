"""One envelope for every facts.json: the same keys in every section, so the report (its title page lists every
device) and a reader find them in one place."""

from __future__ import annotations

from pathlib import Path

from genlab.core.io import read_json, write_json


def write_facts(path: str | Path, body: dict, *, data_summary: str | None, device: str, n: int, params: dict) -> None:
    """Write `body` (which holds the section's `figures`) inside the envelope: the dataset's summary (from the
    prepare_data rule's JSON; None for a section without data), the device, the main sample count, the params."""
    if "figures" not in body:
        raise ValueError(f"{path}: a section's facts name its figures (an empty dict if it has none)")
    dataset = read_json(data_summary) if data_summary else None
    write_json(path, {**body, "dataset": dataset, "device": device, "n": int(n), "params": params})
