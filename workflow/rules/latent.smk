LATENT = "results/latent/{dataset}"
LATENT_CODE = ["src/genlab/latent.py", "src/genlab/nets.py", "src/genlab/image_metrics.py", "src/genlab/inversion.py",
               "src/genlab/plots.py", "src/genlab/plots_latent.py", "src/genlab/data.py", "src/genlab/images.py"]
MASKS = list(config["latent"]["restoration"]["masks"])


rule invert:
    input:
        data="results/data/{dataset}.npz",
        ckpt=gan_checkpoint(config["latent"]["generator"]),
    output:
        codes=f"{LATENT}/inversion_codes.pt",
        table=f"{LATENT}/inversion.csv",
        figure=f"{LATENT}/inversion.png",
        error_map=f"{LATENT}/inversion_error_map.png",
        scatter=f"{LATENT}/inversion_error_vs_attributes.png",
        facts=f"{LATENT}/inversion_facts.json",
    log:
        "results/logs/invert/{dataset}.log",
    benchmark:
        "results/benchmarks/invert/{dataset}.tsv"
    threads: 2  # one batched optimisation over images x restarts
    resources:
        gpu=1,
    params:
        fit=as_json({**config["latent"]["inversion"], "generator": config["latent"]["generator"]}),
        device=config["device"],
        code=code_version(*LATENT_CODE, "src/genlab/steps/invert.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.invert --data {input.data} --ckpt {input.ckpt} --params {params.fit:q}"
        " --device {params.device} --threads {threads} --codes {output.codes} --table {output.table}"
        " --figure {output.figure} --error-map {output.error_map} --scatter {output.scatter}"
        " --facts {output.facts} > {log} 2>&1"


rule restore:
    input:
        data="results/data/{dataset}.npz",
        ckpt=gan_checkpoint(config["latent"]["generator"]),
    output:
        figures=expand("results/latent/{{dataset}}/restore_{mask}.png", mask=MASKS),
        table=f"{LATENT}/restoration.csv",
        facts=f"{LATENT}/restoration_facts.json",
    log:
        "results/logs/restore/{dataset}.log",
    benchmark:
        "results/benchmarks/restore/{dataset}.tsv"
    threads: 2  # one batched optimisation over masks x images x restarts
    resources:
        gpu=1,
    params:
        fit=as_json({**config["latent"]["restoration"], "generator": config["latent"]["generator"]}),
        figures=lambda w, output: " ".join(f"--figure {m}={p}" for m, p in zip(MASKS, output.figures)),
        device=config["device"],
        code=code_version(*LATENT_CODE, "src/genlab/masks.py", "src/genlab/restoration.py",
                          "src/genlab/steps/restore.py"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.restore --data {input.data} --ckpt {input.ckpt} --params {params.fit:q}"
        " --device {params.device} --threads {threads} {params.figures} --table {output.table}"
        " --facts {output.facts} > {log} 2>&1"
