"""Float PyTorch vs the NanoRnn integer reference vs PyTorch dynamic int8, on the same inputs."""
import numpy as np
import torch

from . import reference


def float_logits(module, x):
    module.eval()
    with torch.no_grad():
        return module(torch.as_tensor(x, dtype=torch.float32)).double().numpy()


# What quantize_dynamic quantises here. nn.RNN is not among the modules it supports (PyTorch 1.13:
# LSTM, GRU, their cells, RNNCell, Linear), so an nn.RNN stays float and only the Linears go int8.
DYNAMIC_MODULES = ("LSTM", "GRU", "Linear")


def dynamic_logits(module, x):
    """PyTorch's own int8 route: quantize_dynamic(model, {LSTM, GRU, Linear}, qint8)."""
    dynamic = torch.ao.quantization.quantize_dynamic(
        module, {getattr(torch.nn, name) for name in DYNAMIC_MODULES}, dtype=torch.qint8)
    return float_logits(dynamic, x)


def compare(module, model, x, labels=None, every_step=False):
    """Figures for the integer export and for dynamic quantisation against float, on x (N×T×C).

    every_step: the module returns logits for every step [N,T,K]; each step counts as one prediction.
    """
    ref = float_logits(module, x)
    stages = reference.run(model, reference.quantize_input(model, x))
    variants = {"nanornn": reference.logits(model, stages["q_steps" if every_step else "q"]),
                "dynamic": dynamic_logits(module, x)}
    if every_step:
        k = ref.shape[-1]
        ref = ref.reshape(-1, k)
        variants = {name: lg.reshape(-1, k) for name, lg in variants.items()}
    return figures_of(ref, variants, labels)


def figures_of(ref, variants, labels=None):
    """The figures of compare() from float logits ref [P,K] and {variant name: logits [P,K]}, one
    row per prediction."""
    figures = {"sequences": int(ref.shape[0])}
    if labels is not None:
        figures["float_accuracy"] = float(np.mean(np.argmax(ref, 1) == labels))
    for name, lg in variants.items():
        delta = np.abs(lg - ref)
        figures[f"{name}_agreement"] = float(np.mean(np.argmax(lg, 1) == np.argmax(ref, 1)))
        figures[f"{name}_max_dlogit"] = float(np.max(delta))
        figures[f"{name}_mean_dlogit"] = float(np.mean(delta))
        if labels is not None:
            figures[f"{name}_accuracy"] = float(np.mean(np.argmax(lg, 1) == labels))
    return figures


def markdown_table(figures):
    rows = [("argmax agreement with float", "agreement", "{:.2%}"),
            ("max \\|Δlogit\\| vs float", "max_dlogit", "{:.4f}"),
            ("mean \\|Δlogit\\| vs float", "mean_dlogit", "{:.4f}")]
    if "float_accuracy" in figures:
        rows.insert(0, ("accuracy (float: {:.2%})".format(figures["float_accuracy"]), "accuracy", "{:.2%}"))
    lines = ["| on {} sequences | NanoRnn int8 (integer-only) | torch quantize_dynamic qint8 |".format(figures["sequences"]),
             "|---|---|---|"]
    for label, key, fmt in rows:
        lines.append(f"| {label} | {fmt.format(figures['nanornn_' + key])} | {fmt.format(figures['dynamic_' + key])} |")
    return "\n".join(lines)
