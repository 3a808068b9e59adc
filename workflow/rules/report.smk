rule rulegraph:
    output:
        figure="results/rulegraph.png",
    log:
        "results/logs/rulegraph/rulegraph.log",
    benchmark:
        "results/benchmarks/rulegraph/rulegraph.tsv"
    threads: 1  # Snakemake's own DAG, drawn by matplotlib
    params:
        io=io_flags(),
        snakefile=workflow.main_snakefile,
        config=as_json(config),
        code=step_code("rulegraph"),
    conda:
        ENV
    shell:
        step_shell("rulegraph", "--snakefile {params.snakefile:q} --config-json {params.config:q}")


rule report:
    input:
        facts=[facts for _, facts in report_sections()],
        datasets=expand(rules.prepare_data.output.summary, dataset=used_datasets()),
        rulegraph=rules.rulegraph.output.figure,
    output:
        html="results/report.html",
        pdf="results/report.pdf",
    log:
        "results/logs/report/report.log",
    benchmark:
        "results/benchmarks/report/report.tsv"
    threads: 1  # HTML layout is single-threaded
    params:
        io=io_flags(skip=("facts",)),  # the facts travel with their partials in --section
        sections=" ".join(f"--section {partial}={facts}" for partial, facts in report_sections()),
        sources=lambda w: as_json(figure_sources()),  # a function: the patterns hold {wildcards}
        config=as_json(config),
        commit=git_commit(),
        templates=str(REPO / "report"),
        code=step_code("report", "report"),
    conda:
        ENV
    shell:
        step_shell("report", "{params.sections} --sources {params.sources:q} --config-json {params.config:q}"
                   " --commit {params.commit:q} --benchmarks results/benchmarks --templates {params.templates}")
