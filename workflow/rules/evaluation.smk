rule train_classifier:
    input:
        data="results/data/{dataset}.npz",
    output:
        ckpt="results/classifier/{dataset}/ckpt.pt",
        summary="results/classifier/{dataset}/training.json",
    log:
        "results/logs/train_classifier/{dataset}.log",
    benchmark:
        "results/benchmarks/train_classifier/{dataset}.tsv"
    threads: 2  # a LeNet
    resources:
        gpu=1,
    params:
        classifier=as_json(config["evaluation"]["classifier"]),
        device=config["device"],
        code=code_version("src/genlab/classifier.py", "src/genlab/nets.py", "src/genlab/data.py",
                          "src/genlab/steps/train_classifier.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.train_classifier --data {input.data} --params {params.classifier:q}"
        " --device {params.device} --threads {threads} --ckpt {output.ckpt} --summary {output.summary} > {log} 2>&1"


rule evaluate:
    input:
        data="results/data/{dataset}.npz",
        classifier="results/classifier/{dataset}/ckpt.pt",
        classifier_summary="results/classifier/{dataset}/training.json",
        models=lambda w: [path for _, path in evaluated_models(w.dataset)],
        truncation_model=gan_checkpoint(config["latent"]["generator"]),
    output:
        table="results/evaluation/{dataset}/metrics.csv",
        truncation_table="results/evaluation/{dataset}/truncation.csv",
        truncation="results/evaluation/{dataset}/truncation.png",
        truncation_grids="results/evaluation/{dataset}/truncation_samples.png",
        facts="results/evaluation/{dataset}/facts.json",
    log:
        "results/logs/evaluate/{dataset}.log",
    benchmark:
        "results/benchmarks/evaluate/{dataset}.tsv"
    threads: 2  # sampling every model and one feature pass each
    resources:
        gpu=1,
    params:
        evaluation=as_json(config["evaluation"]),
        models=lambda w: " ".join(f"--model '{label}={path}'" for label, path in evaluated_models(w.dataset)),
        device=config["device"],
        code=code_version("src/genlab/metrics.py", "src/genlab/classifier.py", "src/genlab/generate.py",
                          "src/genlab/plots.py", "src/genlab/steps/evaluate.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.evaluate --data {input.data} --classifier {input.classifier}"
        " --classifier-summary {input.classifier_summary} {params.models}"
        " --truncation-model {input.truncation_model} --params {params.evaluation:q} --device {params.device}"
        " --threads {threads} --table {output.table} --truncation-table {output.truncation_table}"
        " --truncation {output.truncation} --truncation-grids {output.truncation_grids} --facts {output.facts}"
        " > {log} 2>&1"


rule theory:
    output:
        facts="results/theory/facts.json",
    log:
        "results/logs/theory/theory.log",
    benchmark:
        "results/benchmarks/theory/theory.tsv"
    threads: 1  # tiny float64 convolutions
    params:
        code=code_version("src/genlab/theory.py", "src/genlab/steps/theory.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.theory --facts {output.facts} > {log} 2>&1"
