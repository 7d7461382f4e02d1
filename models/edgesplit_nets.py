"""Networks, autoencoders and quantization shared by train.py (EdgeSplit model bundles)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Normalize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(1, -1, 1, 1))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(1, -1, 1, 1))

    def forward(self, x):
        return (x - self.mean) / self.std


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        sc = x if self.shortcut is None else self.shortcut(x)
        return F.relu(out + sc)


class FmnistResNet(nn.Module):
    """stem (28x28) + 4 residual blocks; blocks 1-3 halve the resolution: 28 -> 14 -> 7 -> 4 -> 4."""
    STAGES = ["layer1", "layer2", "layer3", "layer4"]

    def __init__(self, mean, std, stem=24, widths=(32, 64, 96, 96), strides=(2, 2, 2, 1)):
        super().__init__()
        self.normalize = Normalize(mean, std)
        self.stem = nn.Sequential(nn.Conv2d(1, stem, 3, 1, 1, bias=False), nn.BatchNorm2d(stem), nn.ReLU(inplace=True))
        cin = stem
        for name, w, s in zip(self.STAGES, widths, strides):
            setattr(self, name, BasicBlock(cin, w, s))
            cin = w
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(cin, 10)

    def parts(self):
        """Ordered list of (name, module); a cut after index i of STAGES splits this list."""
        return ([("normalize", self.normalize), ("stem", self.stem)]
                + [(n, getattr(self, n)) for n in self.STAGES]
                + [("pool", self.pool), ("flatten", nn.Flatten()), ("fc", self.fc)])

    def forward(self, x):
        for _, m in self.parts():
            x = m(x)
        return x


def split_modules(parts, cut_after):
    """(head list, tail list) of modules, cut after the part named cut_after."""
    names = [n for n, _ in parts]
    i = names.index(cut_after) + 1
    return [m for _, m in parts[:i]], [m for _, m in parts[i:]]


# ---------------------------------------------------------------- quantization
class RoundSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return torch.round(x)  # round half to even, as Java's Math.rint

    @staticmethod
    def backward(ctx, g):
        return g


def fake_quant(x, lo, hi, bits):
    """The BUNDLE-FORMAT.md arithmetic: scale=(hi-lo)/(2^b-1), q=rint((clamp(x)-lo)/scale), x'=lo+scale*q."""
    levels = float(2 ** bits - 1)
    scale = (hi - lo) / levels
    xc = torch.minimum(torch.maximum(x, lo), hi)
    q = RoundSTE.apply((xc - lo) / scale)
    q = torch.clamp(q, 0.0, levels)
    return lo + scale * q


class ClipRange(nn.Module):
    def __init__(self, lo=-3.0, hi=3.0):
        super().__init__()
        self.lo = nn.Parameter(torch.tensor(float(lo)))
        self.hi = nn.Parameter(torch.tensor(float(hi)))


class Encoder(nn.Module):
    """UE side: 3x3 conv channel shrink + BN (its output is the code before quantization)."""

    def __init__(self, c, k):
        super().__init__()
        self.conv = nn.Conv2d(c, k, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(k)

    def forward(self, x):
        return self.bn(self.conv(x))


class Decoder(nn.Module):
    """Edge side: 3x3 conv expand + BN + ReLU, then a 3x3 refinement conv + BN + ReLU (features are post-ReLU)."""

    def __init__(self, k, c):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(k, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True),
            nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True))

    def forward(self, x):
        return self.net(x)


class Seq(nn.Module):
    """Sequential over a list of modules (shares, does not copy)."""

    def __init__(self, mods):
        super().__init__()
        self.mods = nn.ModuleList(mods)

    def forward(self, x):
        for m in self.mods:
            x = m(x)
        return x


# ---------------------------------------------------------------- counting
def count_flops(module, input_shape):
    """2 x multiply-accumulates of Conv2d/Linear for one input of shape input_shape (no batch)."""
    macs = [0]

    def conv_hook(m, i, o):
        macs[0] += o.numel() // o.shape[0] * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    def lin_hook(m, i, o):
        macs[0] += m.in_features * m.out_features

    hs = []
    for m in module.modules():
        if isinstance(m, nn.Conv2d):
            hs.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hs.append(m.register_forward_hook(lin_hook))
    was = module.training
    module.eval()
    with torch.no_grad():
        module(torch.zeros((1,) + tuple(input_shape)))
    module.train(was)
    for h in hs:
        h.remove()
    return 2 * macs[0]


def count_params(module):
    return sum(p.numel() for p in module.parameters())
