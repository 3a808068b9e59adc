EVALUATION = "results/evaluation/{dataset}"


rule train_classifier:
    input:
        data=rules.prepare_data.output.data,
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
        io=io_flags(),
        classifier=as_json(config["evaluation"]["classifier"]),
        code=step_code("train_classifier"),
    conda:
        ENV
    shell:
        step_shell("train_classifier", "--params {params.classifier:q}")


rule evaluation:
    input:
        data=rules.prepare_data.output.data,
        data_summary=rules.prepare_data.output.summary,
        classifier=rules.train_classifier.output.ckpt,
        classifier_summary=rules.train_classifier.output.summary,
        models=lambda w: [model["ckpt"] for model in evaluated_models(w.dataset)],
        truncation_model=gan_run(config["latent"]["generator"]),
    output:
        table=f"{EVALUATION}/metrics.csv",
        truncation_table=f"{EVALUATION}/truncation.csv",
        truncation=report(f"{EVALUATION}/truncation.png", category="Measuring the generators"),
        truncation_grids=report(f"{EVALUATION}/truncation_samples.png", category="Measuring the generators"),
        features=f"{EVALUATION}/features.npz",
        facts=f"{EVALUATION}/facts.json",
    log:
        "results/logs/evaluation/{dataset}.log",
    benchmark:
        "results/benchmarks/evaluation/{dataset}.tsv"
    threads: 2  # sampling every model and one feature pass each
    resources:
        gpu=1,
    params:
        io=io_flags(skip=("models",)),  # the checkpoints travel in the records below
        models=lambda w: as_json(evaluated_models(w.dataset)),
        evaluation=as_json(config["evaluation"]),
        code=step_code("evaluation"),
    conda:
        ENV
    shell:
        step_shell("evaluation", "--models {params.models:q} --params {params.evaluation:q}")


report_section("evaluation", rules.evaluation.output.facts, config["evaluation"]["datasets"])
