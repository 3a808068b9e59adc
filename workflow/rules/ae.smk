AE_RUN = "results/ae/{dataset}/{variant}_s{seed}"
AE_CODE = ["src/genlab/nets.py", "src/genlab/losses.py", "src/genlab/train_ae.py", "src/genlab/checkpoint.py",
           "src/genlab/runtime.py", "src/genlab/data.py", "src/genlab/steps/train_ae.py"]


rule train_ae:
    input:
        data="results/data/{dataset}.npz",
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
        net_train=lambda w: as_json({
            "variant": w.variant, "net": config["gan"]["net"],
            "train": {**config["ae"]["train"], "seed": int(w.seed), "moment_weights": (
                config["ae"]["moment_weights"] if w.variant == "moments" else {"mean": 0, "var": 0, "kurt": 0})},
        }),
        device=config["device"],
        resume="results/.resume/ae/{dataset}/{variant}_s{seed}/state.pt",
        code=code_version(*AE_CODE),
    conda:
        ENV
    shell:
        "python -m genlab.steps.train_ae --data {input.data} --params {params.net_train:q} --device {params.device}"
        " --threads {threads} --resume {params.resume} --ckpt {output.ckpt} --history {output.history}"
        " --summary {output.summary} > {log} 2>&1"


rule interpolate:
    input:
        data="results/data/{dataset}.npz",
        ae=f"results/ae/{{dataset}}/plain_s{config['ae']['seeds'][0]}/ckpt.pt",
        gan=gan_checkpoint(config["latent"]["generator"]),
        codes="results/latent/{dataset}/inversion_codes.pt",
        classifier=lambda w: (f"results/classifier/{w.dataset}/ckpt.pt"
                              if w.dataset in config["evaluation"]["datasets"] else []),
    output:
        figure="results/ae/{dataset}/interpolation.png",
        table="results/ae/{dataset}/interpolation.csv",
        facts="results/ae/{dataset}/interpolation_facts.json",
    log:
        "results/logs/interpolate/{dataset}.log",
    benchmark:
        "results/benchmarks/interpolate/{dataset}.tsv"
    threads: 2  # decoding a few short paths
    resources:
        gpu=1,
    params:
        interpolation=as_json(config["ae"]["interpolation"]),
        classifier=lambda w, input: f"--classifier {input.classifier}" if input.classifier else "",
        device=config["device"],
        code=code_version("src/genlab/interpolation.py", "src/genlab/neighbours.py", "src/genlab/plots_latent.py",
                          "src/genlab/images.py", "src/genlab/classifier.py", "src/genlab/steps/interpolate.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.interpolate --data {input.data} --ae {input.ae} --gan {input.gan}"
        " --codes {input.codes} {params.classifier} --params {params.interpolation:q} --device {params.device} --threads {threads}"
        " --figure {output.figure} --table {output.table} --facts {output.facts} > {log} 2>&1"


rule analyse_ae:
    input:
        data="results/data/{dataset}.npz",
        ckpts=ae_run_files("ckpt.pt"),
        summaries=ae_run_files("training.json"),
        gan=gan_checkpoint(config["latent"]["generator"]),
    output:
        samples="results/ae/{dataset}/samples.png",
        moments="results/ae/{dataset}/moments.png",
        facts="results/ae/{dataset}/sampling_facts.json",
    log:
        "results/logs/analyse_ae/{dataset}.log",
    benchmark:
        "results/benchmarks/analyse_ae/{dataset}.tsv"
    threads: 2  # decoding and nearest-neighbour search
    resources:
        gpu=1,
    params:
        sampling=as_json(config["ae"]["sampling"]),
        ckpts=lambda w, input: " ".join(f"--ae {p}" for p in input.ckpts),
        summaries=lambda w, input: " ".join(f"--summary {p}" for p in input.summaries),
        device=config["device"],
        code=code_version("src/genlab/generate.py", "src/genlab/plots.py", "src/genlab/memorisation.py",
                          "src/genlab/steps/analyse_ae.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.analyse_ae --data {input.data} {params.ckpts} {params.summaries} --gan {input.gan}"
        " --params {params.sampling:q} --device {params.device} --threads {threads} --samples {output.samples}"
        " --moments {output.moments} --facts {output.facts} > {log} 2>&1"
