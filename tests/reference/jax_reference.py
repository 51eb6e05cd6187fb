#!/usr/bin/env python3
"""An independent implementation of the AE and VAE losses, in JAX with automatic
differentiation, that writes the fixture `tests/fixtures/reference.json`.

Run by hand once (not by CI), from the repository root:

    python3 -m venv /tmp/jaxenv && /tmp/jaxenv/bin/pip install "jax[cpu]" numpy
    /tmp/jaxenv/bin/python tests/reference/jax_reference.py > tests/fixtures/reference.json

It shares no code with the Rust crate: the reconstruction term is written with
`jax.nn.log_sigmoid` as -x log σ(l) - (1 - x) log(1 - σ(l)), and every gradient comes from
`jax.grad`. Weights, inputs and ε are drawn with numpy and stored in the fixture, so the Rust
test (`crate/tests/reference.rs`) reads them instead of reproducing this script's random numbers.
"""
import json
import sys

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)

D, H, Z, B = 6, 5, 2, 4


def act(name, a):
    return jax.nn.relu(a) if name == "relu" else jnp.tanh(a)


def layer_names(model):
    code = ["enc_mu", "enc_logvar"] if model == "vae" else ["enc_z"]
    return ["enc_hidden"] + code + ["dec_hidden", "dec_out"]


def losses(params, x, eps, model, activation, beta, sigma0):
    """Mean over the batch of sum-over-pixels BCE (+ β KL for the VAE), and its parts. The
    AE decodes its code plus a fixed noise, z = code + σ₀·ε (σ₀ = 0: the plain AE)."""
    h = act(activation, x @ params["enc_hidden.W"] + params["enc_hidden.b"])
    if model == "vae":
        mu = h @ params["enc_mu.W"] + params["enc_mu.b"]
        logvar = h @ params["enc_logvar.W"] + params["enc_logvar.b"]
        z = mu + jnp.sqrt(jnp.exp(logvar)) * eps
        kl_per_dim = jnp.mean(-0.5 * (1.0 + logvar - mu**2 - jnp.exp(logvar)), axis=0)
    else:
        z = h @ params["enc_z.W"] + params["enc_z.b"] + sigma0 * eps
        kl_per_dim = jnp.zeros(Z)
    hd = act(activation, z @ params["dec_hidden.W"] + params["dec_hidden.b"])
    logits = hd @ params["dec_out.W"] + params["dec_out.b"]
    log_p = jax.nn.log_sigmoid(logits)
    log_not_p = jax.nn.log_sigmoid(-logits)
    recon = jnp.mean(jnp.sum(-(x * log_p + (1.0 - x) * log_not_p), axis=1))
    kl = jnp.sum(kl_per_dim)
    return recon + beta * kl, (recon, kl, kl_per_dim)


def case(name, model, activation, beta, seed, zero_eps=False, sigma0=0.0):
    rng = np.random.default_rng(seed)
    shapes = {"enc_hidden": (D, H), "enc_mu": (H, Z), "enc_logvar": (H, Z), "enc_z": (H, Z),
              "dec_hidden": (Z, H), "dec_out": (H, D)}
    params = {}
    for layer in layer_names(model):
        i, o = shapes[layer]
        params[layer + ".W"] = rng.uniform(-0.8, 0.8, size=(i, o))
        params[layer + ".b"] = rng.uniform(-0.3, 0.3, size=(o,))
    x = rng.uniform(0.0, 1.0, size=(B, D))
    eps = np.zeros((B, Z)) if zero_eps else rng.standard_normal((B, Z))
    f = lambda p: losses(p, x, eps, model, activation, beta, sigma0)
    (loss, (recon, kl, kl_per_dim)), grads = jax.value_and_grad(f, has_aux=True)(
        {k: jnp.asarray(v) for k, v in params.items()})
    order = [f"{l}.{p}" for l in layer_names(model) for p in ("W", "b")]
    return {
        "name": name, "model": model, "activation": activation, "beta": beta, "sigma0": sigma0,
        "sizes": {"input": D, "hidden": H, "latent": Z}, "batch": B,
        "x": x.tolist(), "eps": eps.tolist(),
        "params": [{"name": k, "data": np.asarray(params[k]).tolist()} for k in order],
        "loss": float(loss), "recon": float(recon), "kl": float(kl),
        "kl_per_dim": np.asarray(kl_per_dim).tolist(),
        "grads": [{"name": k, "data": np.asarray(grads[k]).tolist()} for k in order],
    }


