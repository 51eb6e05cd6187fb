#!/usr/bin/env python3
"""Trustworthiness and continuity computed by scikit-learn, written as the fixture
`tests/fixtures/neighbourhood.json` that `crate/tests/neighbourhood.rs` compares with.

Run by hand once (not by CI), from the repository root:

    python3 -m venv /tmp/skenv && /tmp/skenv/bin/pip install scikit-learn
    /tmp/skenv/bin/python tests/reference/sklearn_metrics.py > tests/fixtures/neighbourhood.json

Continuity is scikit-learn's trustworthiness with the two spaces swapped. The points are
random float32 values (no ties), stored in the fixture, so that the Rust test reads them.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.manifold import trustworthiness


def case(name, n, d, seed, mix):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d)).astype(np.float32)
    # A latent space that keeps some of the input's structure: its first two coordinates,
    # mixed with noise (mix = 0: a copy of them; mix = 1: pure noise).
    noise = rng.standard_normal((n, 2)).astype(np.float32)
    z = ((1 - mix) * x[:, :2] + mix * noise).astype(np.float32)
    out = {"name": name, "x": x.tolist(), "z": z.tolist(), "k": {}}
    for k in (1, 5, 10):
        # float64 copies of the float32 values, as the Rust code computes distances.
        xs, zs = x.astype(np.float64), z.astype(np.float64)
        out["k"][str(k)] = {
            "trustworthiness": float(trustworthiness(xs, zs, n_neighbors=k)),
            "continuity": float(trustworthiness(zs, xs, n_neighbors=k)),
        }
    return out


def main():
    cases = [case("structured", 120, 6, 1, 0.3), case("noise", 90, 4, 2, 1.0)]
    json.dump({"generator": f"tests/reference/sklearn_metrics.py with scikit-learn {sklearn.__version__}",
               "cases": cases}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
