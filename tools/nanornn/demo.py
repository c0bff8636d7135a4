"""The default model: a synthetic IMU gesture set in raw sensor counts, a small LSTM trained on it,
exported with the normalisation folded in, and its accuracy report.

The sensor is an MPU-6050 at its power-on ranges (datasheet rev 3.4, sections 6.1 and 6.2):
accelerometer ±2 g at 16384 LSB/g, gyroscope ±250 °/s at 131 LSB/(°/s), sampled at 50 Hz.
Channels: ax, ay, az, gx, gy, gz.
"""
import os

import numpy as np
import torch

from . import blob, compare, report, summary

CLASSES = ["idle", "shake", "circle", "flick", "tilt"]
CHANNELS = ["ax", "ay", "az", "gx", "gy", "gz"]
RATE_HZ = 50
STEPS = 50                      # one second per window
ACCEL_LSB_PER_G = 16384.0
GYRO_LSB_PER_DPS = 131.0
ACCEL_NOISE = 80.0              # counts rms
GYRO_NOISE = 30.0
HIDDEN = 24
SEED = 20261128


def _gravity(rng, n):
    """Gravity in the sensor frame for a board lying roughly flat: [n, 3] in g."""
    roll, pitch = rng.normal(0, np.radians(10), (2, n))
    return np.stack([-np.sin(pitch), np.sin(roll) * np.cos(pitch), np.cos(roll) * np.cos(pitch)], 1)


def _window(rng, t, length):
    """A smooth 0..1 envelope over `length` seconds starting at a random time inside the window."""
    start = rng.uniform(0, max(1e-3, t[-1] - length))
    phase = np.clip((t - start) / length, 0, 1)
    return np.sin(np.pi * phase) ** 2


def synthesize(n, rng):
    """n labelled windows: (counts float64 [n, STEPS, 6], labels int64 [n])."""
    t = np.arange(STEPS) / RATE_HZ
    labels = rng.integers(0, len(CLASSES), n)
    accel = np.repeat(_gravity(rng, n)[:, None, :], STEPS, axis=1)     # g
    gyro = np.zeros((n, STEPS, 3))                                       # °/s
    for i, label in enumerate(labels):
        name = CLASSES[label]
        if name == "shake":
            env = _window(rng, t, rng.uniform(0.6, 0.95))
            f, amp = rng.uniform(3, 6), rng.uniform(0.5, 1.2)
            accel[i, :, 0] += amp * env * np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi))
            gyro[i, :, 2] += 40 * env * np.cos(2 * np.pi * f * t)
        elif name == "circle":
            env = _window(rng, t, rng.uniform(0.7, 0.95))
            f, amp = rng.uniform(1.0, 2.0), rng.uniform(0.3, 0.8)
            direction = rng.choice([-1.0, 1.0])
            accel[i, :, 0] += amp * env * np.cos(2 * np.pi * f * t)
            accel[i, :, 1] += direction * amp * env * np.sin(2 * np.pi * f * t)
            gyro[i, :, 2] += direction * 360 * f * 0.3 * env
        elif name == "flick":
            centre, width, amp = rng.uniform(0.2, 0.8), rng.uniform(0.03, 0.06), rng.uniform(0.8, 1.8)
            bump = np.exp(-0.5 * ((t - centre) / width) ** 2)
            rebound = np.exp(-0.5 * ((t - centre - 2.5 * width) / (1.5 * width)) ** 2)
            accel[i, :, 2] += amp * (bump - 0.6 * rebound)
            gyro[i, :, 0] += rng.choice([-1.0, 1.0]) * 150 * amp * (bump - rebound)
        elif name == "tilt":
            env = _window(rng, t, rng.uniform(0.6, 0.95))
            theta = np.radians(rng.uniform(40, 80)) * env * rng.choice([-1.0, 1.0])
            accel[i, :, 0] = -np.sin(theta)
            accel[i, :, 2] = np.cos(theta)
            gyro[i, :, 1] += np.degrees(np.gradient(theta, t))
        else:  # idle: a hand holding the board, a little tremor
            accel[i] += rng.normal(0, 0.01, (STEPS, 3))
    counts = np.concatenate([accel * ACCEL_LSB_PER_G, gyro * GYRO_LSB_PER_DPS], axis=2)
    counts[:, :, :3] += rng.normal(0, ACCEL_NOISE, (n, STEPS, 3))
    counts[:, :, 3:] += rng.normal(0, GYRO_NOISE, (n, STEPS, 3)) + rng.normal(0, 150, (n, 1, 3))
    return np.clip(np.round(counts), -32768, 32767), labels


