rule prepare_data:
    output:
        data="results/data/{dataset}.npz",
        summary="results/data/{dataset}.json",
    log:
        "results/logs/prepare_data/{dataset}.log",
    benchmark:
        "results/benchmarks/prepare_data/{dataset}.tsv"
    threads: lambda w: 2 if decodes_images(config["datasets"][w.dataset]) else 1  # a process per thread decodes
    params:
        io=io_flags(),
        spec=lambda w: as_json(config["datasets"][w.dataset]),
        code=step_code("prepare_data"),
    conda:
        ENV
    shell:
        step_shell("prepare_data", "--name {wildcards.dataset} --spec {params.spec:q}")
