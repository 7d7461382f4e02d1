"""--paper-nets: the paper's three 224x224 networks, untrained (seeded random weights), cut where
SYSTEM-MODEL.md says, with 1x1-conv autoencoders at the paper's compression ratios, exported as bundles.

Ratio mapping: the paper sends C*H*W*32/ratio bits at a point. Here the code is 8-bit, so the encoder shrinks
the channels from C to k = 4*C/ratio (k*H*W*8 bits = C*H*W*32/ratio bits exactly).
"""
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torchvision

from edgesplit_nets import Normalize, Seq, count_flops, count_params
from train import Bundle, level_bytes, log, seed_all

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]

# net -> (cut names: the cut is at the *input* of these modules, paper ratios for points 1..4)
CUTS = {
    "resnet18": (["layer1", "layer2.1", "layer3.1", "layer4.1"], [64, 64, 64, 32]),
    "vgg11": (["features.3", "features.6", "features.11", "features.16"], [128, 128, 128, 128]),
    "mobilenet_v2": (["features.2", "features.3", "features.5", "features.8"], [32, 48, 32, 32]),
}
EXPECTED = {
    "resnet18": [(64, 56, 56), (128, 28, 28), (256, 14, 14), (512, 7, 7)],
    "vgg11": [(64, 112, 112), (128, 56, 56), (256, 28, 28), (512, 14, 14)],
    "mobilenet_v2": [(16, 112, 112), (24, 56, 56), (32, 28, 28), (64, 14, 14)],
}


class GlobalPool(nn.Module):
    def forward(self, x):
        return nn.functional.adaptive_avg_pool2d(x, 1)


def flat_parts(name, net):
    """(name, module) list whose sequential application equals net.forward (eval mode)."""
    if name == "resnet18":
        parts = [("conv1", net.conv1), ("bn1", net.bn1), ("relu", net.relu), ("maxpool", net.maxpool)]
        for ln in ("layer1", "layer2", "layer3", "layer4"):
            layer = getattr(net, ln)
            parts.append((f"{ln}.0", layer[0]))
            parts.append((f"{ln}.1", layer[1]))
        parts += [("avgpool", net.avgpool), ("flatten", nn.Flatten()), ("fc", net.fc)]
        return parts
    if name == "vgg11":
        parts = [(f"features.{i}", m) for i, m in enumerate(net.features)]
        return parts + [("avgpool", net.avgpool), ("flatten", nn.Flatten()), ("classifier", net.classifier)]
    if name == "mobilenet_v2":
        parts = [(f"features.{i}", m) for i, m in enumerate(net.features)]
        return parts + [("pool", GlobalPool()), ("flatten", nn.Flatten()), ("classifier", net.classifier)]
    raise ValueError(name)


def cut_index(parts, cut):
    names = [n for n, _ in parts]
    if cut == "layer1":
        cut = "layer1.0"
    return names.index(cut)


def categories(name):
    try:
        w = {"resnet18": torchvision.models.ResNet18_Weights, "vgg11": torchvision.models.VGG11_Weights,
             "mobilenet_v2": torchvision.models.MobileNet_V2_Weights}[name]
        return list(w.IMAGENET1K_V1.meta["categories"])
    except Exception:  # pragma: no cover
        return [f"class{i}" for i in range(1000)]


