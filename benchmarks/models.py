"""Throughput and arithmetic rate of every network at 1 x 32 x 32, batch 32, on this CPU.

Prints, per model: forward and training-step images per second, FLOPs per image
(forward, counted by torch's FlopCounterMode: 2 per multiply-add), the achieved
GFLOP/s of both (a training step taken as 3 times the forward FLOPs), next to a plain
float32 matrix-multiply peak measured in the same run.

    python benchmarks/models.py [--batch 32] [--seconds 3]
"""

from __future__ import annotations

import argparse
import time

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from jetvision.models import available, create_model, spec


def matmul_peak(seconds: float, n: int = 2048) -> float:
    """GFLOP/s of repeated n x n float32 matrix products."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        a @ b
        count += 1
    return 2 * n**3 * count / (time.perf_counter() - start) / 1e9


def rate(step: object, batch: int, seconds: float) -> float:
    """Images per second of ``step()`` (after two warm-up calls)."""
    step()  # type: ignore[operator]
    step()  # type: ignore[operator]
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()  # type: ignore[operator]
        count += 1
    return batch * count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    torch.manual_seed(0)
    x = torch.randn(args.batch, 1, 32, 32)
    y = torch.randint(0, 2, (args.batch,))

    peak = matmul_peak(args.seconds)
    print(f"threads {torch.get_num_threads()}, fp32 matmul peak {peak:.1f} GFLOP/s")
    print(
        f"{'model':<11} {'MFLOP/img':>10} {'fwd img/s':>10} {'fwd GFLOP/s':>12} "
        f"{'train img/s':>12} {'train GFLOP/s':>14}"
    )
    for name in available():
        if not spec(name).neural:
            continue
        model = create_model(name)
        with FlopCounterMode(display=False) as counter:
            model.eval()(x[:1])
        flops = counter.get_total_flops()

        def forward(model: nn.Module = model) -> None:
            with torch.no_grad():
                model(x)

        optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

        def train(model: nn.Module = model, optimizer: torch.optim.Optimizer = optimizer) -> None:
            optimizer.zero_grad(set_to_none=True)
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()

        model.eval()
        fwd = rate(forward, args.batch, args.seconds)
        model.train()
        trn = rate(train, args.batch, args.seconds)
        print(
            f"{name:<11} {flops / 1e6:>10.1f} {fwd:>10.0f} {fwd * flops / 1e9:>12.1f} "
            f"{trn:>12.0f} {3 * trn * flops / 1e9:>14.1f}"
        )


if __name__ == "__main__":
    main()
