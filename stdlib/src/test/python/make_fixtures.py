#!/usr/bin/python3
"""Writes the TorchScript files behind diffusion(torchscript(...)) support and its tests.

Regenerate (Debian's python3-torch, torch 1.13; run from the repository root):

    apt-get install -y python3-torch
    /usr/bin/python3 stdlib/src/test/python/make_fixtures.py

Outputs (all a few KB, committed):
  stdlib/src/main/resources/dfl/stdlib/torchscript/input_grad.pt
      The parameter-free helper TorchScriptPrior uses to turn an energy network into a score:
      forward(y, x, create_graph) = d(sum y)/dx by torch.autograd.grad, with the graph kept when
      create_graph != 0 (samplers that differentiate through eps, e.g. TDS, then get second order).
  stdlib/src/test/resources/dfl/stdlib/torchscript/
      gmm_eps.pt, gmm_score.pt, gmm_energy.pt: the exact 2-D, 2-component Gaussian-mixture diffusion prior
          of GMM below, noised with the SCHEDULE below, as eps, score and energy networks (float64 inside).
      mlp_eps.pt:    a small conv net with a time channel over shape [1, 4, 4] (random weights, seed 0).
      mlp_energy.pt: a small MLP energy over shape [3] (random weights, seed 1).
      mlp_reference.json: inputs, outputs, input gradients (and for the energy a Hessian-vector product)
          computed here by torch 1.13, for the Java tests to match.
      wrong_shape.pt: an "eps" network over shape [2] that returns [B, 3].
      nan_eps.pt:     an "eps" network over shape [2] that returns NaN.
      Bring-your-own-model fixtures (docs/models.md), all over shape [2] and exact for the GMM below:
      gmm_cond_eps.pt:    a conditional eps network forward(x, t, c) with c an int64 label [B]: c = 0 or 1 is
          component c of GMM alone, noised; the null label c = 2 (= classes) is the whole mixture.
      gauss_vec_eps.pt:   a vector-conditioned eps network forward(x, t, c) with c float32 [B, 2]: the
          Gaussian N(c, VEC_COV) noised (the condition is the mean).
      gmm_logits.pt:      a classifier forward(x) -> logits [B, 2] = log w_k + log N(x; m_k, C_k): the Bayes
          classifier of GMM's components, so prior * classifier(label = k) is component k exactly.
      gmm_noisy_logits.pt: a noise-conditioned classifier forward(x_t, t) -> logits [B, 2] of the mixture noised
          to t: the exact p_t(k | x_t), so classifier guidance with it is exact.
      gmm_noisy_logp1.pt: a noise-conditioned factor forward(x_t, t) -> log p_t(k = 1 | x_t) [B].
      gauss_loglik.pt:    a factor forward(x) -> log N(0.3; x_0 + 0.5 x_1, 0.3^2) [B] (the observation of
          TorchScriptRunTest written as a log-density).
      affine_op.pt:       an operator forward(x) -> x @ [[1.0, 0.5]]^T, shape [B, 1].
      nonlinear_op.pt:    an operator forward(x) -> [x_0^2, sin(x_1), x_0 x_1], shape [B, 3].
      factor_wrong_shape.pt: a factor that returns [B, 2]; factor_nan.pt: a factor that returns NaN;
      no_forward.pt: a module with a method logits(x) but no forward.
  examples/toy/torchscript_gmm_energy.pt: the same file as gmm_energy.pt, for examples/toy/torchscript.dfl.
  examples/toy/torchscript_gmm_cond_eps.pt: the same file as gmm_cond_eps.pt, for examples/toy/cfg.dfl.
  examples/toy/torchscript_gmm_noisy_logits.pt: the same file as gmm_noisy_logits.pt, for examples/toy/classifier.dfl.

Calling convention (docs/models.md): forward(x: float32 [B, *shape], t: float32 [B]) where t is the 0-based
training timestep (the same t the shipped MNIST U-Net gets); returns eps or score of shape [B, *shape], or
energy of shape [B] (-log p_t(x) up to a constant). Conditional networks take a third input c (int64 [B]
labels, the null condition being the label `classes`; or float32 [B, n] vectors); factors forward(x) -> [B];
classifiers forward(x) -> logits [B, classes]; noise-conditioned ones add t as for priors; operators
forward(x) -> [B, *out_shape].
"""
import json
import math
import os

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
TEST_OUT = os.path.join(ROOT, "src", "test", "resources", "dfl", "stdlib", "torchscript")
MAIN_OUT = os.path.join(ROOT, "src", "main", "resources", "dfl", "stdlib", "torchscript")
EXAMPLE = os.path.join(ROOT, "..", "examples", "toy", "torchscript_gmm_energy.pt")
COND_EXAMPLE = os.path.join(ROOT, "..", "examples", "toy", "torchscript_gmm_cond_eps.pt")
CLASSIFIER_EXAMPLE = os.path.join(ROOT, "..", "examples", "toy", "torchscript_gmm_noisy_logits.pt")

