"""Rule prepare_data: one configured source → results/data/{dataset}.npz plus a summary for the report."""

from __future__ import annotations

import argparse
import json
import sys

from genlab.core.data import DataError, check_usable, load_source, save_dataset
from genlab.core.io import write_json


def run(name: str, spec: dict, out: str, summary: str) -> None:
    ds = load_source(spec)
    check_usable(ds, f"dataset '{name}' ({spec.get('path', spec['source'])})")
    save_dataset(out, ds)
    write_json(summary, {"name": name, "source": spec["source"], **ds.summary()})
    print(f"{name}: {ds.description}; images {ds.images.shape}, train {len(ds.train_idx)}, test {len(ds.test_idx)}")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--name", required=True, help="dataset name (a key of config datasets:)")
    p.add_argument("--spec", required=True, help="the dataset's config entry as JSON")
    p.add_argument("--data", required=True, help="the .npz to write")
    p.add_argument("--summary", required=True, help="the summary .json to write")
    a = p.parse_args(argv)
    try:
        run(a.name, json.loads(a.spec), a.data, a.summary)
    except DataError as err:
        sys.exit(f"data error: {err}")


if __name__ == "__main__":
    main()
