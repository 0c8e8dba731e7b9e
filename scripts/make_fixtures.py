"""Writes the numpy / scikit-learn reference values the Swift tests compare against.

    pip install numpy scikit-learn && python3 scripts/make_fixtures.py

Doubles are written with repr(), which round-trips exactly.
"""
import json
import warnings
import os
import subprocess
import sys

import numpy as np
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.linear_model import LogisticRegressionCV

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "DescentCoreTests", "Fixtures")


def floats(a):
    return [repr(float(v)) for v in np.asarray(a, dtype=np.float64).ravel()]


def dataset(X, y):
    return {"X": floats(X), "y": [int(v) for v in y], "rows": int(X.shape[0])}


def main():
    warnings.simplefilter("ignore")
    rng = {}
    rng["raw_seed0"] = [int(v) for v in np.random.RandomState(0)._bit_generator.random_raw(10)]
    rng["raw_seed4294967295"] = [
        int(v) for v in np.random.RandomState(4294967295)._bit_generator.random_raw(5)]
    rng["sample"] = {str(s): floats(np.random.RandomState(s).random_sample(6)) for s in [0, 1, 42, 123456789]}
    rng["randn_seed0_3x4"] = floats(np.random.RandomState(0).randn(3, 4))
    rng["randn_seed7_odd"] = floats(np.random.RandomState(7).randn(7))
    rng["uniform_seed3"] = floats(np.random.RandomState(3).uniform(-10, 10, 5))
    rng["normal_seed5"] = floats(np.random.RandomState(5).normal(loc=2.5, scale=0.3, size=5))
    rng["permutation_seed0_10"] = [int(v) for v in np.random.RandomState(0).permutation(10)]
    rng["permutation_seed9_300"] = [int(v) for v in np.random.RandomState(9).permutation(300)]
    rng["permutation_seed1_70000_head"] = [int(v) for v in np.random.RandomState(1).permutation(70000)[:50]]
    rs = np.random.RandomState(0)
    rng["init_2_3_2_seed0"] = floats(np.concatenate([
        (rs.randn(2, 3) / np.sqrt(2)).ravel(), (rs.randn(3, 2) / np.sqrt(3)).ravel()]))

    data = {}
    np.random.seed(0)
    data["moons_200_0.2_seed0"] = dataset(*make_moons(200, noise=0.20))
    data["moons_137_0.35_seed5"] = dataset(*make_moons(137, noise=0.35, random_state=5))
    data["circles_150_0.1_seed3"] = dataset(*make_circles(150, noise=0.1, random_state=3))
    data["circles_51_0.05_seed11"] = dataset(*make_circles(51, noise=0.05, random_state=11))
    data["blobs_100_4_1.0_seed2"] = dataset(*make_blobs(100, centers=4, cluster_std=1.0, random_state=2))
    data["blobs_75_3_0.5_seed8"] = dataset(*make_blobs(75, centers=3, cluster_std=0.5, random_state=8))

    post = subprocess.run([sys.executable, os.path.join(HERE, "post_numpy.py")],
                          capture_output=True, text=True, check=True).stdout.splitlines()

    np.random.seed(0)
    X, y = make_moons(200, noise=0.20)
    clf = LogisticRegressionCV().fit(X, y)
    baseline = {"C": repr(float(clf.C_[0])), "accuracy": repr(float(clf.score(X, y)))}
    for seed in [0, 1, 2]:  # multinomial, three classes
        Xb, yb = make_blobs(150, centers=3, random_state=seed)
        clf = LogisticRegressionCV().fit(Xb, yb)
        baseline["blobs3_seed%d" % seed] = {"C": repr(float(clf.C_[0])), "accuracy": repr(float(clf.score(Xb, yb)))}

    os.makedirs(OUT, exist_ok=True)
    for name, value in [("rng", rng), ("datasets", data), ("baseline", baseline)]:
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(value, f, indent=1)
    with open(os.path.join(OUT, "post-log-numpy.txt"), "w") as f:
        f.write("\n".join(post) + "\n")
    print("wrote fixtures to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
