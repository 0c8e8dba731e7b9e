"""The post's own numpy code ("Implementing a Neural Network from Scratch in Python"), ported to
Python 3 and parameterized; used to make test fixtures and as the benchmark's reference run.

    python3 scripts/post_numpy.py                      # the post's log
    python3 scripts/post_numpy.py --bench --hidden 50  # iterations per second, one line of JSON

It grows the options of issue 17 with the same names and meaning as `descent train`, so a run of
each can be compared line by line (the options parity tests do):

    --hidden 8,4  --features x1,x1sq  --task regression --dataset plane|gauss|sine  --data FILE.csv
    --reg l1  --optimizer momentum|nesterov|adam --momentum --beta1 --beta2 --adam-epsilon
    --dropout p  --gradient mean  --seed S  --passes N  --print-every K  --summary
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
        return shuffled_with_noise(X, n_out, noise)


def make_circles(n_samples, noise, factor=0.8):
    """scikit-learn's make_circles on the global generator."""
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([np.append(np.cos(t_out), np.cos(t_in) * factor),
                   np.append(np.sin(t_out), np.sin(t_in) * factor)]).T
    return shuffled_with_noise(X, n_out, noise)


def shuffled_with_noise(X, n_out, noise):
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(len(X) - n_out, dtype=np.intp)])
    idx = np.arange(len(X))
    np.random.shuffle(idx)
    X, y = X[idx], y[idx]
    return X + np.random.normal(scale=noise, size=X.shape), y


def rand_uniform(a, b):
    """TensorFlow Playground's randUniform, with numpy's generator for Math.random."""
    return np.random.random_sample() * (b - a) + a


def playground_regression(n, noise, label):
    """The loop of the Playground's regressPlane and regressGaussian (dataset.ts)."""
    radius = 6.0
    X, targets = np.zeros((n, 2)), np.zeros(n)
    for i in range(n):
        x, y = rand_uniform(-radius, radius), rand_uniform(-radius, radius)
        noise_x = rand_uniform(-radius, radius) * noise
        noise_y = rand_uniform(-radius, radius) * noise
        X[i] = x, y
        targets[i] = label(x + noise_x, y + noise_y)
    return X, targets


def regress_plane(n, noise):
    def label(x, y):  # d3.scale.linear().domain([-10, 10]).range([-1, 1]) of x + y
        t = (x + y - -10) / 20
        return -1 * (1 - t) + 1 * t
    return playground_regression(n, noise, label)


def regress_gaussian(n, noise):
    bumps = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]

    def label(x, y):  # the bump largest in size, each d3 linear [0, 2] -> [1, 0] clamped
        best = 0.0
        for cx, cy, sign in bumps:
            dx, dy = x - cx, y - cy
            t = min(1.0, max(0.0, (np.sqrt(dx * dx + dy * dy) - 0) / 2))
            value = sign * (1 * (1 - t) + 0 * t)
            if abs(value) > abs(best):
                best = value
        return best
    return playground_regression(n, noise, label)


def regress_sine(n, noise):
    x = np.random.random_sample(n) * 6 + -3
    return x.reshape(n, 1), np.sin(x) + np.random.normal(scale=noise, size=n)


FEATURES = {
    "x1": lambda X: X[:, 0], "x2": lambda X: X[:, 1],
    "x1sq": lambda X: X[:, 0] * X[:, 0], "x2sq": lambda X: X[:, 1] * X[:, 1],
    "x1x2": lambda X: X[:, 0] * X[:, 1],
    "sinx1": lambda X: np.sin(X[:, 0]), "sinx2": lambda X: np.sin(X[:, 1]),
}


