"""Identical hidden units stay bitwise identical, however long they train.

The lecture: with zero initialization all hidden units compute the same function "no matter
how long you train". In exact arithmetic that is a theorem; shallownet keeps it exactly
because it trains identical units once and copies the result (``shallownet.units``), and its
``forward`` pass gives every unit the same arithmetic (``rowwise_matmul``). A plain BLAS
matrix product treats its output rows unequally (register blocks and remainder rows), and
gradient descent amplifies the last-bit differences: the sigmoid runs below are ones where
that made the units drift apart (planar: unit_spread > 0 from iteration 700, about 3 at
iteration 10000; cat: about 1e-17 from iteration 1100).

Only sigmoid can break the symmetry: g(0) = 0 for the other activations, so with zero
weights no signal reaches W2 and W1 never moves; they are run to show exactly that.
"""

import numpy as np
import pytest

import shallownet
from shallownet import data
from shallownet.network import rowwise_matmul

ACTIVATIONS = sorted(shallownet.ACTIVATIONS)


def assert_units_stay_identical(result, activation):
    assert result.status == "ok"
    assert len(result.history) > 20
    drifted = [(r["iteration"], r["unit_spread"]) for r in result.history if r["unit_spread"] != 0]
    assert drifted == []
    W1, b1, W2 = result.params["W1"], result.params["b1"], result.params["W2"]
    assert (W1 == W1[0]).all() and (b1 == b1[0]).all() and (W2 == W2[0, 0]).all()
    if activation == "sigmoid":
        # sigmoid(0) = 1/2: the units do learn (identically), so the test is not vacuous.
        assert W1.any()
        assert result.history[-1]["cost"] < result.history[0]["cost"] - 0.01
    else:
        assert not W1.any()


@pytest.fixture(scope="module")
def unbalanced_planar():
    """The planar flower without its last 50 class-1 points (200 class 0, 150 class 1).

    Unbalanced on purpose: with as many examples of each class, zero-initialized weights
    are an exact critical point (the mean of A2 - Y is 0 with A2 = 1/2), nothing moves and
    the symmetry is never put to the test.
    """
    X, Y = data.make_planar(m=400, noise=0.2, rng=np.random.default_rng(1))
    return X[:, :350], Y[:, :350]


@pytest.mark.slow
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_zero_init_units_stay_identical_on_planar_data_direct(unbalanced_planar, activation):
    X, Y = unbalanced_planar
    start = shallownet.initialize(2, 20, "zeros", np.random.default_rng(0))
    result = shallownet.fit(
        X,
        Y,
        start,
        activation=activation,
        learning_rate=1.2,
        iterations=10000,
        X_dev=X[:, ::7],
        Y_dev=Y[:, ::7],
        record_every=100,
        method="direct",
    )
    assert_units_stay_identical(result, activation)


@pytest.mark.slow
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_zero_init_units_stay_identical_on_cat_data_gram(cat_data, activation):
    # The full training set (209 examples): the Gram matrix's shape matters to BLAS, and
    # this is one where a plain matrix product broke the symmetry.
    X, Y = cat_data["X_train"], cat_data["Y_train"]
    start = shallownet.initialize(X.shape[0], 50, "zeros", np.random.default_rng(0))
    result = shallownet.fit(
        X,
        Y,
        start,
        activation=activation,
        learning_rate=0.0075,
        iterations=2500,
        X_dev=cat_data["X_test"],
        Y_dev=cat_data["Y_test"],
        record_every=100,
        method="gram",
    )
    assert_units_stay_identical(result, activation)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    "n_rows,n_inner,n_columns", [(7, 320, 2), (9, 350, 2), (50, 209, 209), (17, 2000, 30)]
)
def test_rowwise_matmul_is_the_product_with_identical_rows_for_identical_rows(
    n_rows, n_inner, n_columns, dtype
):
    rng = np.random.default_rng(0)
    B = rng.standard_normal((n_inner, n_columns)).astype(dtype)
    repeated = np.repeat(rng.standard_normal((1, n_inner)).astype(dtype), n_rows, axis=0)
    product = rowwise_matmul(repeated, B)
    assert product.dtype == dtype
    assert (product == product[0]).all()
    # Permuting the rows of A permutes the rows of the product, bit for bit.
    A = rng.standard_normal((n_rows, n_inner)).astype(dtype)
    permutation = rng.permutation(n_rows)
    product = rowwise_matmul(A, B)
    assert rowwise_matmul(A[permutation], B).tobytes() == product[permutation].tobytes()
    reference = A @ B
    assert np.linalg.norm(product - reference) <= 1e3 * np.finfo(dtype).eps * np.linalg.norm(
        reference
    )
    out = np.empty((n_rows, n_columns), dtype=dtype)
    assert np.shares_memory(rowwise_matmul(A, B, out=out), out)
    assert out.tobytes() == product.tobytes()
