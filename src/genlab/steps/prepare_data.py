"""Rule prepare_data: one configured source → results/data/{dataset}.npz plus a summary for the report."""

from __future__ import annotations

import sys

from genlab.core import cli
from genlab.core.data import DataError, check_usable, load_source, save_dataset
from genlab.core.io import write_json


def run(name: str, spec: dict, out: str, summary: str) -> None:
    ds = load_source(spec)
    check_usable(ds, f"dataset '{name}' ({spec.get('path', spec['source'])})")
    save_dataset(out, ds)
    write_json(summary, {"name": name, "source": spec["source"], **ds.summary()})
    print(f"{name}: {ds.description}; images {ds.images.shape}, train {len(ds.train_idx)}, test {len(ds.test_idx)}")


def main(argv: list[str] | None = None) -> None:
    a, out = cli.parse(__doc__, [], ["data", "summary"], json_args=["spec"], text_args=["name"], torch=False, argv=argv)
    try:
        run(a.name, a.spec, out["data"], out["summary"])
    except DataError as err:
        sys.exit(f"data error: {err}")


if __name__ == "__main__":
    main()
