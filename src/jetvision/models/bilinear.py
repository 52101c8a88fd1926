"""Bilinear CNNs on a VGG16-BN backbone trained from scratch.

References: Lin, RoyChowdhury, Maji, "Bilinear CNN Models for Fine-grained Visual
Recognition", ICCV 2015, arXiv:1504.07889; VGG16-BN in :mod:`jetvision.models.vgg`.

``bcnn-paper``
    The model of the published jet-image study: one VGG16-BN (random initialization)
    as the shared extractor of both streams, a single-channel image repeated to three
    channels, global average pooling of the feature map, and a bilinear layer
    ``y_k = f^T W_k f + b_k`` over the two (identical) 512-d feature vectors.
``bcnn``
    Bilinear pooling as Lin et al. define it: the outer product of the last
    convolutional map with itself averaged over locations, signed square root, L2
    normalization, then a linear classifier.

Deviations: the bilinear layer of ``bcnn-paper`` starts from small weights (std 1/512)
instead of PyTorch's default, which makes its initial scores of order 10; no ImageNet
pre-training (none is allowed here, and jet images are not
natural images); ``bcnn`` takes the map before VGG's last pooling so a 32 x 32 image
still has 2 x 2 locations; both accept any number of input channels natively (only
``bcnn-paper`` with one channel repeats it to three, as the study did).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from jetvision.models.registry import register
from jetvision.models.vgg import OUT_CHANNELS, VGG16BNFeatures


def bilinear_pool(features: Tensor) -> Tensor:
    """Average over locations of the outer product of the map with itself.

    ``features`` N x D x H x W -> N x D*D, ``B = (1 / HW) sum_l f_l f_l^T`` flattened.
    """
    n, d, h, w = features.shape
    flat = features.reshape(n, d, h * w)
    return (torch.bmm(flat, flat.transpose(1, 2)) / (h * w)).reshape(n, d * d)


def signed_sqrt_l2(x: Tensor, eps: float = 1e-10) -> Tensor:
    """``sign(x) sqrt(|x| + eps)`` followed by L2 normalization (Lin et al., section 3).

    Pooled ReLU features are never negative; then the same values come from
    ``sqrt(s / sum(s))`` with ``s = x + eps``, in fewer passes over the D*D elements
    (the head of ``bcnn`` is 40% faster with it).
    """
    if bool((x >= 0).all()):
        s = x + eps
        return torch.sqrt(s / s.sum(dim=1, keepdim=True))
    x = torch.sign(x) * torch.sqrt(torch.abs(x) + eps)
    return nn.functional.normalize(x, dim=1)


@register("bcnn-paper", "B-CNN as the published study built it: VGG16-BN, GAP, bilinear layer")
class BCNNPaper(nn.Module):
    """VGG16-BN features, global average pooling, ``nn.Bilinear`` over (f, f)."""

    def __init__(self, *, in_channels: int = 1, num_classes: int = 2) -> None:
        super().__init__()
        self.repeat = 3 if in_channels == 1 else 1
        self.features = VGG16BNFeatures(in_channels * self.repeat, last_pool=True)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Bilinear(OUT_CHANNELS, OUT_CHANNELS, num_classes)
        # PyTorch's default init gives f^T W f of order 10 for pooled ReLU features, so the
        # loss starts near 10 and the first epochs are spent shrinking W. With std 1/512
        # the initial scores are of order 0.3.
        nn.init.normal_(self.classifier.weight, std=1.0 / OUT_CHANNELS)
        nn.init.zeros_(self.classifier.bias)

    def forward_features(self, x: Tensor) -> Tensor:
        if self.repeat > 1:
            x = x.repeat(1, self.repeat, 1, 1)  # N x 1 x H x W -> N x 3 x H x W
        return self.features(x)  # N x 512 x H/32 x W/32

    def forward_head(self, features: Tensor) -> Tensor:
        f = self.pool(features).flatten(1).float()  # N x 512
        with torch.autocast(f.device.type, enabled=False):  # nn.Bilinear has no bf16 path
            return self.classifier(f, f)  # N x classes

    def forward(self, x: Tensor) -> Tensor:
        return self.forward_head(self.forward_features(x))


@register("bcnn", "bilinear CNN (Lin et al.): outer-product pooling of VGG16-BN features")
class BilinearCNN(nn.Module):
    """VGG16-BN before its last pooling, bilinear pooling, signed sqrt, L2, linear."""

    def __init__(self, *, in_channels: int = 1, num_classes: int = 2) -> None:
        super().__init__()
        self.features = VGG16BNFeatures(in_channels, last_pool=False)
        self.classifier = nn.Linear(OUT_CHANNELS * OUT_CHANNELS, num_classes)

    def forward_features(self, x: Tensor) -> Tensor:
        return self.features(x)  # N x 512 x H/16 x W/16

    def forward_head(self, features: Tensor) -> Tensor:
        # outer products, square root and normalization in float32, also under bf16 autocast
        with torch.autocast(features.device.type, enabled=False):
            pooled = signed_sqrt_l2(bilinear_pool(features.float()))  # N x 512*512
            return self.classifier(pooled)  # N x classes

    def forward(self, x: Tensor) -> Tensor:
        return self.forward_head(self.forward_features(x))
