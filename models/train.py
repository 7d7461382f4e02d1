#!/usr/bin/python3
"""EdgeSplit model tool: trains the Fashion-MNIST split-inference bundle (see BUNDLE-FORMAT.md).

  /usr/bin/python3 models/train.py                 # full run -> models/bundles/fmnist-resnet/
  /usr/bin/python3 models/train.py --quick         # smoke test -> models/build/quick/fmnist-resnet/
  /usr/bin/python3 models/train.py --paper-nets    # untrained 224x224 paper nets -> models/build/paper/<net>/
"""
import argparse
import copy
import gzip
import hashlib
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from edgesplit_nets import (FmnistResNet, Encoder, Decoder, ClipRange, Seq, fake_quant,  # noqa: E402
                            split_modules, count_flops, count_params)

DATA_DIR = "/usr/share/datasets/fashion-mnist"
CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
BITS = [8, 4, 2]
SUBSET = 1000
OPSET = 17
T0 = time.time()


def log(*a):
    print(f"[{time.time() - T0:7.1f}s]", *a, flush=True)


def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


# ---------------------------------------------------------------- data
def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_fmnist():
    d = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        x = read_idx(os.path.join(DATA_DIR, f"{prefix}-images-idx3-ubyte.gz"))
        y = read_idx(os.path.join(DATA_DIR, f"{prefix}-labels-idx1-ubyte.gz"))
        d[split] = (torch.from_numpy(x.copy()), torch.from_numpy(y.astype(np.int64)))
    return d


def write_idx(path, arr, magic):
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    with open(path, "wb") as f:
        f.write(int(magic).to_bytes(4, "big"))
        for dim in arr.shape:
            f.write(int(dim).to_bytes(4, "big"))
        f.write(arr.tobytes())


def to_float(xu8):
    return xu8.float().unsqueeze(1) / 255.0


def augment(x, gen):
    """Random crop 28x28 from a 2-pixel zero-padded image, and horizontal flip; x [B,1,28,28]."""
    b = x.shape[0]
    xp = F.pad(x, (2, 2, 2, 2))
    off = torch.randint(0, 5, (b, 2), generator=gen)
    out = torch.empty_like(x)
    for dy in range(5):
        for dx in range(5):
            m = (off[:, 0] == dy) & (off[:, 1] == dx)
            if m.any():
                out[m] = xp[m, :, dy:dy + 28, dx:dx + 28]
    flip = torch.rand(b, generator=gen) < 0.5
    out[flip] = out[flip].flip(3)
    return out


# ---------------------------------------------------------------- backbone
def train_backbone(model, xtr, ytr, args):
    gen = torch.Generator().manual_seed(args.seed + 1)
    n = xtr.shape[0]
    steps_per_epoch = math.ceil(n / args.batch)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, epochs=args.epochs,
                                                steps_per_epoch=steps_per_epoch, pct_start=0.25)
    model.to(memory_format=torch.channels_last)
    epoch_times = []
    for ep in range(args.epochs):
        t = time.time()
        model.train()
        perm = torch.randperm(n, generator=gen)
        tot, correct, loss_sum = 0, 0, 0.0
        for i in range(steps_per_epoch):
            idx = perm[i * args.batch:(i + 1) * args.batch]
            x = augment(to_float(xtr[idx]), gen).contiguous(memory_format=torch.channels_last)
            y = ytr[idx]
            out = model(x)
            loss = F.cross_entropy(out, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            tot += y.numel()
            correct += (out.argmax(1) == y).sum().item()
            loss_sum += loss.item() * y.numel()
        epoch_times.append(time.time() - t)
        log(f"backbone epoch {ep + 1}/{args.epochs}: loss {loss_sum / tot:.4f} train-acc {correct / tot:.4f} "
            f"({epoch_times[-1]:.1f}s)")
    model.to(memory_format=torch.contiguous_format)
    model.eval()
    return epoch_times


@torch.no_grad()
def predict(fn, x, batch=500):
    outs = []
    for i in range(0, x.shape[0], batch):
        outs.append(fn(x[i:i + batch]))
    return torch.cat(outs)


def accuracies(logits, y):
    pred = logits.argmax(1)
    n, ns = y.numel(), min(SUBSET, y.numel())
    return (round(int((pred == y).sum()) / n, 6),
            round(int((pred[:ns] == y[:ns]).sum()) / ns, 6))


# ---------------------------------------------------------------- autoencoders
class PointAE(nn.Module):
    def __init__(self, c, k):
        super().__init__()
        self.enc = Encoder(c, k)
        self.dec = Decoder(k, c)
        self.clips = nn.ModuleDict({str(b): ClipRange() for b in BITS})

    def quant(self, code, bits):
        cr = self.clips[str(bits)]
        return fake_quant(code, cr.lo, cr.hi, bits)


def cosine(opt, total):
    return torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, total) / total)))