# The schedule the GMM fixtures are built for: diffusion(..., schedule = "linear", steps = 200, beta_end = 0.05).
SCHEDULE = dict(steps=200, beta_start=1e-4, beta_end=0.05)

# The clean prior of the GMM fixtures; the Java tests write the same numbers as gmm(...).
GMM = dict(
    weights=[0.3, 0.7],
    means=[[-1.5, 0.5], [1.0, -0.5]],
    covs=[[[0.5, 0.2], [0.2, 0.3]], [[0.2, -0.05], [-0.05, 0.4]]],
)


def alpha_bars(steps, beta_start, beta_end):
    """The same linear schedule as dfl.runtime.schedule.NoiseSchedule, in float64."""
    prod, out = 1.0, []
    for i in range(steps):
        beta = beta_start if steps == 1 else beta_start + (beta_end - beta_start) * i / (steps - 1)
        prod *= 1 - beta
        out.append(prod)
    return torch.tensor(out, dtype=torch.float64)


class NoisedGmm(torch.nn.Module):
    """log p_t and its score for the mixture noised to alpha_bar(t): N(sqrt(ab) m_k, ab C_k + (1 - ab) I)."""

    def __init__(self, mode: str):
        super().__init__()
        self.mode = mode
        self.register_buffer("ab", alpha_bars(**SCHEDULE))
        self.register_buffer("logw", torch.tensor(GMM["weights"], dtype=torch.float64).log())
        self.register_buffer("means", torch.tensor(GMM["means"], dtype=torch.float64))
        self.register_buffer("covs", torch.tensor(GMM["covs"], dtype=torch.float64))

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        ab = self.ab[t.round().long()].reshape(-1, 1, 1, 1)                      # [B,1,1,1]
        eye = torch.eye(2, dtype=torch.float64)
        cov = ab * self.covs.unsqueeze(0) + (1 - ab) * eye                      # [B,C,2,2]
        prec = torch.linalg.inv(cov)
        mu = ab.reshape(-1, 1, 1).sqrt() * self.means.unsqueeze(0)             # [B,C,2]
        diff = x.double().unsqueeze(1) - mu                                      # [B,C,2]
        pd = (prec @ diff.unsqueeze(-1)).squeeze(-1)                             # [B,C,2]
        logc = self.logw - 0.5 * torch.logdet(cov) - math.log(2 * math.pi) - 0.5 * (pd * diff).sum(-1)  # [B,C]
        if self.mode == "energy":
            return (-torch.logsumexp(logc, dim=1)).float()
        score = -(torch.softmax(logc, dim=1).unsqueeze(-1) * pd).sum(1)         # [B,2]
        if self.mode == "score":
            return score.float()
        return (-(1 - ab.reshape(-1, 1)).sqrt() * score).float()


# The vector-conditioned fixture's covariance: p(x | c) = N(c, VEC_COV).
VEC_COV = [[0.3, 0.1], [0.1, 0.2]]


def noised_components(x, t, ab_table, logw, means, covs):
    """(ab [B,1], per-component log-densities with log-weights [B,C], precision @ (x - mean) [B,C,2]) at t."""
    ab = ab_table[t.round().long()].reshape(-1, 1, 1, 1)                        # [B,1,1,1]
    eye = torch.eye(2, dtype=torch.float64)
    cov = ab * covs.unsqueeze(0) + (1 - ab) * eye                               # [B,C,2,2]
    prec = torch.linalg.inv(cov)
    mu = ab.reshape(-1, 1, 1).sqrt() * means.unsqueeze(0)                       # [B,C,2]
    diff = x.double().unsqueeze(1) - mu                                         # [B,C,2]
    pd = (prec @ diff.unsqueeze(-1)).squeeze(-1)                                # [B,C,2]
    logc = logw - 0.5 * torch.logdet(cov) - math.log(2 * math.pi) - 0.5 * (pd * diff).sum(-1)
    return ab.reshape(-1, 1), logc, pd


