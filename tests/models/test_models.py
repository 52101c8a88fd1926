"""Every neural model: shapes, gradients, that it can learn, determinism in eval mode."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.metrics import roc_auc_score
from torch import nn

from jetvision.models import available, create_model, parameter_count, spec
from jetvision.models.bilinear import bilinear_pool, signed_sqrt_l2

from .synthetic import prong_images

NEURAL = [name for name in available() if spec(name).neural]


@pytest.mark.parametrize("name", NEURAL)
@pytest.mark.parametrize(("channels", "size"), [(1, 32), (3, 40), (5, 64)])
def test_output_shape(name: str, channels: int, size: int) -> None:
    torch.manual_seed(0)
    model = create_model(name, in_channels=channels, num_classes=2).eval()
    with torch.no_grad():
        scores = model(torch.randn(2, channels, size, size))
        features = model.forward_features(torch.randn(2, channels, size, size))
        assert model.forward_head(features).shape == (2, 2)
    assert scores.shape == (2, 2)
    assert torch.isfinite(scores).all()


@pytest.mark.parametrize("name", NEURAL)
def test_six_classes(name: str) -> None:
    model = create_model(name, in_channels=1, num_classes=6).eval()
    with torch.no_grad():
        assert model(torch.randn(2, 1, 32, 32)).shape == (2, 6)


@pytest.mark.parametrize("name", NEURAL)
def test_every_parameter_gets_a_gradient(name: str) -> None:
    torch.manual_seed(1)
    model = create_model(name, in_channels=3)
    loss = nn.functional.cross_entropy(model(torch.randn(4, 3, 32, 32)), torch.tensor([0, 1, 0, 1]))
    loss.backward()
    for pname, p in model.named_parameters():
        assert p.grad is not None, pname
        assert torch.isfinite(p.grad).all(), pname
        assert p.grad.abs().sum() > 0, pname


@pytest.mark.parametrize("name", NEURAL)
def test_can_memorize_a_random_batch(name: str) -> None:
    torch.manual_seed(2)
    model = create_model(name)
    images, labels = torch.rand(16, 1, 32, 32), torch.randint(0, 2, (16,))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(300):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        if loss.item() < 0.05:
            break
    assert loss.item() < 0.05


@pytest.mark.parametrize("name", NEURAL)
def test_eval_is_deterministic(name: str) -> None:
    model = create_model(name).eval()
    x = torch.randn(3, 1, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(model(x), model(x), rtol=0, atol=0)


@pytest.mark.parametrize("name", ["cvn", "bcnn-paper"])
def test_learns_a_separable_image_task(name: str) -> None:
    torch.manual_seed(3)
    train_x, train_y = prong_images(384, seed=1)
    test_x, test_y = prong_images(256, seed=2)
    scale = 1 / train_x.std()  # pixel standardization, as the trainer does it
    train_x, test_x = train_x * scale, test_x * scale
    model = create_model(name)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
    for _ in range(3):
        for start in range(0, len(train_x), 32):
            optimizer.zero_grad()
            batch = slice(start, start + 32)
            nn.functional.cross_entropy(model(train_x[batch]), train_y[batch]).backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        scores = torch.softmax(model(test_x), dim=1)[:, 1].numpy()
    assert roc_auc_score(test_y.numpy(), scores) > 0.95
    assert len(np.unique(scores > 0.5)) == 2  # not one class for everything


def test_bilinear_pool_matches_explicit_outer_products() -> None:
    torch.manual_seed(4)
    features = torch.randn(2, 3, 2, 2, dtype=torch.float64)
    expected = torch.zeros(2, 3, 3, dtype=torch.float64)
    for n in range(2):
        for i in range(2):
            for j in range(2):
                f = features[n, :, i, j]
                expected[n] += torch.outer(f, f) / 4
    torch.testing.assert_close(bilinear_pool(features), expected.reshape(2, 9))
    normed = signed_sqrt_l2(bilinear_pool(features))
    torch.testing.assert_close(normed.norm(dim=1), torch.ones(2, dtype=torch.float64))
    raw = bilinear_pool(features)
    ratio = normed / (torch.sign(raw) * raw.abs().sqrt())
    torch.testing.assert_close(ratio, ratio[:, :1].expand_as(ratio))


def test_signed_sqrt_fast_path_matches_the_definition() -> None:
    torch.manual_seed(5)
    positive = torch.rand(3, 50, dtype=torch.float64)
    expected = nn.functional.normalize(torch.sqrt(positive + 1e-10), dim=1)
    torch.testing.assert_close(signed_sqrt_l2(positive), expected)
    mixed = torch.randn(3, 50, dtype=torch.float64)
    expected = nn.functional.normalize(mixed.sign() * torch.sqrt(mixed.abs() + 1e-10), dim=1)
    torch.testing.assert_close(signed_sqrt_l2(mixed), expected)


def test_registry_lists_models_and_rejects_unknown() -> None:
    assert {"cvn", "bcnn-paper", "bcnn", "cnn", "bdt"} <= set(available())
    with pytest.raises(ValueError, match="unknown model 'resnet'; registered: "):
        create_model("resnet")
    with pytest.raises(ValueError, match="in_channels"):
        create_model("cnn", in_channels=0)
    assert parameter_count(create_model("cnn")) > 10_000