def free_losses(params, codes, x, eps, beta):
    """A VAE with free codes: the means and log σ² are given per input (no encoder)."""
    mu, logvar = codes["mu"], codes["logvar"]
    z = mu + jnp.sqrt(jnp.exp(logvar)) * eps
    kl_per_dim = jnp.mean(-0.5 * (1.0 + logvar - mu**2 - jnp.exp(logvar)), axis=0)
    hd = jax.nn.relu(z @ params["dec_hidden.W"] + params["dec_hidden.b"])
    logits = hd @ params["dec_out.W"] + params["dec_out.b"]
    recon = jnp.mean(jnp.sum(-(x * jax.nn.log_sigmoid(logits) + (1.0 - x) * jax.nn.log_sigmoid(-logits)), axis=1))
    kl = jnp.sum(kl_per_dim)
    return recon + beta * kl, (recon, kl, kl_per_dim)


def free_case(name, beta, seed):
    """The gradients of the loss with respect to the decoder and to the codes themselves."""
    rng = np.random.default_rng(seed)
    params = {}
    for layer, (i, o) in (("dec_hidden", (Z, H)), ("dec_out", (H, D))):
        params[layer + ".W"] = rng.uniform(-0.8, 0.8, size=(i, o))
        params[layer + ".b"] = rng.uniform(-0.3, 0.3, size=(o,))
    codes = {"mu": rng.uniform(-1.5, 1.5, size=(B, Z)), "logvar": rng.uniform(-1.0, 0.5, size=(B, Z))}
    x = rng.uniform(0.0, 1.0, size=(B, D))
    eps = rng.standard_normal((B, Z))
    f = lambda p, c: free_losses(p, c, x, eps, beta)
    (loss, (recon, kl, kl_per_dim)), (grads, code_grads) = jax.value_and_grad(f, argnums=(0, 1), has_aux=True)(
        {k: jnp.asarray(v) for k, v in params.items()}, {k: jnp.asarray(v) for k, v in codes.items()})
    order = [f"{l}.{p}" for l in ("dec_hidden", "dec_out") for p in ("W", "b")]
    return {
        "name": name, "model": "vae", "free": True, "activation": "relu", "beta": beta,
        "sizes": {"input": D, "hidden": H, "latent": Z}, "batch": B,
        "x": x.tolist(), "eps": eps.tolist(),
        "codes": {k: v.tolist() for k, v in codes.items()},
        "params": [{"name": k, "data": np.asarray(params[k]).tolist()} for k in order],
        "loss": float(loss), "recon": float(recon), "kl": float(kl),
        "kl_per_dim": np.asarray(kl_per_dim).tolist(),
        "grads": [{"name": k, "data": np.asarray(grads[k]).tolist()} for k in order],
        "code_grads": {k: np.asarray(v).tolist() for k, v in code_grads.items()},
    }


def main():
    cases = [
        case("vae-relu-beta1", "vae", "relu", 1.0, 1),
        case("vae-tanh-beta2.5", "vae", "tanh", 2.5, 2),
        case("vae-relu-mean", "vae", "relu", 1.0, 3, zero_eps=True),
        case("ae-relu", "ae", "relu", 1.0, 4),
        case("ae-tanh", "ae", "tanh", 1.0, 5),
        case("ae-relu-noise", "ae", "relu", 1.0, 6, sigma0=0.5),
    ]
    free = [free_case("vae-free-beta1", 1.0, 7)]
    json.dump({"generator": f"tests/reference/jax_reference.py with jax {jax.__version__}, float64",
               "cases": cases, "free_cases": free}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
