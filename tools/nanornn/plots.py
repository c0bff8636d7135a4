"""The report's figures as PNG bytes (matplotlib, Agg backend).

Each PNG is reproducible byte for byte with the same matplotlib: fixed size and DPI, no
'Software' or date metadata, DejaVu Sans (shipped with matplotlib).
"""
import io

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

DPI = 80
SEQUENCES_SHOWN = 3
STYLE = {"font.family": "DejaVu Sans", "font.size": 8, "axes.titlesize": 9, "legend.fontsize": 7,
         "svg.hashsalt": "nanornn", "path.simplify": True}


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def _figure(width, height, cols=1):
    fig, axes = plt.subplots(1, cols, figsize=(width, height), squeeze=False)
    return fig, axes[0]


def summary(r):
    """The headline figures side by side: agreement (and accuracy) and max / mean |Δlogit|."""
    f = r["figures"]
    variants = (("nanornn", "NanoRnn int8", "C0"), ("dynamic", "torch dynamic qint8", "C1"))
    panels = [[("agreement", "argmax agreement")] + ([("accuracy", "accuracy")] if "float_accuracy" in f else []),
              [("max_dlogit", "max |Δlogit|"), ("mean_dlogit", "mean |Δlogit|")]]
    with plt.rc_context(STYLE):
        fig, axes = _figure(6.4, 2.4, 2)
        for ax, panel in zip(axes, panels):
            x = np.arange(len(panel))
            for offset, (key, name, color) in zip((-0.2, 0.2), variants):
                values = [f[f"{key}_{figure}"] for figure, _ in panel]
                bars = ax.bar(x + offset, values, width=0.4, color=color, label=name)
                ax.bar_label(bars, fmt="%.4g", fontsize=7)
            ax.set_xticks(x, [label for _, label in panel])
            ax.margins(y=0.15)
        axes[0].set_title(f"against float on {f['sequences']} sequences")
        axes[0].legend(loc="lower right")
        fig.tight_layout()
        return _png(fig)


def logits(r):
    """Float (solid) and integer (dashed) logits after every step, for the first few sequences."""
    float_steps, int_steps = r["float_trace"][1], r["integer_trace"][2]
    shown = min(SEQUENCES_SHOWN, float_steps.shape[0])
    with plt.rc_context(STYLE):
        fig, axes = _figure(3.2 * shown, 2.6, shown)
        steps = np.arange(float_steps.shape[1])
        for n, ax in enumerate(axes):
            for k in range(float_steps.shape[2]):
                color = f"C{k % 10}"
                ax.plot(steps, float_steps[n, :, k], color=color, lw=1.2, label=f"class {k}" if n == 0 else None)
                ax.plot(steps, int_steps[n, :, k], color=color, lw=1.0, ls="--")
            ax.set_title(f"sequence {n}: float solid, integer dashed")
            ax.set_xlabel("step")
        axes[0].set_ylabel("logit (head applied after every step)")
        axes[0].legend(loc="best")
        fig.tight_layout()
        return _png(fig)


def errors(r):
    """Histograms of |Δlogit| against float: NanoRnn and dynamic int8 side by side."""
    with plt.rc_context(STYLE):
        fig, axes = _figure(6.4, 2.6, 2)
        deltas = {"NanoRnn int8": np.abs(r["nanornn"] - r["float"]).ravel(),
                  "torch dynamic qint8": np.abs(r["dynamic"] - r["float"]).ravel()}
        top = max(float(np.max(d)) for d in deltas.values()) or 1.0
        bins = np.linspace(0.0, top, 41)
        for ax, (name, delta) in zip(axes, deltas.items()):
            ax.hist(delta, bins=bins, color="C0" if name.startswith("Nano") else "C1")
            ax.set_yscale("log")
            ax.set_title(f"{name}: max {np.max(delta):.4f}, mean {np.mean(delta):.4f}")
            ax.set_xlabel("|Δlogit| vs float (last step)")
        axes[0].set_ylabel("count")
        fig.tight_layout()
        return _png(fig)


def _labelled_rows(labels, draw, xlabel=None):
    """A figure with one horizontal row per label (first at the top), drawn by draw(ax, y), log-like x."""
    fig, axes = _figure(6.4, 0.32 * len(labels) + 0.9)
    ax = axes[0]
    draw(ax, np.arange(len(labels)))
    ax.set_yticks(np.arange(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    if xlabel:
        ax.set_xlabel(xlabel)
    fig.tight_layout()
    return _png(fig)


def stages(r):
    """Relative error (rms error / rms value) of every stage, in forward order."""
    rows = r["stages"]

    def draw(ax, y):
        ax.barh(y, [max(row[3]["relative"], 1e-9) for row in rows], color="C2")
        ax.set_xscale("log")
    with plt.rc_context(STYLE):
        return _labelled_rows([row[0] for row in rows], draw, "relative error against float (rms Δ / rms value)")


def ranges(r):
    """Each calibrated range (what the format holds) against the span of the float values seen."""
    rows = r["ranges"]

    def draw(ax, y):
        for row, (_, held, seen) in zip(y, rows):
            ax.plot(held, [row, row], color="C7", lw=7, solid_capstyle="butt",
                    label="the format holds" if row == 0 else None)
            ax.plot(seen, [row, row], color="C3", lw=2.5, solid_capstyle="butt",
                    label="float values seen" if row == 0 else None)
        ax.set_xscale("symlog", linthresh=1.0)
        ax.axvline(0.0, color="k", lw=0.5)
        ax.legend(loc="lower right")
    with plt.rc_context(STYLE):
        return _labelled_rows([row[0] for row in rows], draw)