class GestureLstm(torch.nn.Module):
    """The seed's SimpleLSTM shape: an LSTM and a Linear head on the last hidden state."""

    def __init__(self, channels=len(CHANNELS), hidden=HIDDEN, classes=len(CLASSES)):
        super().__init__()
        self.lstm = torch.nn.LSTM(channels, hidden, batch_first=True)
        self.fc = torch.nn.Linear(hidden, classes)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


def build_module(channels=len(CHANNELS), hidden=HIDDEN, classes=len(CLASSES)):
    return GestureLstm(channels, hidden, classes)


def train(module, x, y, epochs, rng, log=print):
    opt = torch.optim.Adam(module.parameters(), lr=0.004)
    xt, yt = torch.as_tensor(x, dtype=torch.float32), torch.as_tensor(y)
    for epoch in range(epochs):
        module.train()
        order = torch.as_tensor(rng.permutation(len(x)))
        total = 0.0
        for start in range(0, len(x), 64):
            batch = order[start:start + 64]
            loss = torch.nn.functional.cross_entropy(module(xt[batch]), yt[batch])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(module.parameters(), 1.0)
            opt.step()
            total += float(loss) * len(batch)
        if epoch % 5 == 4 or epoch == epochs - 1:
            log(f"epoch {epoch + 1}/{epochs}  loss {total / len(x):.4f}")


def datasets(rng, train_count=2400, test_count=600):
    """(train counts, train labels, test counts, test labels, mean, std): the data `run` trains and
    tests on, drawn first from rng."""
    train_counts, train_labels = synthesize(train_count, rng)
    test_counts, test_labels = synthesize(test_count, rng)
    flat = train_counts.reshape(-1, len(CHANNELS))
    return train_counts, train_labels, test_counts, test_labels, flat.mean(0), flat.std(0)


def run(out_dir, epochs=30, train_count=2400, test_count=600, log=print):
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    rng = np.random.default_rng(SEED)
    train_counts, train_labels, test_counts, test_labels, mean, std = datasets(rng, train_count, test_count)
    normalise = lambda c: (c - mean) / std  # noqa: E731

    module = build_module()
    train(module, normalise(train_counts), train_labels, epochs, rng, log)
    os.makedirs(out_dir, exist_ok=True)
    torch.save(module.state_dict(), os.path.join(out_dir, "model.pt"))

    state = {k: v.detach().double().numpy() for k, v in module.state_dict().items()}
    r = report.build(state, normalise(test_counts), test_labels, normalise(train_counts[:512]), list(mean),
                     list(std), CHANNELS, RATE_HZ, progress=log, module=module, class_names=CLASSES)
    np.save(os.path.join(out_dir, "sample-input.npy"), normalise(test_counts[:24]).astype(np.float32))
    np.save(os.path.join(out_dir, "sample-labels.npy"), test_labels[:24])
    blob.write_atomic(os.path.join(out_dir, "model.labels"), ("\n".join(CLASSES) + "\n").encode())
    report.write(r, out_dir, "Default model: synthetic IMU gestures",
                 _preamble(mean, std, train_count, test_count, epochs))
    log(summary.text(r["export"], len(r["blob"])))
    log(compare.markdown_table(r["figures"]))
    return r["figures"]


def _preamble(mean, std, train_count, test_count, epochs):
    return f"""Made by `python3 tools/quantize.py demo` (seed {SEED}); do not edit. The figures below are on the
{test_count} test windows; the blob is calibrated on 512 training windows.

* Data: {train_count} training and {test_count} test windows of {STEPS} samples at {RATE_HZ} Hz,
  raw MPU-6050 counts (±2 g at 16384 LSB/g, ±250 °/s at 131 LSB/(°/s)), channels
  {", ".join(CHANNELS)}; classes {", ".join(CLASSES)}.
* Model: LSTM 6 → {HIDDEN}, Linear {HIDDEN} → {len(CLASSES)}, trained {epochs} epochs on
  (counts − mean) / std; the blob folds that normalisation in, so the firmware feeds raw counts.
* Normalisation: mean {", ".join(f"{m:.1f}" for m in mean)}; std {", ".join(f"{s:.1f}" for s in std)}.
* Files: `model.pt` (state_dict), `model.nrnn`, `model.labels` (class names, one a line),
  `sample-input.npy` (24 test windows in training units) with `sample-labels.npy`, this report and
  its plots (`report-*.png`).
"""