def load(a):
    """The points (X, y): y holds class labels, or real targets for regression."""
    if a.data:
        table = np.loadtxt(a.data, delimiter=",", skiprows=1, ndmin=2)
        X, last = table[:, :-1], table[:, -1]
        return X, (last if a.task == "regression" else last.astype(np.intp))
    np.random.seed(a.seed)
    defaults = {"plane": 0.0, "gauss": 0.0, "sine": 0.1}
    noise = a.noise if a.noise is not None else defaults.get(a.dataset, 0.2)
    make = {"moons": make_moons, "circles": make_circles, "plane": regress_plane,
            "gauss": regress_gaussian, "sine": regress_sine}[a.dataset]
    return make(a.samples, noise)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dataset", default="moons", choices=["moons", "circles", "plane", "gauss", "sine"])
    p.add_argument("--data", help="a CSV file with a header: features, then the label or target")
    p.add_argument("--samples", type=int, default=200)
    p.add_argument("--noise", type=float)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--task", default="classification", choices=["classification", "regression"])
    p.add_argument("--hidden", default="3", help="a width, or a width per layer: 8,4")
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--features", help="x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2 (default: the data's columns)")
    p.add_argument("--passes", type=int, default=20000)
    p.add_argument("--print-every", type=int, default=1000)
    p.add_argument("--epsilon", type=float, default=0.01)
    p.add_argument("--reg-lambda", "--lambda", dest="reg_lambda", type=float, default=0.01)
    p.add_argument("--reg", default="l2", choices=["l1", "l2"])
    p.add_argument("--optimizer", default="gd", choices=["gd", "momentum", "nesterov", "adam"])
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--beta1", type=float, default=0.9)
    p.add_argument("--beta2", type=float, default=0.999)
    p.add_argument("--adam-epsilon", type=float, default=1e-8)
    p.add_argument("--dropout", type=float, default=0.0)
    # The default is descent's: the sum for classes, the mean for regression.
    p.add_argument("--gradient", default=None, choices=["sum", "mean"])
    p.add_argument("--mean", action="store_true", help="divide the data gradient by the batch size")
    p.add_argument("--summary", action="store_true", help="end with the loss and accuracy (or RMSE) as descent does")
    p.add_argument("--bench", action="store_true", help="print iterations per second as JSON")
    a = p.parse_args()

    X, y = load(a)
    if a.features:
        X = np.column_stack([FEATURES[name](X) for name in a.features.split(",")])
    num_examples = len(X)
    regression = a.task == "regression"
    widths = [int(w) for w in a.hidden.split(",")]
    if len(widths) == 1:
        widths = widths * a.layers
    sizes = [X.shape[1]] + widths + [1 if regression else int(y.max()) + 1 if y.max() >= 1 else 2]

    np.random.seed(a.seed)
    Ws = [np.random.randn(i, o) / np.sqrt(i) for i, o in zip(sizes, sizes[1:])]
    bs = [np.zeros((1, o)) for o in sizes[1:]]

    def forward(X, dropout=0.0):
        """The activations (after any dropout mask), the masks and the output."""
        acts, masks, unmasked = [X], [], []
        for W, b in zip(Ws[:-1], bs[:-1]):
            a1 = np.tanh(acts[-1].dot(W) + b)
            unmasked.append(a1)
            if dropout > 0:
                mask = (np.random.random_sample(a1.shape) >= dropout) / (1 - dropout)
                masks.append(mask)
                a1 = a1 * mask
            acts.append(a1)
        z = acts[-1].dot(Ws[-1]) + bs[-1]
        if regression:
            return acts, masks, unmasked, z
        exp_scores = np.exp(z)
        return acts, masks, unmasked, exp_scores / np.sum(exp_scores, axis=1, keepdims=True)

    def penalty():
        if a.reg == "l1":
            return a.reg_lambda * sum(np.sum(np.abs(W)) for W in Ws)
        return a.reg_lambda / 2 * sum(np.sum(np.square(W)) for W in Ws)

    def calculate_loss():
        _, _, _, out = forward(X)
        if regression:
            data_loss = 0.5 * np.sum(np.square(out[:, 0] - y))
        else:
            data_loss = np.sum(-np.log(out[range(num_examples), y]))
        data_loss += penalty()
        return 1. / num_examples * data_loss

    def score():
        _, _, _, out = forward(X)
        if regression:
            return "training RMSE %f" % np.sqrt(np.sum(np.square(out[:, 0] - y)) / num_examples)
        return "training accuracy %.3f" % np.mean(np.argmax(out, axis=1) == y)

    def per_class():
        """Each class's accuracy on the training points and the confusion matrix, as descent
        train prints them after its final line."""
        _, _, _, out = forward(X)
        K = out.shape[1]
        counts = np.zeros((K, K), dtype=int)
        np.add.at(counts, (y, np.argmax(out, axis=1)), 1)
        shares = ["class %d %.3f (%d/%d)" % (k, counts[k, k] / counts[k].sum(), counts[k, k], counts[k].sum())
                  for k in range(K) if counts[k].sum() > 0]
        w = max(6, 1 + len(str(counts.max())))  # six columns a count, more past five digits
        lines = ["Per-class accuracy: " + ", ".join(shares),
                 "Confusion matrix (a row per class, a column per predicted class):",
                 "   " + "".join("%*d" % (w, k) for k in range(K))]
        lines += ["%3d" % k + "".join("%*d" % (w, c) for c in counts[k]) for k in range(K)]
        return "\n".join(lines)

    params = [p for pair in zip(Ws, bs) for p in pair]
    v = [np.zeros_like(q) for q in params]
    s = [np.zeros_like(q) for q in params]
    mu, b1, b2, eps = a.momentum, a.beta1, a.beta2, a.adam_epsilon
    mean = a.gradient == "mean" or (a.gradient is None and regression)
    scale = 1.0 / num_examples if a.mean or mean else 1.0
    start = time.perf_counter()
    for i in range(a.passes):
        acts, masks, unmasked, out = forward(X, a.dropout)
        delta = out
        if regression:
            delta = out - y[:, None]
        else:
            delta[range(num_examples), y] -= 1
        dWs, dbs = [None] * len(Ws), [None] * len(Ws)
        for l in reversed(range(len(Ws))):
            reg_grad = a.reg_lambda * np.sign(Ws[l]) if a.reg == "l1" else a.reg_lambda * Ws[l]
            dWs[l] = acts[l].T.dot(delta) * scale + reg_grad
            dbs[l] = np.sum(delta, axis=0, keepdims=True) * scale
            if l > 0:
                delta = delta.dot(Ws[l].T) * (1 - np.power(unmasked[l - 1], 2))
                if a.dropout > 0:
                    delta = delta * masks[l - 1]
        grads = [g for pair in zip(dWs, dbs) for g in pair]
        t = i + 1
        for k, (theta, g) in enumerate(zip(params, grads)):
            if a.optimizer == "gd":
                theta += -a.epsilon * g
            elif a.optimizer == "momentum":
                v[k] = mu * v[k] - a.epsilon * g
                theta += v[k]
            elif a.optimizer == "nesterov":
                v_prev = v[k]
                v[k] = mu * v[k] - a.epsilon * g
                theta += -mu * v_prev + (1 + mu) * v[k]
            else:
                v[k] = b1 * v[k] + (1 - b1) * g
                s[k] = b2 * s[k] + (1 - b2) * (g * g)
                theta -= a.epsilon * (v[k] / (1 - b1 ** t)) / (np.sqrt(s[k] / (1 - b2 ** t)) + eps)
        if not a.bench and a.print_every > 0 and i % a.print_every == 0:
            print("Loss after iteration %i: %f" % (i, calculate_loss()))
    elapsed = time.perf_counter() - start
    if a.bench:
        print(json.dumps({"iterations": a.passes, "seconds": elapsed, "per_second": a.passes / elapsed,
                          "loss": calculate_loss()}))
    elif a.summary:
        print("Final loss %f, %s" % (calculate_loss(), score()))
        if not regression:
            print(per_class())
    else:
        print("final loss %f" % calculate_loss())


if __name__ == "__main__":
    main()
