#!/usr/bin/python3
"""
torch_models.py -- the PyTorch twin of every driftlab model string, for moving theta between the two and
cross-checking driftlab's loss, gradient, Hessian-vector products and spectra (float64, CPU).

    /usr/bin/python3 scripts/python/torch_models.py COMMAND --model SPEC [options]

Commands
    layout   print the model's named_parameters() (name, shape, offset in theta) as JSON
    init     write theta drawn by PyTorch's own module initialisers (--save-params FILE.npy, --seed S)
    check    E, grad E and H.v at theta (--params) on data (--data FILE.npz) for --loss mse|ce; writes JSON with
             loss, accuracy and, with --vec v.npy, hvp; --save-grad FILE.npy; --exact adds the dense Hessian's
             spectrum (small D only) and --save-hessian writes it; --top K adds the K largest eigenvalues by
             --lanczos-steps Lanczos steps (for nets too large for the dense Hessian); --save-hvp FILE.npy
    bench    median seconds of loss+gradient, of one H.v with the gradient graph kept, and of 20 Lanczos steps
             (full reorthogonalisation; --skip lanczos leaves them out) on the first N Fashion-MNIST training
             images, plus the process's peak resident memory; JSON on stdout
    compare  runs `./driftlab bench --model SPEC --json --skip fresh,noise,gemm` (the items the twin has too) and
             `torch_models.py bench` alternately for --rounds
             rounds (the machine may be shared: interleaving keeps both sides under the same load) and prints
             the per-round ratios and their medians

Model strings (docs/interop.md shows each module beside its theta layout)
    fc-ACT:W1,W2,...                       nn.Sequential(Linear, ACT, ..., Linear)
    cnn-ACT:C1,C2,...                      nn.Sequential(Conv2d(3x3, pad 1), ACT, MaxPool2d(2), ..., Flatten, Linear)
    resmlp:width=W,depth=L[,act=gelu,norm=layer|none]
    resnet-cnn:width=C,depth=L[,act=relu,pool=2]
    vit:patch=P,dim=D,heads=H,depth=L,mlp=M

theta is torch.nn.utils.parameters_to_vector(model.parameters()): for each entry of named_parameters(), in order,
the tensor flattened row-major (Linear weights [out, in]). Data .npz: X [N, d] (flat images are viewed as
[N, 1, 28, 28] or [N, 3, 32, 32] for the image models), y [N] int labels, optional Y [N, K] MSE targets.
Losses as driftlab's: mse = 1/(2N) sum_i sum_k (f_k(x_i) - Y_ik)^2 (Y = one-hot(y) unless given), ce = mean
softmax cross-entropy.

Threads: --threads T sets OMP_NUM_THREADS and OPENBLAS_NUM_THREADS (Debian's torch does its GEMMs in OpenBLAS,
which only reads the environment) before torch is imported, and OMP_WAIT_POLICY=PASSIVE (spinning OpenMP
workers starve OpenBLAS's own threads when there are no spare cores).
"""
import argparse
import gzip
import json
import math
import os
import statistics
import subprocess
import sys
import time


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="PyTorch twins of driftlab's model strings")
    p.add_argument("command", choices=["layout", "init", "check", "bench", "compare"])
    p.add_argument("--model", required=True, help="driftlab model string, e.g. vit:patch=7,dim=32,heads=2,depth=2,mlp=64")
    p.add_argument("--input-shape", default="1,28,28", help="one example's shape (default 1,28,28)")
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--loss", default="mse", choices=["mse", "ce"])
    p.add_argument("--params", default=None, help="theta .npy")
    p.add_argument("--save-params", default=None)
    p.add_argument("--data", default=None, help=".npz with X, y (optional Y)")
    p.add_argument("--vec", default=None, help="check: v .npy, writes H.v")
    p.add_argument("--save-grad", default=None)
    p.add_argument("--save-hvp", default=None)
    p.add_argument("--exact", action="store_true", help="check: dense Hessian spectrum (small D)")
    p.add_argument("--save-hessian", default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--n", type=int, default=5000, help="bench/compare: first N Fashion-MNIST training images")
    p.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--lanczos-steps", type=int, default=20, help="bench, check --top: Lanczos steps")
    p.add_argument("--top", type=int, default=0, help="check: the K largest eigenvalues by Lanczos")
    p.add_argument("--rounds", type=int, default=3, help="compare: interleaved rounds")
    p.add_argument("--skip", default="", help="bench/compare: items not to time, comma-separated (lanczos)")
    p.add_argument("--driftlab", default=None, help="compare: the ./driftlab launcher (default: beside scripts/)")
    p.add_argument("--driftlab-args", default="", help="compare: extra arguments for driftlab bench")
    p.add_argument("--out", default=None, help="write the JSON result here too")
    return p.parse_args(argv)


ARGS = parse_args() if __name__ == "__main__" else None
if ARGS is not None and ARGS.command != "compare":
    os.environ["OMP_NUM_THREADS"] = str(ARGS.threads)
    os.environ["OPENBLAS_NUM_THREADS"] = str(ARGS.threads)
    os.environ["MKL_NUM_THREADS"] = str(ARGS.threads)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402  (after the thread variables are set)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as Fn  # noqa: E402

torch.set_default_dtype(torch.float64)
if ARGS is not None and ARGS.command != "compare":
    torch.set_num_threads(ARGS.threads)


# ----------------------------------------------------------------------------------------------------------------
# model strings
# ----------------------------------------------------------------------------------------------------------------
def activation(name):
    acts = {"tanh": nn.Tanh, "relu": nn.ReLU, "elu": nn.ELU, "gelu": nn.GELU, "softplus": nn.Softplus,
            "sigmoid": nn.Sigmoid, "identity": nn.Identity}
    if name not in acts:
        raise ValueError(f"unknown activation {name!r}; allowed: {', '.join(acts)}")
    return acts[name]()


def key_values(spec, args, required, optional):
    out = {}
    for part in filter(None, (a.strip() for a in args.split(","))):
        key, eq, value = part.partition("=")
        if not eq or key not in required + optional:
            raise ValueError(f"model {spec}: {part!r} is not one of {', '.join(required + optional)} as key=value")
        out[key] = value
    missing = [k for k in required if k not in out]
    if missing:
        raise ValueError(f"model {spec}: missing {', '.join(missing)}")
    return out


class ResidualMlpBlock(nn.Module):
    """x + fc2(act(fc1(norm(x)))), norm a LayerNorm or nothing (driftlab's ResidualMlpBlock)."""

    def __init__(self, width, act, norm):
        super().__init__()
        if norm:
            self.norm = nn.LayerNorm(width)
        self.fc1 = nn.Linear(width, width)
        self.act = activation(act)
        self.fc2 = nn.Linear(width, width)
        self.has_norm = norm

    def forward(self, x):
        h = self.norm(x) if self.has_norm else x
        return x + self.fc2(self.act(self.fc1(h)))


class ResMLP(nn.Module):
    """resmlp:width=W,depth=L[,act=gelu,norm=layer|none]."""

    def __init__(self, d_in, classes, width, depth, act="gelu", norm=True):
        super().__init__()
        self.embed = nn.Linear(d_in, width)
        self.blocks = nn.ModuleList([ResidualMlpBlock(width, act, norm) for _ in range(depth)])
        if norm:
            self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, classes)
        self.has_norm = norm

    def forward(self, x):
        x = self.embed(x.flatten(1))
        for b in self.blocks:
            x = b(x)
        if self.has_norm:
            x = self.norm(x)
        return self.head(x)


