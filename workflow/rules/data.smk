rule prepare_data:
    output:
        data="results/data/{dataset}.npz",
        summary="results/data/{dataset}.json",
    log:
        "results/logs/prepare_data/{dataset}.log",
    benchmark:
        "results/benchmarks/prepare_data/{dataset}.tsv"
    threads: 1  # reading and validating one array; I/O bound
    params:
        spec=lambda w: as_json(config["datasets"][w.dataset]),
        code=code_version("src/genlab/data.py", "src/genlab/steps/prepare_data.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.prepare_data --name {wildcards.dataset} --spec {params.spec:q}"
        " --out {output.data} --summary {output.summary} > {log} 2>&1"
