"""The post's training step under jax.jit with 64-bit floats: `descent bench`'s jax peer.

The same network, data and initial weights as scripts/post_numpy.py (make_moons with seed 0,
randn / sqrt(fan-in)); the whole run of `--passes` steps is one `lax.scan` inside one jitted
function, so jax sees the loop and fuses each step. Timed after a first run that compiles it.

    python3 scripts/bench/post_jax.py --samples 200 --hidden 3 --passes 20000
    # {"iterations": 20000, "seconds": ..., "per_second": ..., "loss": ...}
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("JAX_PLATFORMS", "cpu")
import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from post_numpy import make_moons  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--samples", type=int, default=200)
    p.add_argument("--hidden", type=int, default=3)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--passes", type=int, default=20000)
    p.add_argument("--epsilon", type=float, default=0.01)
    p.add_argument("--reg-lambda", type=float, default=0.01)
    p.add_argument("--mean", action="store_true", help="divide the data gradient by the batch size")
    a = p.parse_args()

    np.random.seed(0)
    X, y = make_moons(a.samples, 0.20)
    sizes = [2] + [a.hidden] * a.layers + [2]
    np.random.seed(0)
    params = tuple((np.random.randn(i, o) / np.sqrt(i), np.zeros(o)) for i, o in zip(sizes, sizes[1:]))
    X, onehot = jnp.asarray(X), jnp.asarray(np.eye(2)[y])
    scale = 1.0 / len(X) if a.mean else 1.0

    def step(params, _):
        # The post's forward and backward pass, written out as the numpy code does it.
        acts = [X]
        for W, b in params[:-1]:
            acts.append(jnp.tanh(acts[-1] @ W + b))
        exp_scores = jnp.exp(acts[-1] @ params[-1][0] + params[-1][1])
        probs = exp_scores / jnp.sum(exp_scores, axis=1, keepdims=True)
        delta = probs - onehot
        new = [None] * len(params)
        for l in reversed(range(len(params))):
            W, b = params[l]
            dW = acts[l].T @ delta * scale + a.reg_lambda * W
            db = jnp.sum(delta, axis=0) * scale
            if l > 0:
                delta = (delta @ W.T) * (1 - acts[l] ** 2)
            new[l] = (W - a.epsilon * dW, b - a.epsilon * db)
        return tuple(new), None

    @jax.jit
    def train(params):
        return jax.lax.scan(step, params, None, length=a.passes)[0]

    jax.block_until_ready(train(params))  # compiles
    start = time.perf_counter()
    trained = jax.block_until_ready(train(params))
    elapsed = time.perf_counter() - start

    acts = X
    for W, b in trained[:-1]:
        acts = jnp.tanh(acts @ W + b)
    scores = jnp.exp(acts @ trained[-1][0] + trained[-1][1])
    probs = scores / jnp.sum(scores, axis=1, keepdims=True)
    loss = float(jnp.sum(-jnp.log(jnp.sum(probs * onehot, axis=1))))
    loss += a.reg_lambda / 2 * sum(float(jnp.sum(W * W)) for W, _ in trained)
    print(json.dumps({"iterations": a.passes, "seconds": elapsed, "per_second": a.passes / elapsed,
                      "loss": loss / len(X)}))


if __name__ == "__main__":
    main()
