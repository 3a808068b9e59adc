"""genlab: the small PyTorch library behind the genlab Snakemake pipeline."""

__version__ = "0.1.0"