class ResidualConvBlock(nn.Module):
    """x + conv2(act(conv1(act(x)))), 3x3 convolutions with padding 1 (driftlab's ResidualConvBlock)."""

    def __init__(self, channels, act):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)
        self.act = activation(act)

    def forward(self, x):
        return x + self.conv2(self.act(self.conv1(self.act(x))))


class ResNetCNN(nn.Module):
    """resnet-cnn:width=C,depth=L[,act=relu,pool=2]."""

    def __init__(self, image, classes, width, depth, act="relu", pool=2):
        super().__init__()
        self.stem = nn.Conv2d(image[0], width, 3, padding=1)
        self.pool = nn.AvgPool2d(pool) if pool > 1 else nn.Identity()
        self.blocks = nn.ModuleList([ResidualConvBlock(width, act) for _ in range(depth)])
        self.act = activation(act)
        self.head = nn.Linear(width, classes)

    def forward(self, x):
        x = self.pool(self.stem(x))
        for b in self.blocks:
            x = b(x)
        return self.head(self.act(x).mean(dim=(2, 3)))


class Attention(nn.Module):
    """timm's ViT Attention with qkv_bias=True."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, c = x.shape
        d = c // self.heads
        qkv = self.qkv(x).reshape(b, t, 3, self.heads, d).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        attn = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(d))
        x = attn.softmax(dim=-1) @ v
        return self.proj(x.transpose(1, 2).reshape(b, t, c))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    """Pre-LN encoder block (timm's ViT Block): x + attn(norm1(x)), then x + mlp(norm2(x))."""

    def __init__(self, dim, heads, hidden):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim, hidden)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, channels, patch, dim):
        super().__init__()
        self.proj = nn.Conv2d(channels, dim, patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class ViT(nn.Module):
    """vit:patch=P,dim=D,heads=H,depth=L,mlp=M -- timm's VisionTransformer(class_token=False, global_pool='avg',
    qkv_bias=True): pos_embed is a parameter of the model itself, so it comes first in named_parameters()."""

    def __init__(self, image, classes, patch, dim, heads, depth, mlp):
        super().__init__()
        tokens = (image[1] // patch) * (image[2] // patch)
        self.pos_embed = nn.Parameter(torch.randn(1, tokens, dim) * 0.02)
        self.patch_embed = PatchEmbed(image[0], patch, dim)
        self.blocks = nn.ModuleList([Block(dim, heads, mlp) for _ in range(depth)])
        self.fc_norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch_embed(x) + self.pos_embed
        for b in self.blocks:
            x = b(x)
        return self.head(self.fc_norm(x.mean(dim=1)))


def image_shape(spec, shape):
    if len(shape) == 3:
        return shape
    if shape == [784]:
        return [1, 28, 28]
    if shape == [3072]:
        return [3, 32, 32]
    raise ValueError(f"model {spec}: needs image inputs, got shape {shape}")


def build(spec, input_shape, classes):
    """(model, the per-example input shape it reads) for a driftlab model string."""
    kind, _, args = spec.strip().partition(":")
    if kind.startswith("fc-"):
        act = kind[3:]
        d_in = int(np.prod(input_shape))
        widths = [int(w) for w in args.split(",") if w.strip()]
        layers, prev = [], d_in
        for w in widths:
            layers += [nn.Linear(prev, w), activation(act)]
            prev = w
        layers.append(nn.Linear(prev, classes))
        return nn.Sequential(*layers), [d_in]
    if kind.startswith("cnn-"):
        act = kind[4:]
        image = image_shape(spec, input_shape)
        layers, c, h, w = [], image[0], image[1], image[2]
        for width in (int(x) for x in args.split(",") if x.strip()):
            layers += [nn.Conv2d(c, width, 3, padding=1), activation(act), nn.MaxPool2d(2)]
            c, h, w = width, h // 2, w // 2
        layers += [nn.Flatten(), nn.Linear(c * h * w, classes)]
        return nn.Sequential(*layers), image
    if kind == "resmlp":
        o = key_values(spec, args, ["width", "depth"], ["act", "norm"])
        d_in = int(np.prod(input_shape))
        return ResMLP(d_in, classes, int(o["width"]), int(o["depth"]), o.get("act", "gelu"),
                      o.get("norm", "layer") == "layer"), [d_in]
    if kind == "resnet-cnn":
        o = key_values(spec, args, ["width", "depth"], ["act", "pool"])
        image = image_shape(spec, input_shape)
        return ResNetCNN(image, classes, int(o["width"]), int(o["depth"]), o.get("act", "relu"),
                         int(o.get("pool", 2))), image
    if kind == "vit":
        o = key_values(spec, args, ["patch", "dim", "heads", "depth", "mlp"], [])
        image = image_shape(spec, input_shape)
        return ViT(image, classes, int(o["patch"]), int(o["dim"]), int(o["heads"]), int(o["depth"]),
                   int(o["mlp"])), image
    raise ValueError(f"unknown model {spec!r}")


def layout(model):
    out, offset = [], 0
    for name, p in model.named_parameters():
        out.append({"name": name, "shape": list(p.shape), "offset": offset})
        offset += p.numel()
    return out, offset


def load_theta(model, path):
    theta = np.load(path).astype(np.float64).reshape(-1)
    _, d = layout(model)
    if theta.size != d:
        raise ValueError(f"{path} holds {theta.size} values but the model has D = {d}")
    torch.nn.utils.vector_to_parameters(torch.tensor(theta), model.parameters())


# ----------------------------------------------------------------------------------------------------------------
# data and loss
# ----------------------------------------------------------------------------------------------------------------
def read_idx(path):
    with gzip.open(path, "rb") as fh:
        raw = fh.read()
    ndim = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def fashion_mnist(data_dir, n):
    x = read_idx(os.path.join(data_dir, "train-images-idx3-ubyte.gz"))[:n].reshape(n, -1) / 255.0
    y = read_idx(os.path.join(data_dir, "train-labels-idx1-ubyte.gz"))[:n].astype(np.int64)
    return x.astype(np.float64), y, None


def read_npz(path):
    z = np.load(path)
    x = np.asarray(z["X"], dtype=np.float64)
    y = np.asarray(z["y"], dtype=np.int64).reshape(-1) if "y" in z.files else None
    t = np.asarray(z["Y"], dtype=np.float64) if "Y" in z.files else None
    return x, y, t


class Problem:
    """E(theta) of a model on a data set: the twin of driftlab's NetObjective."""

    def __init__(self, model, example_shape, x, y, targets, loss, classes):
        self.model = model
        self.params = list(model.parameters())
        self.x = torch.tensor(x).reshape([x.shape[0]] + list(example_shape))
        self.y = None if y is None else torch.tensor(y)
        if targets is None and loss == "mse":
            targets = np.eye(classes)[y]
        self.targets = None if targets is None else torch.tensor(targets)
        self.loss_kind = loss
        self.n = x.shape[0]

    def loss(self):
        out = self.model(self.x)
        if self.loss_kind == "mse":
            return 0.5 * ((out - self.targets) ** 2).sum() / self.n, out
        return Fn.cross_entropy(out, self.y), out

    def flat(self, tensors):
        return torch.cat([t.reshape(-1) for t in tensors])

    def unflat(self, v):
        out, o = [], 0
        for p in self.params:
            out.append(v[o:o + p.numel()].view_as(p))
            o += p.numel()
        return out

    def loss_and_grad(self):
        value, out = self.loss()
        return value, out, self.flat(torch.autograd.grad(value, self.params))

    def hessian_product(self):
        """H.v with the forward pass and the gradient graph kept (PyHessian's reuse)."""
        value, _ = self.loss()
        g = torch.autograd.grad(value, self.params, create_graph=True)

        def hvp(v):
            dot = sum((gi * vi).sum() for gi, vi in zip(g, self.unflat(v)))
            return self.flat(torch.autograd.grad(dot, self.params, retain_graph=True))
        return hvp


def lanczos_top(hvp, d, steps, seed, k=1):
    """The largest Ritz value (k = 1) or the k largest, descending, after steps Lanczos steps with full
    reorthogonalisation (classical Gram-Schmidt twice: PyHessian's and driftlab's scheme)."""
    import scipy.linalg
    gen = torch.Generator().manual_seed(seed)
    basis = torch.zeros(steps, d)
    q = torch.randn(d, generator=gen)
    q /= torch.linalg.vector_norm(q)
    alphas, betas = [], []
    for j in range(steps):
        basis[j] = q
        w = hvp(q)
        alpha = float(torch.dot(w, q))
        for _ in range(2):
            w -= basis[:j + 1].t().mv(basis[:j + 1].mv(w))
        beta = float(torch.linalg.vector_norm(w))
        alphas.append(alpha)
        betas.append(beta)
        if beta <= 1e-12 * max(1.0, abs(alpha)):
            break
        q = w / beta
    if len(alphas) == 1:
        ritz = np.array(alphas)
    else:
        ritz = scipy.linalg.eigh_tridiagonal(np.array(alphas), np.array(betas[:len(alphas) - 1]))[0]
    top = [float(r) for r in ritz[::-1][:k]]
    return top[0] if k == 1 else top


# ----------------------------------------------------------------------------------------------------------------
# commands
# ----------------------------------------------------------------------------------------------------------------
def emit(result, args):
    text = json.dumps(result)
    if args.out:
        with open(args.out, "w") as fh:
            fh.write(text + "\n")
    print(text)


def shape_arg(text):
    return [int(s) for s in text.split(",")]


def cmd_layout(args):
    model, _ = build(args.model, shape_arg(args.input_shape), args.classes)
    entries, d = layout(model)
    emit({"model": args.model, "params": d, "named_parameters": entries}, args)


def cmd_init(args):
    torch.manual_seed(args.seed)
    model, _ = build(args.model, shape_arg(args.input_shape), args.classes)
    theta = torch.nn.utils.parameters_to_vector(model.parameters()).detach().numpy()
    np.save(args.save_params, theta)
    emit({"model": args.model, "params": int(theta.size), "saved": args.save_params}, args)


def cmd_check(args):
    x, y, t = read_npz(args.data)
    classes = t.shape[1] if t is not None else args.classes
    model, example = build(args.model, shape_arg(args.input_shape), classes)
    load_theta(model, args.params)
    prob = Problem(model, example, x, y, t, args.loss, classes)
    value, out, grad = prob.loss_and_grad()
    result = {"model": args.model, "params": int(grad.numel()), "loss": float(value),
              "named_parameters": layout(model)[0]}
    if prob.y is not None:
        result["accuracy"] = float((out.argmax(1) == prob.y).double().mean())
    if args.save_grad:
        np.save(args.save_grad, grad.detach().numpy())
    if args.vec:
        v = torch.tensor(np.load(args.vec).astype(np.float64).reshape(-1))
        hv = prob.hessian_product()(v)
        if args.save_hvp:
            np.save(args.save_hvp, hv.detach().numpy())
        else:
            result["hvp"] = hv.detach().numpy().tolist()
    if args.top > 0:
        top = lanczos_top(prob.hessian_product(), grad.numel(), min(args.lanczos_steps, grad.numel()), args.seed,
                          args.top)
        result["lanczos_top"] = top if isinstance(top, list) else [top]
    if args.exact:
        d = grad.numel()
        hvp = prob.hessian_product()
        rows = [hvp(torch.eye(d)[i]).detach().numpy() for i in range(d)]
        h = np.array(rows)
        h = 0.5 * (h + h.T)
        eig = np.linalg.eigvalsh(h)
        result["eigenvalues"] = eig.tolist()
        result["trace"] = float(np.trace(h))
        if args.save_hessian:
            np.save(args.save_hessian, h)
    emit(result, args)


def peak_rss_bytes():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def median_seconds(fn, reps):
    fn()
    fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cmd_bench(args):
    x, y, t = fashion_mnist(args.data_dir, args.n)
    torch.manual_seed(args.seed)  # before the modules draw their parameters: the same theta in every round
    model, example = build(args.model, shape_arg(args.input_shape), args.classes)
    prob = Problem(model, example, x, y, t, args.loss, args.classes)
    d = sum(p.numel() for p in prob.params)
    grad_s = median_seconds(lambda: prob.loss_and_grad(), args.reps)
    hvp = prob.hessian_product()
    v = torch.randn(d, generator=torch.Generator().manual_seed(args.seed + 1))
    hvp_s = median_seconds(lambda: hvp(v), args.reps)
    result = {"side": "pytorch", "torch": torch.__version__, "model": args.model, "n": args.n, "params": d,
              "threads": args.threads, "grad_s": grad_s, "hvp_reuse_s": hvp_s, "hvp_reuse_over_grad": hvp_s / grad_s}
    if "lanczos" not in args.skip.split(","):
        top = [0.0]

        def lanczos():
            top[0] = lanczos_top(hvp, d, args.lanczos_steps, args.seed + 1)
        result.update({"lanczos_steps": args.lanczos_steps, "lanczos_s": median_seconds(lanczos, max(3, min(args.reps, 5))),
                       "sharpness": top[0]})
    result["peak_rss_bytes"] = peak_rss_bytes()
    emit(result, args)


def run_json(cmd, env=None):
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}): {res.stderr.strip()[-2000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def cmd_compare(args):
    here = os.path.dirname(os.path.abspath(__file__))
    launcher = args.driftlab or os.path.join(here, "..", "..", "driftlab")
    ours = [launcher, "bench", "--model", args.model, "--n", str(args.n), "--threads", str(args.threads),
            "--reps", str(args.reps), "--json"] + args.driftlab_args.split()
    theirs = [sys.executable, os.path.abspath(__file__), "bench", "--model", args.model, "--n", str(args.n),
              "--threads", str(args.threads), "--reps", str(args.reps), "--lanczos-steps", str(args.lanczos_steps)]
    # driftlab's bench has items the twin has not (a product with a fresh graph, the gradient noise, raw GEMM): leave
    # them out, so that both processes do the same work and their peak memories compare like with like
    ours += ["--skip", ",".join(["fresh", "noise", "gemm"] + [s for s in args.skip.split(",") if s])]
    if args.skip:
        theirs += ["--skip", args.skip]
    rounds = []
    for r in range(args.rounds):
        d = run_json(ours)
        t = run_json(theirs)
        row = {"round": r + 1, "driftlab": d, "pytorch": t}
        for key in ("grad_s", "hvp_reuse_s", "lanczos_s"):
            if key in d and key in t:
                row[key.replace("_s", "") + "_speedup"] = t[key] / d[key]
        if "peak_rss_bytes" in d:
            row["rss_ratio"] = d["peak_rss_bytes"] / t["peak_rss_bytes"]
        rounds.append(row)
        lz = (f"Lanczos({args.lanczos_steps}) {d['lanczos_s']:.3f} vs {t['lanczos_s']:.3f}, "
              if "lanczos_s" in t else "")
        print(f"round {r + 1}: gradient {d['grad_s']:.4f} s vs {t['grad_s']:.4f} s, "
              f"HVP {d['hvp_reuse_s']:.4f} vs {t['hvp_reuse_s']:.4f}, {lz}"
              f"peak RSS {d.get('peak_rss_bytes', 0) / 1e9:.2f} vs {t['peak_rss_bytes'] / 1e9:.2f} GB",
              file=sys.stderr)
    summary = {k: statistics.median(r[k] for r in rounds) for k in rounds[0] if k.endswith("_speedup") or k == "rss_ratio"}
    emit({"model": args.model, "n": args.n, "threads": args.threads, "rounds": rounds, "median": summary}, args)


def main():
    {"layout": cmd_layout, "init": cmd_init, "check": cmd_check, "bench": cmd_bench,
     "compare": cmd_compare}[ARGS.command](ARGS)


if __name__ == "__main__":
    main()
