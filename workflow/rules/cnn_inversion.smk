CNN = "results/cnn_inversion/{dataset}"


rule prepare_backbone:
    input:
        data=rules.prepare_data.output.data,
    output:
        ckpt=f"{CNN}/backbone.pt",
        summary=f"{CNN}/backbone.json",
    log:
        "results/logs/prepare_backbone/{dataset}.log",
    benchmark:
        "results/benchmarks/prepare_backbone/{dataset}.tsv"
    threads: 2  # VGG11 training is conv-bound
    resources:
        gpu=1,
    params:
        io=io_flags(),
        # trained at the side it is inverted at (images.size): one input distribution for training and inversion
        backbone=as_json({**config["cnn_inversion"]["backbone"], "image_size": config["cnn_inversion"]["images"]["size"]}),
        code=step_code("prepare_backbone"),
    conda:
        ENV
    shell:
        step_shell("prepare_backbone", "--params {params.backbone:q}")


rule cnn_layers:
    input:
        data=rules.prepare_data.output.data,
        data_summary=rules.prepare_data.output.summary,
        backbone=rules.prepare_backbone.output.ckpt,
        backbone_summary=rules.prepare_backbone.output.summary,
    output:
        table=f"{CNN}/layers.csv",
        grid=report(f"{CNN}/layers.png", category="Inverting CNN features"),
        metrics=report(f"{CNN}/layers_metrics.png", category="Inverting CNN features"),
        facts=f"{CNN}/layers_facts.json",
    log:
        "results/logs/cnn_layers/{dataset}.log",
    benchmark:
        "results/benchmarks/cnn_layers/{dataset}.tsv"
    threads: 2  # one batched optimisation per layer
    resources:
        gpu=1,
    params:
        io=io_flags(),
        inversion=as_json({k: config["cnn_inversion"][k] for k in ("images", "optimisation", "lambda_tv")}),
        code=step_code("cnn_layers"),
    conda:
        ENV
    shell:
        step_shell("cnn_layers", "--params {params.inversion:q}")


rule cnn_tv_sweep:
    input:
        data=rules.prepare_data.output.data,
        data_summary=rules.prepare_data.output.summary,
        backbone=rules.prepare_backbone.output.ckpt,
    output:
        table=f"{CNN}/tv_sweep.csv",
        grid=report(f"{CNN}/tv_sweep.png", category="Inverting CNN features"),
        metrics=report(f"{CNN}/tv_sweep_metrics.png", category="Inverting CNN features"),
        facts=f"{CNN}/tv_sweep_facts.json",
    log:
        "results/logs/cnn_tv_sweep/{dataset}.log",
    benchmark:
        "results/benchmarks/cnn_tv_sweep/{dataset}.tsv"
    threads: 2  # one batched optimisation (images x λ) per layer
    resources:
        gpu=1,
    params:
        io=io_flags(),
        inversion=as_json({k: config["cnn_inversion"][k] for k in ("images", "optimisation", "tv_sweep")}),
        code=step_code("cnn_tv_sweep"),
    conda:
        ENV
    shell:
        step_shell("cnn_tv_sweep", "--params {params.inversion:q}")


report_section("cnn_layers", rules.cnn_layers.output.facts, config["cnn_inversion"]["datasets"])
report_section("cnn_tv_sweep", rules.cnn_tv_sweep.output.facts, config["cnn_inversion"]["datasets"])