def train_point(p, feat_tr, ytr, teach_tr, tail_mods, c, k, args):
    """Phase 1: backbone frozen, AE trained with MSE + 0.1 CE; phase 2: decoder + (copied) tail fine-tuned."""
    gen = torch.Generator().manual_seed(args.seed + 100 + p)
    rng = random.Random(args.seed + 200 + p)
    ae = PointAE(c, k)
    tail = Seq(copy.deepcopy(tail_mods))  # deep copy: never shares modules with the backbone
    tail.eval()
    cl = torch.channels_last  # ~25 % faster convolutions on CPU
    ae.to(memory_format=cl)
    tail.to(memory_format=cl)
    for q in tail.parameters():
        q.requires_grad_(False)
    n = feat_tr.shape[0]
    steps = math.ceil(n / args.batch)
    # init clip ranges from the initial encoder's output distribution
    with torch.no_grad():
        ae.enc.eval()
        code0 = ae.enc(feat_tr[:2048]).flatten()
        lo, hi = torch.quantile(code0[:200000], 0.001).item(), torch.quantile(code0[:200000], 0.999).item()
        for b in BITS:
            ae.clips[str(b)].lo.fill_(lo)
            ae.clips[str(b)].hi.fill_(hi)
    clip_params = [q for q in ae.clips.parameters()]
    opt = torch.optim.AdamW([{"params": list(ae.enc.parameters()) + list(ae.dec.parameters()), "weight_decay": 1e-4},
                             {"params": clip_params, "weight_decay": 0.0}], lr=args.ae_lr)
    sched = cosine(opt, args.ae_epochs * steps)
    t = time.time()
    for ep in range(args.ae_epochs):
        ae.train()
        perm = torch.randperm(n, generator=gen)
        ls, lm = 0.0, 0.0
        for i in range(steps):
            idx = perm[i * args.batch:(i + 1) * args.batch]
            f, y = feat_tr[idx].contiguous(memory_format=cl), ytr[idx]
            bits = rng.choice(BITS)
            r = ae.dec(ae.quant(ae.enc(f), bits))
            mse = F.mse_loss(r, f)
            loss = mse + 0.1 * F.cross_entropy(tail(r), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            with torch.no_grad():  # keep lo < hi
                for cr in ae.clips.values():
                    cr.hi.copy_(torch.maximum(cr.hi, cr.lo + 1e-3))
            ls += loss.item()
            lm += mse.item()
        log(f"  p{p} AE epoch {ep + 1}/{args.ae_epochs}: loss {ls / steps:.4f} mse {lm / steps:.4f}")
    t_ae = time.time() - t
    ae.eval()
    phase1_tail = copy.deepcopy(tail)
    phase1_dec = copy.deepcopy(ae.dec)

    # phase 2: encoder and clip ranges frozen, decoder + tail fine-tuned jointly (BN statistics kept).
    with torch.no_grad():
        codes = predict(ae.enc, feat_tr, 1000)
    for q in tail.parameters():
        q.requires_grad_(True)
    dec = ae.dec
    params = list(dec.parameters()) + list(tail.parameters())
    opt = torch.optim.AdamW(params, lr=args.ft_lr, weight_decay=1e-4)
    sched = cosine(opt, args.ft_epochs * steps)
    t = time.time()
    T = 2.0
    for ep in range(args.ft_epochs):
        dec.eval()
        tail.eval()  # BN statistics frozen, weights trained
        perm = torch.randperm(n, generator=gen)
        ls = 0.0
        for i in range(steps):
            idx = perm[i * args.batch:(i + 1) * args.batch]
            bits = rng.choice(BITS)
            with torch.no_grad():
                cq = ae.quant(codes[idx], bits).contiguous(memory_format=cl)
            out = tail(dec(cq))
            kd = F.kl_div(F.log_softmax(out / T, 1), F.softmax(teach_tr[idx] / T, 1), reduction="batchmean") * T * T
            loss = 0.5 * F.cross_entropy(out, ytr[idx]) + 0.5 * kd
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            ls += loss.item()
        log(f"  p{p} fine-tune epoch {ep + 1}/{args.ft_epochs}: loss {ls / steps:.4f}")
    t_ft = time.time() - t
    for q in tail.parameters():
        q.requires_grad_(False)
    ae.eval()
    for m in (ae, tail, phase1_dec, phase1_tail):
        m.to(memory_format=torch.contiguous_format)
    return ae, tail, phase1_dec, phase1_tail, t_ae, t_ft


# ---------------------------------------------------------------- export
def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def export_onnx(module, sample, path, in_name, out_name):
    import onnx
    module = copy.deepcopy(module).eval().to(memory_format=torch.contiguous_format)
    with torch.no_grad():
        ref = module(sample)
    torch.onnx.export(module, sample, path, input_names=[in_name], output_names=[out_name],
                      dynamic_axes={in_name: {0: "batch"}, out_name: {0: "batch"}},
                      opset_version=OPSET, do_constant_folding=True)
    m = onnx.load(path)
    # make every non-batch dimension concrete and the batch dimension the symbol "batch"
    for vi, shape in ((m.graph.input[0], sample.shape), (m.graph.output[0], ref.shape)):
        dims = vi.type.tensor_type.shape.dim
        assert len(dims) == len(shape), (path, vi.name)
        for i, d in enumerate(dims):
            if i == 0:
                d.Clear()
                d.dim_param = "batch"
            else:
                d.Clear()
                d.dim_value = int(shape[i])
    assert m.graph.input[0].name == in_name and m.graph.output[0].name == out_name
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return ref


def avro_long_size(v):
    z = (v << 1) ^ (v >> 63)  # zigzag
    n = 1
    while z >= 0x80:
        z >>= 7
        n += 1
    return n


def codec_header_bytes(shape, bits):
    """Avro binary size of CodecSpec{shape: array<int>, bits: int, scale: float, offset: float, packing: enum}."""
    s = 0
    if len(shape):
        s += avro_long_size(len(shape)) + sum(avro_long_size(int(d)) for d in shape)
    s += 1  # array end marker (0)
    s += avro_long_size(bits)
    s += 4 + 4
    s += avro_long_size(0)  # enum index DENSE_MSB_FIRST
    return s


def level_bytes(code_shape, bits):
    code_bytes = math.ceil(int(np.prod(code_shape)) * bits / 8)
    return code_bytes, code_bytes + codec_header_bytes(code_shape, bits)


class Bundle:
    def __init__(self, out):
        self.out = out
        os.makedirs(os.path.join(out, "check"), exist_ok=True)
        self.checks = []

    def add_onnx(self, name, module, sample, in_name, out_name, check_input):
        path = os.path.join(self.out, name)
        export_onnx(module, sample, path, in_name, out_name)
        with torch.no_grad():
            ref = copy.deepcopy(module).eval()(check_input)
        stem = name[:-len(".onnx")]
        np.save(os.path.join(self.out, "check", stem + ".in.npy"), check_input.numpy().astype(np.float32))
        np.save(os.path.join(self.out, "check", stem + ".out.npy"), ref.numpy().astype(np.float32))
        self.checks.append({"file": name, "input": f"check/{stem}.in.npy", "output": f"check/{stem}.out.npy",
                            "max_abs_diff": None})
        return {"file": name, "sha256": sha256(path)}


# ---------------------------------------------------------------- main flow
def run_fmnist(args):
    seed_all(args.seed)
    data = load_fmnist()
    xtr_u8, ytr = data["train"]
    xte_u8, yte = data["test"]
    if args.quick:
        xtr_u8, ytr = xtr_u8[:args.quick_n], ytr[:args.quick_n]
    xall = data["train"][0].float() / 255.0
    mean, std = round(xall.mean().item(), 4), round(xall.std().item(), 4)
    del xall
    log(f"train {tuple(xtr_u8.shape)} test {tuple(xte_u8.shape)} mean {mean} std {std}")
    xte = to_float(xte_u8)
    report = {"args": vars(args), "threads": torch.get_num_threads()}

    model = FmnistResNet([mean], [std])
    ckpt = os.path.join(args.workdir, "backbone.pt")
    if args.reuse_backbone and os.path.exists(ckpt):
        model.load_state_dict(torch.load(ckpt))
        model.eval()
        log(f"reused backbone {ckpt}")
        report["backbone_reused"] = True
    else:
        t = time.time()
        ep_times = train_backbone(model, xtr_u8, ytr, args)
        report["backbone_seconds"] = time.time() - t
        report["backbone_epoch_seconds"] = ep_times
        torch.save(model.state_dict(), ckpt)
    full_logits = predict(model, xte)
    acc_full, acc_full_sub = accuracies(full_logits, yte)
    log(f"full model: test acc {acc_full:.4f} subset {acc_full_sub:.4f} params {count_params(model)}")
    report["full_accuracy"] = acc_full

    parts = model.parts()
    points = []
    for p, stage in enumerate(FmnistResNet.STAGES, start=1):
        head, tail = split_modules(parts, stage)
        with torch.no_grad():
            fshape = tuple(Seq(head).eval()(xte[:1]).shape[1:])
        c = fshape[0]
        k = max(1, c // args.shrink)
        points.append({"p": p, "stage": stage, "head": head, "tail": tail, "fshape": fshape, "c": c, "k": k})

    # cache frozen-backbone features (train and test) and teacher logits
    t = time.time()
    if args.ae_n:  # train the autoencoders on the first ae_n training images only
        xtr_u8, ytr = xtr_u8[:args.ae_n], ytr[:args.ae_n]

    @torch.no_grad()
    def run_all(x):  # one pass through the backbone: features at every point + logits
        feats = []
        for name, m in parts:
            x = m(x)
            if name in FmnistResNet.STAGES:
                feats.append(x)
        return feats, x

    def cache(x):
        fs, lg = [[] for _ in points], []
        for i in range(0, x.shape[0], 500):
            f, l = run_all(x[i:i + 500])
            for j in range(len(points)):
                fs[j].append(f[j])
            lg.append(l)
        return [torch.cat(f) for f in fs], torch.cat(lg)

    ftr, teach_tr = cache(to_float(xtr_u8))
    fte, _ = cache(xte)
    for pt, a, b in zip(points, ftr, fte):
        pt["feat_tr"], pt["feat_te"] = a, b
    del ftr, fte
    report["cache_seconds"] = time.time() - t
    log(f"cached features in {report['cache_seconds']:.1f}s")

    ae_total = 0.0
    for pt in points:
        ae, tail, dec1, tail1, t_ae, t_ft = train_point(pt["p"], pt["feat_tr"], ytr, teach_tr, pt["tail"],
                                                       pt["c"], pt["k"], args)
        ae_total += t_ae + t_ft
        pt.update(ae=ae, ft_tail=tail, p1_dec=dec1, p1_tail=tail1, t_ae=t_ae, t_ft=t_ft)
        with torch.no_grad():
            code_te = predict(ae.enc, pt["feat_te"])
        pt["levels"] = []
        for b in BITS:
            cq = predict(lambda z: ae.quant(z, b), code_te)
            acc, acc_sub = accuracies(predict(lambda z: tail(ae.dec(z)), cq), yte)
            acc1, _ = accuracies(predict(lambda z: tail1(dec1(z)), cq), yte)
            cr = ae.clips[str(b)]
            pt["levels"].append({"bits": b, "clip_min": float(cr.lo.item()), "clip_max": float(cr.hi.item()),
                                 "accuracy": acc, "accuracy_subset": acc_sub, "accuracy_phase1": acc1})
            log(f"  p{pt['p']} {b}-bit: acc {acc:.4f} (subset {acc_sub:.4f}; frozen-tail phase {acc1:.4f}) "
                f"clip [{cr.lo.item():.3f}, {cr.hi.item():.3f}]")
        pt["code_te4"] = predict(lambda z: ae.quant(z, 4), code_te[:4])
        del pt["feat_tr"]
    report["ae_seconds"] = ae_total

    # ------------------------------------------------------------ export
    out = args.out
    os.makedirs(out, exist_ok=True)
    bundle = Bundle(out)
    img1 = xte[:2]
    chk_img = xte[:4].clone()
    full_mod = Seq([m for _, m in parts]).eval()
    full_entry = bundle.add_onnx("full.onnx", full_mod, img1, "image", "logits", chk_img)
    full_entry.update(flops=count_flops(full_mod, (1, 28, 28)), params=count_params(full_mod),
                      accuracy=acc_full, accuracy_subset=acc_full_sub, latency_ms=None)
    # point 0: the UE sends its 8-bit pixels; the tail is the full model with its input named `code`
    p0 = bundle.add_onnx("p0_tail.onnx", full_mod, img1, "code", "logits", chk_img)
    cb, pb = level_bytes((1, 28, 28), 8)
    man_points = [{"point": 0, "after": "input", "feature_shape": [1, 28, 28], "code_shape": [1, 28, 28],
                   "head": None, "tail": p0,
                   "head_flops": 0, "head_params": 0,
                   "tail_flops": full_entry["flops"], "tail_params": full_entry["params"],
                   "head_latency_ms": None, "tail_latency_ms": None,
                   "levels": [{"bits": 8, "clip_min": 0.0, "clip_max": 1.0, "code_bytes": cb, "payload_bytes": pb,
                               "accuracy": acc_full, "accuracy_subset": acc_full_sub}]}]
    for pt in points:
        p, ae = pt["p"], pt["ae"]
        head_mod = Seq(list(pt["head"]) + [ae.enc]).eval()
        tail_mod = Seq([ae.dec] + list(pt["ft_tail"].mods)).eval()
        cshape = (pt["k"],) + tuple(pt["fshape"][1:])
        h = bundle.add_onnx(f"p{p}_head.onnx", head_mod, img1, "image", "code", chk_img)
        tl = bundle.add_onnx(f"p{p}_tail.onnx", tail_mod, torch.zeros((2,) + cshape), "code", "logits",
                             pt["code_te4"].clone())
        levels = []
        for lv in pt["levels"]:
            cb, pb = level_bytes(cshape, lv["bits"])
            levels.append({"bits": lv["bits"], "clip_min": lv["clip_min"], "clip_max": lv["clip_max"],
                           "code_bytes": cb, "payload_bytes": pb,
                           "accuracy": lv["accuracy"], "accuracy_subset": lv["accuracy_subset"]})
        man_points.append({"point": p, "after": pt["stage"], "feature_shape": list(pt["fshape"]),
                           "code_shape": list(cshape), "head": h, "tail": tl,
                           "head_flops": count_flops(head_mod, (1, 28, 28)), "head_params": count_params(head_mod),
                           "tail_flops": count_flops(tail_mod, cshape), "tail_params": count_params(tail_mod),
                           "head_latency_ms": None, "tail_latency_ms": None, "levels": levels})
    write_idx(os.path.join(out, "test-images.idx3-ubyte"), xte_u8[:SUBSET].numpy(), 0x00000803)
    write_idx(os.path.join(out, "test-labels.idx1-ubyte"), yte[:SUBSET].numpy(), 0x00000801)
    manifest = {
        "format": 1, "model_id": "fmnist-resnet", "trained": True, "dataset": "fashion-mnist",
        "input": {"shape": [1, 28, 28], "raw_bytes": 784, "pixel_scale": 255.0,
                  "normalization": {"mean": [mean], "std": [std]}},
        "class_names": CLASS_NAMES,
        "full": full_entry,
        "local_point": len(points) + 1,
        "points": man_points,
        "export_check": bundle.checks,
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    # report for the README (not part of the bundle)
    rows = []
    for mp, pt in zip(man_points[1:], points):
        fp32 = 4 * int(np.prod(pt["fshape"]))
        for lv, lv2 in zip(mp["levels"], pt["levels"]):
            rows.append({"point": mp["point"], "bits": lv["bits"], "feature": mp["feature_shape"],
                         "code": mp["code_shape"], "fp32_bytes": fp32, "code_bytes": lv["code_bytes"],
                         "payload_bytes": lv["payload_bytes"], "x_vs_fp32": fp32 / lv["code_bytes"],
                         "x_vs_raw": 784 / lv["code_bytes"], "accuracy": lv["accuracy"],
                         "accuracy_subset": lv["accuracy_subset"], "accuracy_frozen_tail": lv2["accuracy_phase1"],
                         "loss_pt": 100 * (acc_full - lv["accuracy"])})
    report.update(rows=rows, full_accuracy_subset=acc_full_sub, full_flops=full_entry["flops"],
                  full_params=full_entry["params"], total_seconds=time.time() - T0,
                  point_flops=[(mp["point"], mp["head_flops"], mp["tail_flops"]) for mp in man_points],
                  ae_point_seconds=[(pt["p"], pt["t_ae"], pt["t_ft"]) for pt in points])
    with open(os.path.join(args.workdir, "report.json" if not args.quick else "report-quick.json"), "w") as f:
        json.dump(report, f, indent=2)
    total = sum(os.path.getsize(os.path.join(dp, fn)) for dp, _, fns in os.walk(out) for fn in fns)
    log(f"bundle written to {out} ({total / 1e6:.2f} MB); total {time.time() - T0:.0f}s")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=15, help="backbone epochs")
    ap.add_argument("--ae-epochs", type=int, default=2, help="autoencoder epochs per point (frozen backbone)")
    ap.add_argument("--ft-epochs", type=int, default=1, help="decoder+tail fine-tuning epochs per point")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=0.2, help="backbone OneCycle max LR (SGD)")
    ap.add_argument("--ae-lr", type=float, default=2e-3)
    ap.add_argument("--ft-lr", type=float, default=5e-4)
    ap.add_argument("--ae-n", type=int, default=0, help="train the autoencoders on the first N images (0 = all)")
    ap.add_argument("--shrink", type=int, default=8, help="channel shrink of the encoder (k = C / shrink)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="tiny smoke run into models/build/quick/")
    ap.add_argument("--quick-n", type=int, default=2048)
    ap.add_argument("--reuse-backbone", action="store_true", help="load <workdir>/backbone.pt instead of training")
    ap.add_argument("--out", default=None, help="bundle folder (default models/bundles/fmnist-resnet)")
    ap.add_argument("--workdir", default=None, help="scratch folder (default models/build[/quick])")
    ap.add_argument("--paper-nets", action="store_true", help="export the paper's untrained 224x224 nets")
    ap.add_argument("--nets", default="resnet18,vgg11,mobilenet_v2")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.paper_nets:
        import paper_nets
        args.out = args.out or os.path.join(HERE, "build", "paper")
        paper_nets.run(args)
        return
    if args.quick:
        args.epochs, args.ae_epochs, args.ft_epochs = min(args.epochs, 1), min(args.ae_epochs, 1), min(args.ft_epochs, 1)
        args.workdir = args.workdir or os.path.join(HERE, "build", "quick")
        args.out = args.out or os.path.join(args.workdir, "fmnist-resnet")
    args.workdir = args.workdir or os.path.join(HERE, "build")
    args.out = args.out or os.path.join(HERE, "bundles", "fmnist-resnet")
    os.makedirs(args.workdir, exist_ok=True)
    run_fmnist(args)


if __name__ == "__main__":
    main()
