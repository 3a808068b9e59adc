GAN = "results/gan/{dataset}"
GAN_RUN = f"{GAN}/{{loss}}_k{{k}}_s{{seed}}"
GAN_RUN_FILES = {"ckpt": f"{GAN_RUN}/ckpt.pt", "history": f"{GAN_RUN}/history.csv", "grids": f"{GAN_RUN}/grids",
                 "summary": f"{GAN_RUN}/training.json"}  # one run's outputs; train_gan writes them for a group


rule train_gan:
    """One job per (dataset, k): the sweep's losses × seeds at that k, trained as one stacked model. Asking for a
    single run's file runs its whole group."""
    input:
        data=rules.prepare_data.output.data,
    output:
        ckpt=group_files("ckpt"),
        history=group_files("history"),
        grids=[directory(path) for path in group_files("grids")],
        summary=group_files("summary"),
    log:
        "results/logs/train_gan/{dataset}_k{k}.log",
    benchmark:
        "results/benchmarks/train_gan/{dataset}_k{k}.tsv"
    threads: 2  # torch intra-op threads for the small convs
    resources:
        gpu=1,  # counted, not assigned: the step picks its device
    params:
        io=io_flags(),
        net_train=lambda w: as_json({
            "arch": "conv", "net": config["gan"]["net"],
            "train": {**config["gan"]["train"], "d_steps": int(w.k)},
            "runs": [{"loss": loss, "seed": seed} for loss in config["gan"]["losses"] for seed in config["gan"]["seeds"]],
        }),
        resume="results/.resume/gan/{dataset}/k{k}/state.pt",
        code=step_code("train_gan"),
    conda:
        ENV
    shell:
        step_shell("train_gan", "--params {params.net_train:q} --resume {params.resume}")


rule retrain_d:
    """Fix G, retrain D against the generator of gan.retrain_d.generator's loss and k for every seed of the sweep (the
    independent replicates), frozen at each stage, once per D seed."""
    input:
        data=rules.prepare_data.output.data,
        ckpts=run_files(GAN_RUN_FILES["ckpt"], loss=[config["gan"]["retrain_d"]["generator"]["loss"]],
                        k=[config["gan"]["retrain_d"]["generator"]["k"]], seed=config["gan"]["seeds"]),
    output:
        history=f"{GAN}/retrain_d.csv",
    log:
        "results/logs/retrain_d/{dataset}.log",
    benchmark:
        "results/benchmarks/retrain_d/{dataset}.tsv"
    threads: 2  # two small discriminators
    resources:
        gpu=1,
    params:
        io=io_flags(),
        retrain=as_json(config["gan"]["retrain_d"]),
        code=step_code("retrain_d"),
    conda:
        ENV
    shell:
        step_shell("retrain_d", "--params {params.retrain:q}")


rule analyse_gan:
    input:
        data_summary=rules.prepare_data.output.summary,
        histories=sweep_files("history"),
        summaries=sweep_files("summary"),
        grids=sweep_files("grids"),
        retrain=rules.retrain_d.output.history,
    output:
        shapes=report(f"{GAN}/loss_shapes.png", category="Loss saturation"),
        curves=report(f"{GAN}/curves.png", category="Loss saturation"),
        samples=report(f"{GAN}/samples.png", category="Loss saturation"),
        retrain_figure=report(f"{GAN}/retrain_d.png", category="Loss saturation"),
        table=f"{GAN}/saturation.csv",
        facts=f"{GAN}/facts.json",
    log:
        "results/logs/analyse_gan/{dataset}.log",
    benchmark:
        "results/benchmarks/analyse_gan/{dataset}.tsv"
    threads: 1  # figures and a table
    params:
        io=io_flags(),
        criterion=as_json(config["gan"]["saturation"]),
        generator=as_json(config["gan"]["retrain_d"]["generator"]),
        code=step_code("analyse_gan"),
    conda:
        ENV
    shell:
        step_shell("analyse_gan", "--criterion {params.criterion:q} --retrain-generator {params.generator:q}")


report_section("gan", rules.analyse_gan.output.facts, config["gan"]["datasets"])
