"""The post's own numpy code ("Implementing a Neural Network from Scratch in Python"), ported to
Python 3 and parameterized; used to make test fixtures and as the benchmark's reference run.

    python3 scripts/post_numpy.py                      # the post's log
    python3 scripts/post_numpy.py --bench --hidden 50  # iterations per second, one line of JSON
"""
import argparse
import json
import time

import numpy as np


def make_moons(n_samples, noise):
    """scikit-learn's make_moons on the global generator (as the post calls it after seeding)."""
    try:
        from sklearn.datasets import make_moons as sk_make_moons
        return sk_make_moons(n_samples, noise=noise)
    except ImportError:  # the same algorithm, so the benchmark runs without scikit-learn
        n_out = n_samples // 2
        n_in = n_samples - n_out
        t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
        X = np.vstack([np.append(np.cos(t_out), 1 - np.cos(t_in)),
                       np.append(np.sin(t_out), 1 - np.sin(t_in) - 0.5)]).T
        y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
        idx = np.arange(n_samples)
        np.random.shuffle(idx)
        X, y = X[idx], y[idx]
        return X + np.random.normal(scale=noise, size=X.shape), y


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--samples", type=int, default=200)
    p.add_argument("--hidden", type=int, default=3)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--passes", type=int, default=20000)
    p.add_argument("--epsilon", type=float, default=0.01)
    p.add_argument("--reg-lambda", type=float, default=0.01)
    p.add_argument("--mean", action="store_true", help="divide the data gradient by the batch size")
    p.add_argument("--bench", action="store_true", help="print iterations per second as JSON")
    a = p.parse_args()

    np.random.seed(0)
    X, y = make_moons(a.samples, 0.20)
    num_examples = len(X)
    sizes = [2] + [a.hidden] * a.layers + [2]

    np.random.seed(0)
    Ws = [np.random.randn(i, o) / np.sqrt(i) for i, o in zip(sizes, sizes[1:])]
    bs = [np.zeros((1, o)) for o in sizes[1:]]

    def forward(X):
        acts = [X]
        for W, b in zip(Ws[:-1], bs[:-1]):
            acts.append(np.tanh(acts[-1].dot(W) + b))
        exp_scores = np.exp(acts[-1].dot(Ws[-1]) + bs[-1])
        return acts, exp_scores / np.sum(exp_scores, axis=1, keepdims=True)

    def calculate_loss():
        _, probs = forward(X)
        data_loss = np.sum(-np.log(probs[range(num_examples), y]))
        data_loss += a.reg_lambda / 2 * sum(np.sum(np.square(W)) for W in Ws)
        return 1. / num_examples * data_loss

    scale = 1.0 / num_examples if a.mean else 1.0
    start = time.perf_counter()
    for i in range(a.passes):
        acts, probs = forward(X)
        delta = probs
        delta[range(num_examples), y] -= 1
        dWs, dbs = [None] * len(Ws), [None] * len(Ws)
        for l in reversed(range(len(Ws))):
            dWs[l] = acts[l].T.dot(delta) * scale + a.reg_lambda * Ws[l]
            dbs[l] = np.sum(delta, axis=0, keepdims=True) * scale
            if l > 0:
                delta = delta.dot(Ws[l].T) * (1 - np.power(acts[l], 2))
        for l in range(len(Ws)):
            Ws[l] += -a.epsilon * dWs[l]
            bs[l] += -a.epsilon * dbs[l]
        if not a.bench and i % 1000 == 0:
            print("Loss after iteration %i: %f" % (i, calculate_loss()))
    elapsed = time.perf_counter() - start
    if a.bench:
        print(json.dumps({"iterations": a.passes, "seconds": elapsed, "per_second": a.passes / elapsed,
                          "loss": calculate_loss()}))
    else:
        print("final loss %f" % calculate_loss())


if __name__ == "__main__":
    main()
