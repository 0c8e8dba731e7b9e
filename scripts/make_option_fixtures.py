"""Writes the numpy reference logs for the options of issue 17 (widths, features, regression, L1,
optimizers, dropout): each case run by scripts/post_numpy.py with the same arguments that
`descent train` takes, kept only if it is stable, i.e. a run with epsilon one part in 10^13
larger prints the same digits (chaotic runs have no single answer to match).

    python3 scripts/make_option_fixtures.py      # numpy only; no scikit-learn needed
"""
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "DescentCoreTests", "Fixtures")
RUN = ["--passes", "3001", "--print-every", "500"]

# (name, arguments): each option on its own (others at their defaults), then a few combinations.
CASES = [
    ("widths 8,4", "--hidden 8,4 --epsilon 0.0005"),
    ("widths 6,5,4", "--hidden 6,5,4 --epsilon 0.0002"),
    ("all seven features", "--features x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2 --epsilon 0.002"),
    ("circles from x1sq, x2sq", "--dataset circles --noise 0.05 --features x1sq,x2sq --epsilon 0.002"),
    ("sines", "--features sinx1,sinx2 --epsilon 0.002"),
    ("product first", "--features x1x2,x1 --epsilon 0.002"),
    ("L1", "--reg l1 --epsilon 0.002"),
    ("momentum", "--optimizer momentum --epsilon 0.001"),
    ("nesterov", "--optimizer nesterov --momentum 0.8 --epsilon 0.001"),
    ("adam", "--optimizer adam --epsilon 0.01"),
    ("adam constants", "--optimizer adam --epsilon 0.002 --beta1 0.8 --beta2 0.99 --adam-epsilon 1e-6"),
    ("dropout", "--dropout 0.2 --hidden 10 --epsilon 0.002"),
    ("dropout at the post", "--dropout 0.2 --epsilon 0.002"),
    ("regression plane", "--task regression --dataset plane --gradient sum --epsilon 0.0002"),
    ("regression gauss", "--task regression --dataset gauss --hidden 8,4 --gradient sum --epsilon 0.0002 --noise 0.1"),
    ("regression sine", "--task regression --dataset sine --hidden 10 --gradient mean --epsilon 0.1"),
    ("regression CSV", "--task regression --data {csv} --hidden 5 --gradient mean --epsilon 0.05"),
    ("adam, dropout, widths, features, mean",
     "--gradient mean --optimizer adam --hidden 6,4 --dropout 0.1 --features x1,x2,x1x2 --epsilon 0.002"),
    ("momentum, L1, widths", "--optimizer momentum --reg l1 --hidden 5,3 --epsilon 0.0005"),
    ("nesterov, L1, circle features", "--dataset circles --optimizer nesterov --reg l1 --features x1sq,x2sq,x1 --noise 0.05 --epsilon 0.0005"),
    ("regression with adam and dropout",
     "--task regression --dataset gauss --optimizer adam --epsilon 0.01 --gradient mean --dropout 0.1 --hidden 8"),
]


def regression_csv(path):
    """60 points: target x1 - 2·x2 + sin(3·x1) plus a little noise."""
    rs = np.random.RandomState(7)
    X = rs.uniform(-1, 1, (60, 2))
    y = X[:, 0] - 2 * X[:, 1] + np.sin(3 * X[:, 0]) + rs.normal(scale=0.05, size=60)
    with open(path, "w") as f:
        f.write("x1,x2,target\n")
        for (a, b), t in zip(X, y):
            f.write("%r,%r,%r\n" % (float(a), float(b), float(t)))


def run(arguments):
    return subprocess.run([sys.executable, os.path.join(HERE, "post_numpy.py")] + arguments + RUN + ["--summary"],
                          capture_output=True, text=True, check=True).stdout.splitlines()


def main():
    csv = os.path.join(OUT, "regression.csv")
    regression_csv(csv)
    cases = []
    for name, text in CASES:
        arguments = text.format(csv="regression.csv").split()
        local = [os.path.join(OUT, w) if w == "regression.csv" else w for w in arguments]
        lines = run(local)
        e = local.index("--epsilon") + 1 if "--epsilon" in local else None
        nudged = list(local) + ([] if e else ["--epsilon", "0.01"])
        e = e or len(nudged) - 1
        nudged[e] = repr(float(nudged[e]) * (1 + 1e-13))
        if run(nudged) != lines:
            sys.exit("unstable case, choose another epsilon: %s" % name)
        cases.append({"name": name, "arguments": arguments + RUN, "lines": lines})
        print(name, "->", lines[-1])
    with open(os.path.join(OUT, "options-parity.json"), "w") as f:
        json.dump({"numpy": np.__version__, "cases": cases}, f, indent=1)


if __name__ == "__main__":
    main()
