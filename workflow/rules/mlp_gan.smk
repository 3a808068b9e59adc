rule train_mlp_gan:
    input:
        data="results/data/{dataset}.npz",
    output:
        ckpt="results/mlp_gan/{dataset}/ckpt.pt",
        history="results/mlp_gan/{dataset}/history.csv",
        grids=directory("results/mlp_gan/{dataset}/grids"),
        summary="results/mlp_gan/{dataset}/training.json",
    log:
        "results/logs/train_mlp_gan/{dataset}.log",
    benchmark:
        "results/benchmarks/train_mlp_gan/{dataset}.tsv"
    threads: 2  # torch intra-op threads: the 128-unit MLP gains nothing beyond two
    resources:
        gpu=1,  # counted, not assigned: the step picks its device
    params:
        net_train=as_json({"arch": "mlp", "net": config["mlp_gan"]["net"], "train": config["mlp_gan"]["train"]}),
        device=config["device"],
        resume="results/.resume/mlp_gan/{dataset}/state.pt",
        code=code_version(*GAN_CODE),
    conda:
        ENV
    shell:
        TRAIN_GAN_SHELL


rule nearest_fakes:
    input:
        data="results/data/{dataset}.npz",
        ckpt="results/mlp_gan/{dataset}/ckpt.pt",
    output:
        figure="results/mlp_gan/{dataset}/nearest_fakes.png",
        histogram="results/mlp_gan/{dataset}/memorisation.png",
        facts="results/mlp_gan/{dataset}/memorisation.json",
    log:
        "results/logs/nearest_fakes/{dataset}.log",
    benchmark:
        "results/benchmarks/nearest_fakes/{dataset}.tsv"
    threads: 2  # the distance matrix is one matmul per chunk
    resources:
        gpu=1,
    params:
        nearest=lambda w: as_json(config["mlp_gan"]["nearest"]),
        device=config["device"],
        code=code_version(*GAN_CODE, "src/genlab/memorisation.py",
                          "src/genlab/generate.py", "src/genlab/plots.py", "src/genlab/steps/nearest_fakes.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.nearest_fakes --data {input.data} --ckpt {input.ckpt} --params {params.nearest:q}"
        " --device {params.device} --threads {threads}"
        " --figure {output.figure} --histogram {output.histogram} --facts {output.facts} > {log} 2>&1"


rule analyse_mlp_gan:
    input:
        data_summary="results/data/{dataset}.json",
        history="results/mlp_gan/{dataset}/history.csv",
        training="results/mlp_gan/{dataset}/training.json",
        grids="results/mlp_gan/{dataset}/grids",
        memorisation="results/mlp_gan/{dataset}/memorisation.json",
        nearest_figure="results/mlp_gan/{dataset}/nearest_fakes.png",
        memorisation_figure="results/mlp_gan/{dataset}/memorisation.png",
    output:
        curves="results/mlp_gan/{dataset}/curves.png",
        grids_figure="results/mlp_gan/{dataset}/grids_over_training.png",
        facts="results/mlp_gan/{dataset}/facts.json",
    log:
        "results/logs/analyse_mlp_gan/{dataset}.log",
    benchmark:
        "results/benchmarks/analyse_mlp_gan/{dataset}.tsv"
    threads: 1  # two small figures
    params:
        code=code_version("src/genlab/gan_facts.py", "src/genlab/plots.py", "src/genlab/steps/analyse_mlp_gan.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.analyse_mlp_gan --data-summary {input.data_summary} --history {input.history}"
        " --training {input.training} --memorisation {input.memorisation} --grids {input.grids}"
        " --nearest-figure {input.nearest_figure} --memorisation-figure {input.memorisation_figure}"
        " --curves {output.curves} --grids-figure {output.grids_figure} --facts {output.facts} > {log} 2>&1"
