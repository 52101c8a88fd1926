"""VGG16 with batch normalization (configuration D), written here: torchvision is absent.

Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
Recognition", ICLR 2015, arXiv:1409.1556; batch normalization after every convolution
(Ioffe & Szegedy, arXiv:1502.03167) as in torchvision's ``vgg16_bn``. Only the
convolutional feature extractor is built: the bilinear models put their own heads on it.
"""

from __future__ import annotations

from torch import Tensor, nn

# Configuration D: numbers are 3x3 convolution widths, "M" a 2x2 max pooling.
VGG16 = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M")
OUT_CHANNELS = 512


class VGG16BNFeatures(nn.Module):
    """The 13 convolutions of VGG16-BN; ``last_pool=False`` drops the final max pooling.

    With 32 x 32 inputs the map is 512 x 1 x 1 after the last pooling and 512 x 2 x 2
    before it.
    """

    def __init__(self, in_channels: int = 3, *, last_pool: bool = True) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        channels = in_channels
        config = VGG16 if last_pool else VGG16[:-1]
        for item in config:
            if item == "M":
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            else:
                layers += [
                    nn.Conv2d(channels, int(item), kernel_size=3, padding=1),
                    nn.BatchNorm2d(int(item)),
                    nn.ReLU(inplace=True),
                ]
                channels = int(item)
        self.layers = nn.Sequential(*layers)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x: Tensor) -> Tensor:
        # N x C x H x W -> N x 512 x H/32 x W/32 (H/16 without the last pooling)
        return self.layers(x)
