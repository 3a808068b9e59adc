rule theory:
    output:
        facts="results/theory/facts.json",
    log:
        "results/logs/theory/theory.log",
    benchmark:
        "results/benchmarks/theory/theory.tsv"
    threads: 1  # tiny float64 convolutions
    params:
        io=io_flags(),
        code=step_code("theory"),
    conda:
        ENV
    shell:
        step_shell("theory")


report_section("theory", rules.theory.output.facts)
