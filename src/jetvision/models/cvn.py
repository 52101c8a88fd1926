"""CVN: the GoogLeNet-style network NOvA used to classify neutrino events, with one view.

Aurisano et al., "A Convolutional Neural Network Neutrino Event Classifier",
JINST 11 (2016) P09001, arXiv:1604.01444; inception modules from Szegedy et al.,
"Going Deeper with Convolutions", arXiv:1409.4842.

Layer sequence (one view): 7x7 convolution, 3x3 max pooling, local response
normalization, 1x1 convolution, 3x3 convolution, local response normalization, 3x3 max
pooling, two inception modules, max pooling, one inception module, global average
pooling, a linear layer and log-softmax. Inception widths are GoogLeNet's 3a, 3b, 4a.

Adaptations, and why:

1. The first convolution has stride 1, not 2. NOvA's views are 80 x 100 pixels; jet
   images are 32 x 32 and their information sits in a few pixels. With stride 1 a
   32 x 32 image reaches the inception modules at 8 x 8 and the last one at 4 x 4,
   instead of 4 x 4 and 2 x 2. Poolings use padding 1 so any size >= 32 works.
2. Batch normalization after every convolution (the paper has none). Normalized jet
   images have pixel values of 1e-3 to 1e-1; without it the paper's SGD settings barely
   move the outputs and the published CVN predicted one class for every jet.
3. Kaiming initialization, and dropout 0.4 before the linear layer as in GoogLeNet.
4. The output is log-softmax as in the paper: cross entropy on it equals the negative
   log-likelihood, so the same trainer serves every model.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from jetvision.models.registry import register


def conv_bn(
    in_channels: int, out_channels: int, kernel_size: int, stride: int = 1
) -> nn.Sequential:
    """Convolution ('same' padding), batch normalization, ReLU."""
    return nn.Sequential(
        nn.Conv2d(
            in_channels,
            out_channels,
            kernel_size,
            stride=stride,
            padding=kernel_size // 2,
            bias=False,
        ),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
    )


class Inception(nn.Module):
    """Four branches concatenated: 1x1; 1x1 -> 3x3; 1x1 -> 5x5; 3x3 max pool -> 1x1."""

    def __init__(
        self,
        in_channels: int,
        ch1: int,
        ch3_reduce: int,
        ch3: int,
        ch5_reduce: int,
        ch5: int,
        pool_proj: int,
    ) -> None:
        super().__init__()
        self.branch1 = conv_bn(in_channels, ch1, 1)
        self.branch3 = nn.Sequential(
            conv_bn(in_channels, ch3_reduce, 1), conv_bn(ch3_reduce, ch3, 3)
        )
        self.branch5 = nn.Sequential(
            conv_bn(in_channels, ch5_reduce, 1), conv_bn(ch5_reduce, ch5, 5)
        )
        self.branch_pool = nn.Sequential(
            nn.MaxPool2d(3, stride=1, padding=1), conv_bn(in_channels, pool_proj, 1)
        )
        self.out_channels = ch1 + ch3 + ch5 + pool_proj

    def forward(self, x: Tensor) -> Tensor:
        branches = (self.branch1, self.branch3, self.branch5, self.branch_pool)
        return torch.cat([b(x) for b in branches], dim=1)


@register("cvn", "CVN (NOvA, arXiv:1604.01444): GoogLeNet-style inception network, one view")
class CVN(nn.Module):
    """The single-view CVN; returns log-probabilities of the classes."""

    log_probabilities = True  # the output is log-softmax: NLL applies directly

    def __init__(self, *, in_channels: int = 1, num_classes: int = 2, dropout: float = 0.4) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            conv_bn(in_channels, 64, 7, stride=1),
            nn.MaxPool2d(3, stride=2, padding=1),
            nn.LocalResponseNorm(size=5, alpha=1e-4, beta=0.75, k=1.0),
            conv_bn(64, 64, 1),
            conv_bn(64, 192, 3),
            nn.LocalResponseNorm(size=5, alpha=1e-4, beta=0.75, k=1.0),
            nn.MaxPool2d(3, stride=2, padding=1),
        )
        self.inception3a = Inception(192, 64, 96, 128, 16, 32, 32)  # 256 out
        self.inception3b = Inception(256, 128, 128, 192, 32, 96, 64)  # 480 out
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.inception4a = Inception(480, 192, 96, 208, 16, 48, 64)  # 512 out
        self.head = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(dropout), nn.Linear(512, num_classes)
        )
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward_features(self, x: Tensor) -> Tensor:
        x = self.stem(x)  # N x 192 x H/4 x W/4
        x = self.inception3b(self.inception3a(x))  # N x 480 x H/4 x W/4
        x = self.pool(x)  # N x 480 x H/8 x W/8
        return self.inception4a(x)  # N x 512 x H/8 x W/8

    def forward_head(self, features: Tensor) -> Tensor:
        return torch.log_softmax(self.head(features), dim=1)  # N x classes

    def forward(self, x: Tensor) -> Tensor:
        return self.forward_head(self.forward_features(x))
