"""A compact jet-image CNN: the simple image baseline of the jet-image literature.

In the spirit of de Oliveira et al., "Jet-images -- deep learning edition",
JHEP 07 (2016) 069, arXiv:1511.05190, and Macaluso & Shih, "Pulling Out All the Tops
with Computer Vision and Deep Learning", JHEP 10 (2018) 121, arXiv:1803.00107: three
convolution blocks with max pooling and a small dense head. Batch normalization and an
adaptive pooling to 4 x 4 (so any size >= 32 works) are the additions here.
"""

from __future__ import annotations

from torch import Tensor, nn

from jetvision.models.registry import register


@register("cnn", "compact jet-image CNN: 3 convolution blocks and a dense head")
class JetCNN(nn.Module):
    """conv(32) - pool - conv(64) - pool - conv(64) - pool - dense(128) - classes."""

    def __init__(self, *, in_channels: int = 1, num_classes: int = 2, dropout: float = 0.3) -> None:
        super().__init__()
        blocks: list[nn.Module] = []
        widths = (in_channels, 32, 64, 64)
        for cin, cout, k in zip(widths[:-1], widths[1:], (5, 5, 3), strict=True):
            blocks += [
                nn.Conv2d(cin, cout, k, padding=k // 2, bias=False),
                nn.BatchNorm2d(cout),
                nn.ReLU(inplace=True),
                nn.MaxPool2d(2),
            ]
        self.features = nn.Sequential(*blocks, nn.AdaptiveAvgPool2d(4))
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Linear(64 * 16, 128),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(128, num_classes),
        )

    def forward_features(self, x: Tensor) -> Tensor:
        return self.features(x)  # N x 64 x 4 x 4

    def forward_head(self, features: Tensor) -> Tensor:
        return self.head(features)  # N x classes

    def forward(self, x: Tensor) -> Tensor:
        return self.forward_head(self.forward_features(x))