def export_net(name, args):
    seed_all(args.seed)
    net = getattr(torchvision.models, name)(weights=None).eval()
    parts = [("normalize", Normalize(IMAGENET_MEAN, IMAGENET_STD))] + flat_parts(name, net)
    full = Seq([m for _, m in parts]).eval()
    gen = torch.Generator().manual_seed(args.seed)
    imgs = torch.rand((4, 3, 224, 224), generator=gen)
    with torch.no_grad():
        assert torch.allclose(full(imgs[:1]), net((imgs[:1] - full.mods[0].mean) / full.mods[0].std), atol=1e-4)
    out = os.path.join(args.out, name)
    os.makedirs(out, exist_ok=True)
    bundle = Bundle(out)
    in_shape = (3, 224, 224)
    full_entry = bundle.add_onnx("full.onnx", full, imgs[:1], "image", "logits", imgs)
    full_entry.update(flops=count_flops(full, in_shape), params=count_params(full), accuracy=None,
                      accuracy_subset=None, latency_ms=None)
    p0 = bundle.add_onnx("p0_tail.onnx", full, imgs[:1], "code", "logits", imgs)
    cb, pb = level_bytes(in_shape, 8)
    points = [{"point": 0, "after": "input", "feature_shape": list(in_shape), "code_shape": list(in_shape),
               "head": None, "tail": p0, "head_flops": 0, "head_params": 0,
               "tail_flops": full_entry["flops"], "tail_params": full_entry["params"],
               "head_latency_ms": None, "tail_latency_ms": None,
               "levels": [{"bits": 8, "clip_min": 0.0, "clip_max": 1.0, "code_bytes": cb, "payload_bytes": pb,
                           "accuracy": None, "accuracy_subset": None}]}]
    cuts, ratios = CUTS[name]
    for p, (cut, ratio) in enumerate(zip(cuts, ratios), start=1):
        i = cut_index(parts, cut)
        head_parts, tail_parts = [m for _, m in parts[:i]], [m for _, m in parts[i:]]
        with torch.no_grad():
            feat = Seq(head_parts)(imgs)
        c, h, w = feat.shape[1:]
        assert (c, h, w) == EXPECTED[name][p - 1], (name, p, feat.shape)
        k = 4 * c // ratio
        assert k * h * w * 8 == round(c * h * w * 32 / ratio)
        enc = nn.Sequential(nn.Conv2d(c, k, 1, bias=False), nn.BatchNorm2d(k)).eval()
        dec = nn.Sequential(nn.Conv2d(k, c, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU()).eval()
        head_mod = Seq(head_parts + [enc]).eval()
        tail_mod = Seq([dec] + tail_parts).eval()
        with torch.no_grad():
            code = enc(feat)
        lo = float(torch.quantile(code.flatten()[:1000000], 0.001))
        hi = float(torch.quantile(code.flatten()[:1000000], 0.999))
        lo, hi = float(np.float32(lo)), float(np.float32(hi))
        scale = (hi - lo) / 255.0
        cq = (lo + scale * torch.round((code.clamp(lo, hi) - lo) / scale)).float()
        prev = parts[i - 1][0]
        hd = bundle.add_onnx(f"p{p}_head.onnx", head_mod, imgs[:1], "image", "code", imgs)
        tl = bundle.add_onnx(f"p{p}_tail.onnx", tail_mod, cq[:1], "code", "logits", cq)
        cshape = (k, h, w)
        cb, pb = level_bytes(cshape, 8)
        points.append({"point": p, "after": prev, "feature_shape": [c, h, w], "code_shape": list(cshape),
                       "head": hd, "tail": tl,
                       "head_flops": count_flops(head_mod, in_shape), "head_params": count_params(head_mod),
                       "tail_flops": count_flops(tail_mod, cshape), "tail_params": count_params(tail_mod),
                       "head_latency_ms": None, "tail_latency_ms": None,
                       "levels": [{"bits": 8, "clip_min": lo, "clip_max": hi, "code_bytes": cb,
                                   "payload_bytes": pb, "accuracy": None, "accuracy_subset": None}]})
        log(f"{name} p{p}: cut before {cut} feature {c}x{h}x{w} -> code {k}x{h}x{w} (ratio {ratio}) "
            f"{cb} bytes")
    manifest = {
        "format": 1, "model_id": f"paper-{name}", "trained": False, "dataset": "imagenet",
        "input": {"shape": list(in_shape), "raw_bytes": int(np.prod(in_shape)), "pixel_scale": 255.0,
                  "normalization": {"mean": IMAGENET_MEAN, "std": IMAGENET_STD}},
        "class_names": categories(name),
        "full": full_entry,
        "local_point": 5,
        "points": points,
        "export_check": bundle.checks,
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def run(args):
    t = time.time()
    for name in args.nets.split(","):
        export_net(name.strip(), args)
        log(f"{name} exported to {os.path.join(args.out, name)}")
    log(f"paper nets done in {time.time() - t:.0f}s")
