AE = "results/ae/{dataset}"
AE_RUN = f"{AE}/{{variant}}_s{{seed}}"


rule train_ae:
    input:
        data=rules.prepare_data.output.data,
    output:
        ckpt=f"{AE_RUN}/ckpt.pt",
        history=f"{AE_RUN}/history.csv",
        summary=f"{AE_RUN}/training.json",
    log:
        "results/logs/train_ae/{dataset}_{variant}_s{seed}.log",
    benchmark:
        "results/benchmarks/train_ae/{dataset}_{variant}_s{seed}.tsv"
    threads: 2  # torch intra-op threads for the small convs
    resources:
        gpu=1,
    params:
        io=io_flags(),
        net_train=lambda w: as_json({
            "variant": w.variant, "net": config["gan"]["net"],
            "train": {**config["ae"]["train"], "seed": int(w.seed), "moment_weights": (
                config["ae"]["moment_weights"] if w.variant == "moments" else {"mean": 0, "var": 0, "kurt": 0})},
        }),
        resume="results/.resume/ae/{dataset}/{variant}_s{seed}/state.pt",
        code=step_code("train_ae"),
    conda:
        ENV
    shell:
        step_shell("train_ae", "--params {params.net_train:q} --resume {params.resume}")


rule interpolation:
    input:
        data=rules.prepare_data.output.data,
        data_summary=rules.prepare_data.output.summary,
        ae=lambda w: rules.train_ae.output.ckpt.format(dataset=w.dataset, variant="plain", seed=config["ae"]["seeds"][0]),
        gan=gan_run(config["latent"]["generator"]),
        codes=rules.inversion.output.codes,
        classifier=lambda w: (rules.train_classifier.output.ckpt.format(dataset=w.dataset)
                              if w.dataset in config["evaluation"]["datasets"] else []),
    output:
        figure=report(f"{AE}/interpolation.png", category="Autoencoder interpolation"),
        table=f"{AE}/interpolation.csv",
        facts=f"{AE}/interpolation_facts.json",
    log:
        "results/logs/interpolation/{dataset}.log",
    benchmark:
        "results/benchmarks/interpolation/{dataset}.tsv"
    threads: 2  # decoding a few short paths
    resources:
        gpu=1,
    params:
        io=io_flags(),
        interpolation=as_json(config["ae"]["interpolation"]),
        code=step_code("interpolation"),
    conda:
        ENV
    shell:
        step_shell("interpolation", "--params {params.interpolation:q}")


rule sampling:
    input:
        data=rules.prepare_data.output.data,
        data_summary=rules.prepare_data.output.summary,
        ckpts=ae_files(rules.train_ae.output.ckpt),
        summaries=ae_files(rules.train_ae.output.summary),
        gan=gan_run(config["latent"]["generator"]),
        # precision and recall in the evaluation's feature space: the classifier, not the evaluation (no cycle)
        classifier=lambda w: (rules.train_classifier.output.ckpt.format(dataset=w.dataset)
                              if w.dataset in config["evaluation"]["datasets"] else []),
    output:
        samples=report(f"{AE}/samples.png", category="Moment-matched autoencoder"),
        moments=report(f"{AE}/moments.png", category="Moment-matched autoencoder"),
        facts=f"{AE}/sampling_facts.json",
    log:
        "results/logs/sampling/{dataset}.log",
    benchmark:
        "results/benchmarks/sampling/{dataset}.tsv"
    threads: 2  # decoding and nearest-neighbour search
    resources:
        gpu=1,
    params:
        io=io_flags(),
        sampling=as_json({**config["ae"]["sampling"], "k": config["evaluation"]["k"]}),  # the evaluation's k-NN
        code=step_code("sampling"),
    conda:
        ENV
    shell:
        step_shell("sampling", "--params {params.sampling:q}")


report_section("interpolation", rules.interpolation.output.facts, config["ae"]["datasets"])
report_section("sampling", rules.sampling.output.facts, config["ae"]["datasets"])
