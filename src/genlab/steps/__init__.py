"""One small script per Snakemake rule: `python -m genlab.steps.<name> ...`; each runs without Snakemake too."""
