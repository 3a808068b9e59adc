# genlab: one command from raw data to results/report.pdf  (snakemake --cores 4 --resources gpu=1)
#
# Each rule file registers its report sections (report_section), in include order = report order.
# Result paths: results/<stage>/<dataset>/<file>   e.g. results/mlp_gan/mnist/ckpt.pt
#               results/data/<dataset>.npz          the one in-memory data format
#               results/logs/<rule>/<job>.log, results/benchmarks/<rule>/<job>.tsv
#               results/.resume/<stage>/<dataset>/   resume state, declared by no rule (Snakemake would delete it)
from snakemake.utils import min_version

min_version("9.0")


configfile: os.path.join(workflow.basedir, "config.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/mlp_gan.smk"
include: "workflow/rules/gan.smk"
include: "workflow/rules/latent.smk"
include: "workflow/rules/ae.smk"
include: "workflow/rules/evaluation.smk"
include: "workflow/rules/cnn_inversion.smk"
include: "workflow/rules/theory.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        "results/report.pdf",
