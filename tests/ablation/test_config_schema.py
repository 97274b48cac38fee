"""The config schema: registries match the library, defaults, and typos and bad values rejected."""

import copy
import re
from pathlib import Path

import pytest
import shallownet
import yaml
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from ablation.metrics import DEFAULT_METRIC, METRICS

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "config" / "config.schema.yaml"
DEFAULT_CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text())


def schema():
    return yaml.safe_load(SCHEMA.read_text())


def test_enums_equal_the_library_registries():
    grid = schema()["properties"]["grid"]["properties"]
    assert set(grid["activation"]["items"]["enum"]) == set(shallownet.ACTIVATIONS)
    assert set(grid["init"]["items"]["enum"]) == set(shallownet.INITIALIZERS)
    metric = schema()["properties"]["selection"]["properties"]["metric"]
    assert set(metric["enum"]) == set(METRICS)
    assert metric["default"] == DEFAULT_METRIC


def test_every_key_has_a_description():
    def undescribed(node, where):
        for name, sub in node.get("properties", {}).items():
            if "description" not in sub:
                yield f"{where}.{name}"
            yield from undescribed(sub, f"{where}.{name}")

    document = schema()
    missing = list(undescribed(document, "config"))
    for name, definition in document["$defs"].items():
        missing += list(undescribed(definition, name))
    assert missing == []


@pytest.mark.parametrize("path", ["config/config.yaml", ".test/config/config.yaml"])
def test_shipped_configs_are_valid(path):
    validate(yaml.safe_load((REPO / path).read_text()), str(SCHEMA))


def test_defaults_are_filled_in():
    config = copy.deepcopy(DEFAULT_CONFIG)
    for key in ("leaky_relu_alpha", "init_scale", "record_every", "selection", "baseline"):
        del config[key]
    for key in ("dev_split", "n_dev"):
        del config["datasets"]["planar"][key]
    del config["datasets"]["cat"]["dev_split"]
    validate(config, str(SCHEMA))
    assert config["leaky_relu_alpha"] == [0.01]
    assert config["init_scale"] == {"small": 0.01, "large": 1.0}
    assert config["record_every"] == 100
    assert config["selection"] == {"metric": "balanced_accuracy"}
    assert config["baseline"] == {"C": [0.001, 0.01, 0.1, 1.0, 10.0, 100.0]}
    assert config["datasets"]["planar"]["dev_fraction"] == 0.2
    assert config["datasets"]["cat"]["split_seed"] == 0
    # The replicates resample the data unless told otherwise; the planar dev draw's size
    # has a default on planar entries only.
    assert config["datasets"]["cat"]["dev_split"] == "resample"
    assert config["datasets"]["planar"]["dev_split"] == "resample"
    assert config["datasets"]["planar"]["n_dev"] == 2000
    assert "n_dev" not in config["datasets"]["cat"]


def set_value(config, path, value):
    *parents, last = path
    for key in parents:
        config = config[key]
    config[last] = value


@pytest.mark.parametrize(
    "path, value, message",
    [
        (("grid", "activation"), ["tanh", "swish"], "'swish' is not one of"),
        (("grid", "init"), ["glorot"], "'glorot' is not one of"),
        (("grid", "hidden"), [0, 2], "0 is less than the minimum of 1"),
        (("grid", "hidden"), [-3], "-3 is less than the minimum of 1"),
        (("datasets", "cat", "learning_rate"), -0.1, "less than or equal to the minimum of 0"),
        (("datasets", "cat", "learning_rate"), 0, "less than or equal to the minimum of 0"),
        (("datasets", "cat", "learning_rate"), [], "[] should be non-empty"),
        (("datasets", "cat", "learning_rate"), [0.1, 0.1], "has non-unique elements"),
        (
            ("datasets", "cat", "learning_rate"),
            [0.1, -2],
            "-2 is less than or equal to the minimum",
        ),
        (("datasets", "cat", "learning_rate"), "fast", "'fast' is not of type 'number', 'array'"),
        (("datasets", "planar", "iterations"), 0, "0 is less than the minimum of 1"),
        (("datasets", "cat", "dev_fraction"), 1.0, "greater than or equal to the maximum of 1"),
        (("datasets", "cat", "dev_fraction"), 0, "less than or equal to the minimum of 0"),
        (("datasets", "cat", "files", "train", "sha256"), "abc", "does not match"),
        (("leaky_relu_alpha",), 0.01, "is not of type 'array'"),
        (("selection", "metric"), "f1", "'f1' is not one of"),
        (("selection", "metrc"), "accuracy", "'metrc' was unexpected"),
        (("grid", "hiden"), [1], "'hiden' was unexpected"),
        (("record_evry",), 10, "'record_evry' was unexpected"),
        (("datasets", "cat", "learning_rte"), 0.1, "'learning_rte' was unexpected"),
    ],
)
def test_bad_values_are_rejected_naming_the_key(path, value, message):
    config = copy.deepcopy(DEFAULT_CONFIG)
    set_value(config, path, value)
    with pytest.raises(WorkflowError) as error:
        validate(config, str(SCHEMA))
    text = str(error.value)
    assert message in text
    # the message points at the key: its name, or the path of the offending instance
    assert path[-1] in text or "".join(f"['{key}']" for key in path[:-1]) in text


