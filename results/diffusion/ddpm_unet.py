"""The U-Net of results/diffusion's DDPM (make-diffusion-onnx.py trains it; benchmarks/bench_torch.py times it).

In the style of DDPM's (Ho et al. 2020), shrunk for 28x28 one-channel images and a 2-core CPU: channels 16 at 28x28,
32 at 14x14 and 7x7, one residual block (GroupNorm, SiLU, conv 3x3, the time embedding added, GroupNorm, SiLU,
conv 3x3) per level down and up with skip connections, a sinusoidal timestep embedding through a 2-layer MLP.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float().unsqueeze(1) * freqs.unsqueeze(0)
    return torch.cat([torch.cos(args), torch.sin(args)], dim=1)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, temb):
        super().__init__()
        self.norm1 = nn.GroupNorm(8, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.time = nn.Linear(temb, cout)
        self.norm2 = nn.GroupNorm(8, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time(emb)[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return self.skip(x) + h


class UNet(nn.Module):
    def __init__(self, c1=16, c2=32, temb=64):
        super().__init__()
        self.temb = temb
        self.mlp = nn.Sequential(nn.Linear(temb, temb), nn.SiLU(), nn.Linear(temb, temb))
        self.inp = nn.Conv2d(1, c1, 3, padding=1)
        self.down1 = ResBlock(c1, c1, temb)                      # 28x28
        self.pool1 = nn.Conv2d(c1, c2, 3, stride=2, padding=1)   # -> 14x14
        self.down2 = ResBlock(c2, c2, temb)
        self.pool2 = nn.Conv2d(c2, c2, 3, stride=2, padding=1)   # -> 7x7
        self.mid = ResBlock(c2, c2, temb)
        self.up2 = ResBlock(2 * c2, c2, temb)                    # 14x14, with the skip
        self.up1 = ResBlock(c2 + c1, c1, temb)                   # 28x28, with the skip
        self.out_norm = nn.GroupNorm(8, c1)
        self.out = nn.Conv2d(c1, 1, 3, padding=1)

    def forward(self, x, t):
        emb = self.mlp(timestep_embedding(t, self.temb))
        h1 = self.down1(self.inp(x), emb)
        h2 = self.down2(self.pool1(h1), emb)
        h = self.mid(self.pool2(h2), emb)
        h = self.up2(torch.cat([F.interpolate(h, scale_factor=2.0, mode="nearest"), h2], 1), emb)
        h = self.up1(torch.cat([F.interpolate(h, scale_factor=2.0, mode="nearest"), h1], 1), emb)
        return self.out(F.silu(self.out_norm(h)))
