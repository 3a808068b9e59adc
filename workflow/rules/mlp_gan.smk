MLP_GAN = "results/mlp_gan/{dataset}"


rule train_mlp_gan:
    input:
        data=rules.prepare_data.output.data,
    output:
        ckpt=f"{MLP_GAN}/ckpt.pt",
        history=f"{MLP_GAN}/history.csv",
        grids=directory(f"{MLP_GAN}/grids"),
        summary=f"{MLP_GAN}/training.json",
    log:
        "results/logs/train_mlp_gan/{dataset}.log",
    benchmark:
        "results/benchmarks/train_mlp_gan/{dataset}.tsv"
    threads: 2  # torch intra-op threads: the 128-unit MLP gains nothing beyond two
    resources:
        gpu=1,  # counted, not assigned: the step picks its device
    params:
        io=io_flags(),
        net_train=as_json({"arch": "mlp", "net": config["mlp_gan"]["net"], "train": config["mlp_gan"]["train"],
                           "runs": [{key: config["mlp_gan"]["train"][key] for key in ("loss", "seed")}]}),
        resume="results/.resume/mlp_gan/{dataset}/state.pt",
        code=step_code("train_gan"),
    conda:
        ENV
    shell:
        step_shell("train_gan", "--params {params.net_train:q} --resume {params.resume}")


rule nearest_fakes:
    input:
        data=rules.prepare_data.output.data,
        ckpt=rules.train_mlp_gan.output.ckpt,
    output:
        figure=report(f"{MLP_GAN}/nearest_fakes.png", category="MLP GAN"),
        histogram=report(f"{MLP_GAN}/memorisation.png", category="MLP GAN"),
        facts=f"{MLP_GAN}/memorisation.json",
    log:
        "results/logs/nearest_fakes/{dataset}.log",
    benchmark:
        "results/benchmarks/nearest_fakes/{dataset}.tsv"
    threads: 2  # the distance matrix is one matmul per chunk
    resources:
        gpu=1,
    params:
        io=io_flags(),
        nearest=as_json(config["mlp_gan"]["nearest"]),
        code=step_code("nearest_fakes"),
    conda:
        ENV
    shell:
        step_shell("nearest_fakes", "--params {params.nearest:q}")


rule analyse_mlp_gan:
    input:
        data_summary=rules.prepare_data.output.summary,
        history=rules.train_mlp_gan.output.history,
        training=rules.train_mlp_gan.output.summary,
        grids=rules.train_mlp_gan.output.grids,
        memorisation=rules.nearest_fakes.output.facts,
        nearest_figure=rules.nearest_fakes.output.figure,
        memorisation_figure=rules.nearest_fakes.output.histogram,
    output:
        curves=report(f"{MLP_GAN}/curves.png", category="MLP GAN"),
        grids_figure=report(f"{MLP_GAN}/grids_over_training.png", category="MLP GAN"),
        facts=f"{MLP_GAN}/facts.json",
    log:
        "results/logs/analyse_mlp_gan/{dataset}.log",
    benchmark:
        "results/benchmarks/analyse_mlp_gan/{dataset}.tsv"
    threads: 1  # two small figures
    params:
        io=io_flags(),
        code=step_code("analyse_mlp_gan"),
    conda:
        ENV
    shell:
        step_shell("analyse_mlp_gan")


report_section("mlp_gan", rules.analyse_mlp_gan.output.facts, config["mlp_gan"]["datasets"])
