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
        io=io_flags(),
        spec=lambda w: as_json(config["datasets"][w.dataset]),
        code=step_code("prepare_data"),
    conda:
        ENV
    shell:
        step_shell("prepare_data", "--name {wildcards.dataset} --spec {params.spec:q}")
