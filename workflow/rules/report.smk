rule report:
    input:
        facts=[facts for _, facts in report_sections()],
        datasets=expand("results/data/{dataset}.json", dataset=used_datasets()),
    output:
        html="results/report.html",
        pdf="results/report.pdf",
    log:
        "results/logs/report/report.log",
    benchmark:
        "results/benchmarks/report/report.tsv"
    threads: 1  # HTML layout is single-threaded
    params:
        sections=" ".join(f"--section {partial}={facts}" for partial, facts in report_sections()),
        datasets=lambda w, input: " ".join(f"--dataset {path}" for path in input.datasets),
        config=as_json(config),
        commit=git_commit(),
        templates=str(REPO / "report"),
        code=code_version("src/genlab/report.py", "src/genlab/steps/report.py", "report"),
    conda:
        ENV
    shell:
        "python -m genlab.steps.report {params.sections} {params.datasets} --config-json {params.config:q}"
        " --commit {params.commit:q} --benchmarks results/benchmarks --templates {params.templates}"
        " --html {output.html} --pdf {output.pdf} > {log} 2>&1"
