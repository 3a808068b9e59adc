"""Rule prepare_data: one configured source → results/data/{dataset}.npz plus a summary for the report."""

from __future__ import annotations

from genlab.core import cli
from genlab.core.data import check_usable, load_source, save_dataset
from genlab.core.io import write_json


def run(name: str, spec: dict, data: str, summary: str) -> None:
    ds = load_source(spec)
    check_usable(ds, f"dataset '{name}' ({spec.get('path', spec['source'])})")
    save_dataset(data, ds)
    write_json(summary, {"name": name, "source": spec["source"], **ds.summary()})
    print(f"{name}: {ds.description}; images {ds.images.shape}, train {len(ds.train_idx)}, test {len(ds.test_idx)}")


if __name__ == "__main__":
    cli.main(run)
