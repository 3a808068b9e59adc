RUN = "results/gan/{dataset}/{loss}_k{k}_s{seed}"


rule train_gan:
    input:
        data="results/data/{dataset}.npz",
    output:
        ckpt=f"{RUN}/ckpt.pt",
        history=f"{RUN}/history.csv",
        grids=directory(f"{RUN}/grids"),
        summary=f"{RUN}/training.json",
    log:
        "results/logs/train_gan/{dataset}_{loss}_k{k}_s{seed}.log",
    benchmark:
        "results/benchmarks/train_gan/{dataset}_{loss}_k{k}_s{seed}.tsv"
    threads: 2  # torch intra-op threads for the small convs
    resources:
        gpu=1,  # counted, not assigned: the step picks its device
    params:
        net_train=lambda w: as_json({
            "arch": "conv", "net": config["gan"]["net"],
            "train": {**config["gan"]["train"], "loss": w.loss, "d_steps": int(w.k), "seed": int(w.seed)},
        }),
        device=config["device"],
        resume="results/.resume/gan/{dataset}/{loss}_k{k}_s{seed}/state.pt",
        code=code_version(*GAN_CODE),
    conda:
        ENV
    shell:
        TRAIN_GAN_SHELL


rule retrain_d:
    input:
        data="results/data/{dataset}.npz",
        ckpt=gan_checkpoint(config["gan"]["retrain_d"]["generator"]),
    output:
        history="results/gan/{dataset}/retrain_d.csv",
    log:
        "results/logs/retrain_d/{dataset}.log",
    benchmark:
        "results/benchmarks/retrain_d/{dataset}.tsv"
    threads: 2  # two small discriminators
    resources:
        gpu=1,
    params:
        retrain=as_json(config["gan"]["retrain_d"]),
        device=config["device"],
        code=code_version(*GAN_CODE, "src/genlab/retrain_d.py", "src/genlab/steps/retrain_d.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.retrain_d --data {input.data} --ckpt {input.ckpt} --params {params.retrain:q}"
        " --device {params.device} --threads {threads} --history {output.history} > {log} 2>&1"


rule analyse_gan:
    input:
        data_summary="results/data/{dataset}.json",
        histories=gan_run_files("history.csv"),
        summaries=gan_run_files("training.json"),
        grids=gan_run_files("grids"),
        retrain="results/gan/{dataset}/retrain_d.csv",
    output:
        shapes="results/gan/{dataset}/loss_shapes.png",
        curves="results/gan/{dataset}/curves.png",
        samples="results/gan/{dataset}/samples.png",
        retrain_figure="results/gan/{dataset}/retrain_d.png",
        table="results/gan/{dataset}/saturation.csv",
        facts="results/gan/{dataset}/facts.json",
    log:
        "results/logs/analyse_gan/{dataset}.log",
    benchmark:
        "results/benchmarks/analyse_gan/{dataset}.tsv"
    threads: 1  # figures and a table
    params:
        criterion=as_json(config["gan"]["saturation"]),
        generator=as_json(config["gan"]["retrain_d"]["generator"]),
        histories=lambda w, input: " ".join(f"--history {p}" for p in input.histories),
        summaries=lambda w, input: " ".join(f"--summary {p}" for p in input.summaries),
        grids=lambda w, input: " ".join(f"--grids {p}" for p in input.grids),
        code=code_version("src/genlab/saturation.py", "src/genlab/gan_facts.py", "src/genlab/plots.py",
                          "src/genlab/steps/analyse_gan.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.analyse_gan --data-summary {input.data_summary} {params.histories}"
        " {params.summaries} {params.grids} --retrain {input.retrain} --criterion {params.criterion:q}"
        " --retrain-generator {params.generator:q} --shapes {output.shapes} --curves {output.curves}"
        " --samples {output.samples} --retrain-figure {output.retrain_figure} --table {output.table}"
        " --facts {output.facts} > {log} 2>&1"
