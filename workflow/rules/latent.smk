LATENT = "results/latent/{dataset}"
MASKS = sorted(config["latent"]["restoration"]["masks"])  # the order of the step's params (as_json sorts keys)


rule inversion:
    input:
        data=rules.prepare_data.output.data,
        data_summary=rules.prepare_data.output.summary,
        ckpt=gan_run(config["latent"]["generator"]),
    output:
        codes=f"{LATENT}/inversion_codes.pt",
        table=f"{LATENT}/inversion.csv",
        figure=report(f"{LATENT}/inversion.png", category="GAN inversion"),
        error_map=report(f"{LATENT}/inversion_error_map.png", category="GAN inversion"),
        scatter=report(f"{LATENT}/inversion_error_vs_attributes.png", category="GAN inversion"),
        facts=f"{LATENT}/inversion_facts.json",
    log:
        "results/logs/inversion/{dataset}.log",
    benchmark:
        "results/benchmarks/inversion/{dataset}.tsv"
    threads: 2  # one batched optimisation over images x restarts
    resources:
        gpu=1,
    params:
        io=io_flags(),
        fit=as_json({**config["latent"]["inversion"], "generator": config["latent"]["generator"]}),
        code=step_code("inversion"),
    conda:
        ENV
    shell:
        step_shell("inversion", "--params {params.fit:q}")


rule restoration:
    input:
        data=rules.prepare_data.output.data,
        data_summary=rules.prepare_data.output.summary,
        ckpt=gan_run(config["latent"]["generator"]),
    output:
        figures=[report(f"{LATENT}/restore_{mask}.png", category="Image restoration") for mask in MASKS],
        table=f"{LATENT}/restoration.csv",
        facts=f"{LATENT}/restoration_facts.json",
    log:
        "results/logs/restoration/{dataset}.log",
    benchmark:
        "results/benchmarks/restoration/{dataset}.tsv"
    threads: 2  # one batched optimisation over masks x images x restarts
    resources:
        gpu=1,
    params:
        io=io_flags(),
        fit=as_json({**config["latent"]["restoration"], "generator": config["latent"]["generator"]}),
        code=step_code("restoration"),
    conda:
        ENV
    shell:
        step_shell("restoration", "--params {params.fit:q}")


report_section("inversion", rules.inversion.output.facts, config["latent"]["datasets"])
report_section("restoration", rules.restoration.output.facts, config["latent"]["datasets"])
