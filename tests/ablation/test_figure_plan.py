"""The figures the workflow plans from the config (before any cell is trained)."""

from ablation.figure_plan import (
    FIGURES,
    decision_boundary_choice,
    figure_files,
    history_hidden,
)


def test_figure_files_add_decision_boundaries_for_planar_data_only():
    assert figure_files("cat", "h5") == [f"results/cat/figures/{name}.png" for name in FIGURES]
    assert figure_files("moons", "planar")[-1] == "results/moons/figures/decision_boundaries.png"


def test_figure_files_list_every_figure_in_every_format():
    files = figure_files("moons", "planar", ["png", "svg", "pdf"])
    assert len(files) == 3 * (len(FIGURES) + 1)
    assert files[:3] == [
        f"results/moons/figures/heatmap.{suffix}" for suffix in ("png", "svg", "pdf")
    ]


def test_history_hidden_is_the_upper_median_of_the_grid():
    assert history_hidden([50, 1, 2, 3, 4, 5, 7, 10, 20]) == 5
    assert history_hidden([1, 4]) == 4
    assert history_hidden([3]) == 3


def test_decision_boundary_choice_prefers_xavier_and_the_course_sizes():
    choice = decision_boundary_choice(["zeros", "small", "xavier"], [1, 2, 7, 20], [2, 1])
    assert choice == {"init": "xavier", "seed": 1, "hidden": [1, 2, 20]}
    fallback = decision_boundary_choice(["zeros"], [6, 9], [0])
    assert fallback == {"init": "zeros", "seed": 0, "hidden": [6, 9]}
