GAN = "results/gan/{dataset}"
GAN_RUN = f"{GAN}/{{loss}}_k{{k}}_s{{seed}}"


rule train_gan:
    input:
        data=rules.prepare_data.output.data,
    output:
        ckpt=f"{GAN_RUN}/ckpt.pt",
        history=f"{GAN_RUN}/history.csv",
        grids=directory(f"{GAN_RUN}/grids"),
        summary=f"{GAN_RUN}/training.json",
    log:
        "results/logs/train_gan/{dataset}_{loss}_k{k}_s{seed}.log",
    benchmark:
        "results/benchmarks/train_gan/{dataset}_{loss}_k{k}_s{seed}.tsv"
    threads: 2  # torch intra-op threads for the small convs
    resources:
        gpu=1,  # counted, not assigned: the step picks its device
    params:
        io=io_flags(),
        net_train=lambda w: as_json({
            "arch": "conv", "net": config["gan"]["net"],
            "train": {**config["gan"]["train"], "loss": w.loss, "d_steps": int(w.k), "seed": int(w.seed)},
        }),
        device=config["device"],
        resume="results/.resume/gan/{dataset}/{loss}_k{k}_s{seed}/state.pt",
        code=step_code("train_gan"),
    conda:
        ENV
    shell:
        step_shell("train_gan", "--params {params.net_train:q} --device {params.device} --threads {threads}"
                   " --resume {params.resume}")


rule retrain_d:
    input:
        data=rules.prepare_data.output.data,
        ckpt=gan_run(config["gan"]["retrain_d"]["generator"]),
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
        device=config["device"],
        code=step_code("retrain_d"),
    conda:
        ENV
    shell:
        step_shell("retrain_d", "--params {params.retrain:q} --device {params.device} --threads {threads}")


rule analyse_gan:
    input:
        data_summary=rules.prepare_data.output.summary,
        histories=sweep_files(rules.train_gan.output.history),
        summaries=sweep_files(rules.train_gan.output.summary),
        grids=sweep_files(rules.train_gan.output.grids),
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
