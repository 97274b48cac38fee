"""Which figures the workflow draws and which cells they show, decided from the config.

Kept apart from :mod:`ablation.plots` and free of plotting imports: workflow/rules/figures.smk
imports it each time Snakemake reads the workflow (every run, dry run and cluster job), and
seaborn with matplotlib would add a second to each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

#: Every dataset's figures, in report order, with the title shown as the report label.
FIGURES = {
    "heatmap": "mean dev score, activation x hidden size",
    "critical_difference": "critical-difference diagram: activations and inits ranked",
    "accuracy_vs_hidden": "accuracy versus hidden size",
    "learning_curves": "learning curves",
    "symmetry": "symmetry of zero init",
    "saturation": "saturation of sigmoid and tanh",
    "linear_collapse": "linear collapse of the identity network",
    "learning_rates": "dev score against learning rate (fixed rates)",
}
#: Figures drawn only for generated planar data (the boundary lives in 2-D input space).
PLANAR_FIGURES = {"decision_boundaries": "decision boundaries, activation x hidden size"}
#: Hidden sizes of the course's decision-boundary grid (planar data).
DECISION_BOUNDARY_HIDDEN = (1, 2, 3, 4, 5, 20, 50)
#: Init shown in the decision-boundary grid: the first of these the grid has. Xavier keeps
#: every activation in its working range at every hidden size; the course used ``small``.
DECISION_BOUNDARY_INIT_PREFERENCE = ("xavier", "he", "small", "large", "zeros")


def figure_files(dataset: str, source: str, formats: Sequence[str] = ("png",)) -> list[str]:
    """Paths of the figures of one dataset (``source`` is the config's ``h5`` or ``planar``),
    each in every one of ``formats`` (the config's ``figures.formats``).

    >>> figure_files("planar", "planar")[-1]
    'results/planar/figures/decision_boundaries.png'
    >>> figure_files("cat", "h5", ["png", "pdf"])[:2]
    ['results/cat/figures/heatmap.png', 'results/cat/figures/heatmap.pdf']
    """
    names = list(FIGURES) + (list(PLANAR_FIGURES) if source == "planar" else [])
    return [f"results/{dataset}/figures/{name}.{suffix}" for name in names for suffix in formats]


def history_hidden(hidden_sizes: Iterable[int]) -> int:
    """Hidden size at which the per-iteration figures are drawn: the grid's upper median.

    A middle-sized network rather than the best cell's, so that the choice is known before
    training (it is a rule parameter) and is never 1 unless the grid has only 1: a single
    hidden unit has no spread, which would make the symmetry figure vacuous.

    >>> history_hidden([1, 2, 3, 4, 5, 7, 10, 20, 50]), history_hidden([1, 4])
    (5, 4)
    """
    sizes = sorted(set(hidden_sizes))
    return sizes[len(sizes) // 2]


def decision_boundary_choice(
    inits: Sequence[str], hidden_sizes: Sequence[int], seeds: Sequence[int]
) -> dict:
    """The cells shown in the decision-boundary grid: one init, one seed, some hidden sizes.

    Returns
    -------
    dict
        ``init`` (first of :data:`DECISION_BOUNDARY_INIT_PREFERENCE` in the grid), ``seed``
        (the smallest), ``hidden`` (the course's sizes present in the grid, or every grid size
        if none is).
    """
    init = next((name for name in DECISION_BOUNDARY_INIT_PREFERENCE if name in inits), inits[0])
    hidden = [size for size in DECISION_BOUNDARY_HIDDEN if size in hidden_sizes]
    return {"init": init, "seed": min(seeds), "hidden": hidden or sorted(hidden_sizes)}