@pytest.mark.parametrize("value", [0.5, [0.5], [1.2, 0.05, 0.5]])
def test_learning_rate_is_a_number_or_a_list_of_them(value):
    config = copy.deepcopy(DEFAULT_CONFIG)
    config["datasets"]["cat"]["learning_rate"] = value
    validate(config, str(SCHEMA))


def test_h5_dataset_needs_files():
    config = copy.deepcopy(DEFAULT_CONFIG)
    del config["datasets"]["cat"]["files"]
    with pytest.raises(WorkflowError, match="'files' is a required property"):
        validate(config, str(SCHEMA))


def own_data_examples_text():
    """The text after each ```yaml fence of docs/own-data.md."""
    return (REPO / "docs" / "own-data.md").read_text().split("```yaml\n")[1:]


def test_the_own_data_examples_are_valid_configs():
    examples = [block.split("```")[0] for block in own_data_examples_text()]
    assert len(examples) == 4
    for example in examples:
        config = copy.deepcopy(DEFAULT_CONFIG) | yaml.safe_load(example)
        validate(config, str(SCHEMA))


def own_config(**changes):
    """The default config with an own-data dataset in one file and no test split."""
    config = copy.deepcopy(DEFAULT_CONFIG)
    config["datasets"]["mine"] = {
        "source": "h5",
        "files": {"train": {"path": "data/raw/mine.h5", "sha256": "0" * 64, "x_key": "/x"}},
        "test_fraction": 0.2,
        "learning_rate": 0.1,
        "iterations": 10,
    } | changes
    return config


def test_an_own_layout_is_valid_and_gets_no_layout_defaults():
    config = own_config(positive_class="dog")
    validate(config, str(SCHEMA))
    # The course's keys are applied in code (they contain the split's name), not filled in.
    assert config["datasets"]["mine"]["files"]["train"] == {
        "path": "data/raw/mine.h5",
        "sha256": "0" * 64,
        "x_key": "/x",
    }


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"test_fraction": None}, "'test_fraction' is a required property"),
        ({"test_fraction": 1.0}, "1.0 is greater than or equal to the maximum of 1"),
        ({"classes": ["a", "b", "c"]}, "is too long"),
        ({"classes": ["a", "a"]}, "has non-unique elements"),
        ({"positive_class": "a", "classes": ["a", "b"]}, "should not be valid under"),
        ({"positive_class": 1.5}, "1.5 is not of type 'string', 'integer', 'boolean'"),
    ],
)
def test_bad_own_layouts_are_rejected(changes, message):
    config = own_config(**{key: value for key, value in changes.items() if value is not None})
    for key in [key for key, value in changes.items() if value is None]:
        del config["datasets"]["mine"][key]
    with pytest.raises(WorkflowError, match=re.escape(message)):
        validate(config, str(SCHEMA))


def test_a_test_file_excludes_test_fraction():
    config = own_config()
    config["datasets"]["mine"]["files"]["test"] = config["datasets"]["mine"]["files"]["train"]
    with pytest.raises(WorkflowError, match="should not be valid under"):
        validate(config, str(SCHEMA))
