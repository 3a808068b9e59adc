CNN = "results/cnn_inversion/{dataset}"
CNN_CODE = ["src/genlab/feature_inversion.py", "src/genlab/vgg_backbone.py", "src/genlab/inversion_targets.py",
            "src/genlab/image_metrics.py", "src/genlab/data.py", "src/genlab/checkpoint.py"]
CNN_ANALYSIS_CODE = [*CNN_CODE, "src/genlab/cnn_facts.py", "src/genlab/plots.py", "src/genlab/plots_latent.py",
                     "src/genlab/plots_cnn.py", "src/genlab/images.py"]


rule prepare_backbone:
    input:
        data="results/data/{dataset}.npz",
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
        backbone=as_json(config["cnn_inversion"]["backbone"]),
        device=config["device"],
        code=code_version(*CNN_CODE, "src/genlab/classifier.py", "src/genlab/steps/prepare_backbone.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.prepare_backbone --data {input.data} --params {params.backbone:q}"
        " --device {params.device} --threads {threads} --ckpt {output.ckpt} --summary {output.summary} > {log} 2>&1"


rule invert_cnn_layers:
    input:
        data="results/data/{dataset}.npz",
        backbone=f"{CNN}/backbone.pt",
        backbone_summary=f"{CNN}/backbone.json",
    output:
        table=f"{CNN}/layers.csv",
        grid=f"{CNN}/layers.png",
        metrics=f"{CNN}/layers_metrics.png",
        facts=f"{CNN}/layers_facts.json",
    log:
        "results/logs/invert_cnn_layers/{dataset}.log",
    benchmark:
        "results/benchmarks/invert_cnn_layers/{dataset}.tsv"
    threads: 2  # one batched optimisation per layer
    resources:
        gpu=1,
    params:
        inversion=as_json({k: config["cnn_inversion"][k] for k in ("images", "optimisation", "lambda_tv")}),
        device=config["device"],
        code=code_version(*CNN_ANALYSIS_CODE, "src/genlab/steps/invert_cnn_layers.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.invert_cnn_layers --data {input.data} --backbone {input.backbone}"
        " --backbone-summary {input.backbone_summary} --params {params.inversion:q} --device {params.device}"
        " --threads {threads} --table {output.table} --grid {output.grid} --metrics {output.metrics}"
        " --facts {output.facts} > {log} 2>&1"


rule cnn_tv_sweep:
    input:
        data="results/data/{dataset}.npz",
        backbone=f"{CNN}/backbone.pt",
    output:
        table=f"{CNN}/tv_sweep.csv",
        grid=f"{CNN}/tv_sweep.png",
        metrics=f"{CNN}/tv_sweep_metrics.png",
        facts=f"{CNN}/tv_sweep_facts.json",
    log:
        "results/logs/cnn_tv_sweep/{dataset}.log",
    benchmark:
        "results/benchmarks/cnn_tv_sweep/{dataset}.tsv"
    threads: 2  # one batched optimisation (images x λ) per layer
    resources:
        gpu=1,
    params:
        inversion=as_json({k: config["cnn_inversion"][k] for k in ("images", "optimisation", "tv_sweep")}),
        device=config["device"],
        code=code_version(*CNN_ANALYSIS_CODE, "src/genlab/steps/cnn_tv_sweep.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.cnn_tv_sweep --data {input.data} --backbone {input.backbone}"
        " --params {params.inversion:q} --device {params.device} --threads {threads} --table {output.table}"
        " --grid {output.grid} --metrics {output.metrics} --facts {output.facts} > {log} 2>&1"
