#!/usr/bin/env python3
"""PyTorch peer of SslCourse.Cli.Bench.StepBenchmarks.SimClrStep: the same SimCLR step, written independently.

Two augmented views of a batch of 3x32x32 images from a 1024-image pool in memory; the course's 4-layer ConvNet
(32-64-128-256, BatchNorm, ReLU, 2x2 max pooling after the first three blocks, global average pool); a
Linear(256, 2048, no bias)-BatchNorm-ReLU-Linear(2048, 128) projection head; NT-Xent at T = 0.5; SGD with momentum.
Run: python3 lib/SslCourse.Cli/Bench/peer_step.py --batch 256 --steps 10 --threads 2 [--json]
Needs Debian's python3-torch (PyTorch 1.13) and its interpreter /usr/bin/python3. Prints img/s (batch / median step time) and the data share.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_net(width=1.0):
    layers, cin = [], 3
    widths = [max(1, round(c * width)) for c in (32, 64, 128, 256)]
    for i, c in enumerate(widths):
        layers += [nn.Conv2d(cin, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True)]
        if i < 3:
            layers.append(nn.MaxPool2d(2))
        cin = c
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    return nn.Sequential(*layers), widths[-1]


def nt_xent(za, zb, t):
    n = za.shape[0]
    z = F.normalize(torch.cat([za, zb]), dim=1)            # [2N, D]
    logits = z @ z.t() / t                                  # [2N, 2N]
    logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(logits, target)


def augment(x, g):
    b = x.shape[0]
    scale = (0.3 + 0.7 * torch.rand(b, generator=g)).sqrt()
    flip = (torch.rand(b, generator=g) < 0.5).float() * -2 + 1
    tx = (1 - scale) * (torch.rand(b, generator=g) * 2 - 1)
    ty = (1 - scale) * (torch.rand(b, generator=g) * 2 - 1)
    zero = torch.zeros(b)
    theta = torch.stack([torch.stack([scale * flip, zero, tx], 1), torch.stack([zero, scale, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    y = F.grid_sample(x, grid, align_corners=False)
    y = y * (0.6 + 0.8 * torch.rand(b, 1, 1, 1, generator=g))
    mean = y.mean(dim=(1, 2, 3), keepdim=True)
    return ((y - mean) * (0.6 + 0.8 * torch.rand(b, 1, 1, 1, generator=g)) + mean).clamp(0, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    g = torch.Generator().manual_seed(a.seed)
    pool = torch.rand(1024, 3, 32, 32, generator=g)
    encoder, dim = conv_net()
    head = nn.Sequential(nn.Linear(dim, 2048, bias=False), nn.BatchNorm1d(2048), nn.ReLU(inplace=True), nn.Linear(2048, 128))
    params = list(encoder.parameters()) + list(head.parameters())
    opt = torch.optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=1e-6)
    data, compute, total = [], [], []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        x = pool.index_select(0, torch.randint(0, pool.shape[0], (a.batch,), generator=g))
        v1, v2 = augment(x, g), augment(x, g)
        t1 = time.perf_counter()
        opt.zero_grad()
        z = head(encoder(torch.cat([v1, v2])))
        za, zb = z.chunk(2)
        loss = nt_xent(za, zb, 0.5)
        loss.backward()
        opt.step()
        loss.item()
        t2 = time.perf_counter()
        if i >= a.warmup:
            data.append(t1 - t0); compute.append(t2 - t1); total.append(t2 - t0)
    med = statistics.median(total)
    out = {"framework": "pytorch " + torch.__version__, "batch": a.batch, "steps": a.steps, "threads": torch.get_num_threads(),
           "images_per_second": a.batch / med, "median_step_seconds": med,
           "data_share": sum(data) / sum(total), "compute_share": sum(compute) / sum(total)}
    print(json.dumps(out) if a.json else "\n".join(f"{k}: {v}" for k, v in out.items()))


if __name__ == "__main__":
    main()
