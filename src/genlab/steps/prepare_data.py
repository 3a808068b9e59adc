"""Rule prepare_data: one configured source → results/data/{dataset}.npz plus a summary for the report."""

from __future__ import annotations

from genlab.core import cli
from genlab.core.data import check_usable, load_source, save_dataset
from genlab.core.io import write_json


def run(name: str, spec: dict, data: str, summary: str, threads: int) -> None:
    """`threads` processes decode a folder of images, with a progress bar on stderr (the other sources read one
    array)."""
    ds = load_source(spec, threads=threads, progress=True)
    check_usable(ds, f"dataset '{name}' ({spec.get('path', spec['source'])})")
    save_dataset(data, ds)
    facts = ds.summary()
    write_json(summary, {"name": name, "source": spec["source"], **facts})
    print(f"{name}: {ds.description}; images {ds.images.shape}, train {len(ds.train_idx)}, test {len(ds.test_idx)}")
    for note in facts["notes"]:
        print(f"{name}: {note}")


if __name__ == "__main__":
    cli.main(run)