class GmmBuffers(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("ab", alpha_bars(**SCHEDULE))
        self.register_buffer("logw", torch.tensor(GMM["weights"], dtype=torch.float64).log())
        self.register_buffer("means", torch.tensor(GMM["means"], dtype=torch.float64))
        self.register_buffer("covs", torch.tensor(GMM["covs"], dtype=torch.float64))
        self.register_buffer("zero", torch.zeros(1, dtype=torch.float64))


class ConditionalGmmEps(GmmBuffers):
    """eps of component c alone (noised to t) for c < C; of the whole mixture for the null label c == C."""

    def forward(self, x: torch.Tensor, t: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        ab, logc, pd = noised_components(x, t, self.ab, self.logw, self.means, self.covs)
        k = self.logw.shape[0]
        onehot = torch.nn.functional.one_hot(c.clamp(0, k - 1), k).double()
        r = torch.where((c == k).unsqueeze(1), torch.softmax(logc, dim=1), onehot)  # [B,C]
        score = -(r.unsqueeze(-1) * pd).sum(1)
        return (-(1 - ab).sqrt() * score).float()


class VectorConditionedEps(torch.nn.Module):
    """eps of N(c, VEC_COV) noised to t; c is float32 [B, 2]."""

    def __init__(self):
        super().__init__()
        self.register_buffer("ab", alpha_bars(**SCHEDULE))
        self.register_buffer("cov", torch.tensor(VEC_COV, dtype=torch.float64))

    def forward(self, x: torch.Tensor, t: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        ab = self.ab[t.round().long()].reshape(-1, 1, 1)
        cov = ab * self.cov.unsqueeze(0) + (1 - ab) * torch.eye(2, dtype=torch.float64)   # [B,2,2]
        diff = x.double() - ab.reshape(-1, 1).sqrt() * c.double()
        score = -(torch.linalg.inv(cov) @ diff.unsqueeze(-1)).squeeze(-1)
        return (-(1 - ab.reshape(-1, 1)).sqrt() * score).float()


class GmmLogits(GmmBuffers):
    """logits log w_k + log N(x; m_k, C_k): the clean Bayes classifier of the mixture's components."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        t = torch.zeros(x.shape[0])
        ab = torch.ones(1, dtype=torch.float64)
        _, logc, _ = noised_components(x, t, ab, self.logw, self.means, self.covs)
        return logc.float()


class NoisedGmmLogits(GmmBuffers):
    """logits of p_t(k | x_t) for the mixture noised to t (noise-conditioned)."""

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        _, logc, _ = noised_components(x, t, self.ab, self.logw, self.means, self.covs)
        return logc.float()


class NoisedGmmLogProb1(GmmBuffers):
    """log p_t(k = 1 | x_t), one number per sample (a noise-conditioned factor)."""

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        _, logc, _ = noised_components(x, t, self.ab, self.logw, self.means, self.covs)
        return torch.log_softmax(logc, dim=1)[:, 1].float()


class GaussLogLik(torch.nn.Module):
    """log N(0.3; x_0 + 0.5 x_1, 0.3^2) per sample."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        r = 0.3 - (x[:, 0] + 0.5 * x[:, 1])
        return -0.5 * r * r / 0.09 - 0.5 * math.log(2 * math.pi * 0.09)


class AffineOp(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x[:, 0] + 0.5 * x[:, 1]).unsqueeze(1)


class NonlinearOp(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.stack([x[:, 0] * x[:, 0], torch.sin(x[:, 1]), x[:, 0] * x[:, 1]], dim=1)


class FactorWrongShape(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * 2


class FactorNan(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.sum(1) * float("nan")


class NoForward(torch.nn.Module):
    @torch.jit.export
    def logits(self, x: torch.Tensor) -> torch.Tensor:
        return x


class TimeConv(torch.nn.Module):
    """An eps network over [1, 4, 4]: the timestep enters as a second input channel t / 200."""

    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(2, 6, 3, padding=1)
        self.c2 = torch.nn.Conv2d(6, 1, 3, padding=1)

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        tc = (t / 200.0).reshape(-1, 1, 1, 1).expand(-1, 1, x.shape[2], x.shape[3])
        h = torch.nn.functional.silu(self.c1(torch.cat([x, tc], dim=1)))
        return self.c2(h)


class MlpEnergy(torch.nn.Module):
    """An energy network over [3]: E(x, t) = MLP([x, t / 200]), shape [B]."""

    def __init__(self):
        super().__init__()
        self.l1 = torch.nn.Linear(4, 16)
        self.l2 = torch.nn.Linear(16, 1)

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        h = torch.tanh(self.l1(torch.cat([x, (t / 200.0).unsqueeze(1)], dim=1)))
        return self.l2(h).squeeze(1) + 0.5 * (x * x).sum(1)


class WrongShape(torch.nn.Module):
    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return torch.zeros(x.shape[0], 3)


class NanEps(torch.nn.Module):
    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return x * float("nan")


class InputGrad(torch.nn.Module):
    """d(sum y)/dx; with create_graph != 0 the result stays differentiable (second order)."""

    def forward(self, y: torch.Tensor, x: torch.Tensor, create_graph: torch.Tensor) -> torch.Tensor:
        g = torch.autograd.grad([y.sum()], [x], create_graph=bool(create_graph.item() != 0))[0]
        assert g is not None
        return g


def tolist(a):
    return a.detach().double().reshape(-1).tolist()


def main():
    os.makedirs(TEST_OUT, exist_ok=True)
    os.makedirs(MAIN_OUT, exist_ok=True)
    torch.jit.script(InputGrad()).save(os.path.join(MAIN_OUT, "input_grad.pt"))
    for mode in ("eps", "score", "energy"):
        torch.jit.script(NoisedGmm(mode)).save(os.path.join(TEST_OUT, "gmm_" + mode + ".pt"))
    torch.jit.script(NoisedGmm("energy")).save(EXAMPLE)
    torch.jit.script(WrongShape()).save(os.path.join(TEST_OUT, "wrong_shape.pt"))
    torch.jit.script(NanEps()).save(os.path.join(TEST_OUT, "nan_eps.pt"))
    for name, module in (("gmm_cond_eps", ConditionalGmmEps()), ("gauss_vec_eps", VectorConditionedEps()),
                         ("gmm_logits", GmmLogits()), ("gmm_noisy_logits", NoisedGmmLogits()),
                         ("gmm_noisy_logp1", NoisedGmmLogProb1()), ("gauss_loglik", GaussLogLik()),
                         ("affine_op", AffineOp()), ("nonlinear_op", NonlinearOp()),
                         ("factor_wrong_shape", FactorWrongShape()), ("factor_nan", FactorNan()),
                         ("no_forward", NoForward())):
        torch.jit.script(module).save(os.path.join(TEST_OUT, name + ".pt"))
    torch.jit.script(ConditionalGmmEps()).save(COND_EXAMPLE)
    torch.jit.script(NoisedGmmLogits()).save(CLASSIFIER_EXAMPLE)

    ref = {}
    torch.manual_seed(0)
    conv = TimeConv().eval()
    x = torch.randn(3, 1, 4, 4)
    t = torch.tensor([0.0, 57.0, 199.0])
    v = torch.randn(3, 1, 4, 4)
    torch.jit.trace(conv, (x, t)).save(os.path.join(TEST_OUT, "mlp_eps.pt"))
    xg = x.clone().requires_grad_(True)
    y = conv(xg, t)
    (g,) = torch.autograd.grad([(y * v).sum()], [xg])
    ref["eps"] = dict(shape=[1, 4, 4], x=tolist(x), t=tolist(t), v=tolist(v), out=tolist(y), vjp=tolist(g))

    torch.manual_seed(1)
    mlp = MlpEnergy().eval()
    x = torch.randn(4, 3)
    t = torch.tensor([0.0, 10.0, 100.0, 199.0])
    v = torch.randn(4, 3)
    torch.jit.script(mlp).save(os.path.join(TEST_OUT, "mlp_energy.pt"))
    xg = x.clone().requires_grad_(True)
    e = mlp(xg, t)
    (grad,) = torch.autograd.grad([e.sum()], [xg], create_graph=True)
    (hvp,) = torch.autograd.grad([(grad * v).sum()], [xg])
    ref["energy"] = dict(shape=[3], x=tolist(x), t=tolist(t), v=tolist(v), out=tolist(e), grad=tolist(grad), hvp=tolist(hvp))
    with open(os.path.join(TEST_OUT, "mlp_reference.json"), "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")
    for d in (MAIN_OUT, TEST_OUT):
        for n in sorted(os.listdir(d)):
            print(os.path.join(os.path.relpath(d, ROOT), n), os.path.getsize(os.path.join(d, n)), "bytes")


if __name__ == "__main__":
    main()
