namespace NanoRnn
{
    /// <summary>One GRU step, written as the equations read (tools/nanornn/reference.py: gru_step).</summary>
    internal static class GruReference
    {
        // PyTorch:  r = σ(W_ir x + b_ir + W_hr h + b_hr)    z = σ(W_iz x + b_iz + W_hz h + b_hz)
        //           n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
        //           h' = (1 - z) ⊙ n + z ⊙ h = n + z ⊙ (h - n)
        //
        // Integer, unit j, rows r | z | n_x | n_h (pre Q3.12, r z n h Q0.15):
        //   r = σ(pre[j])   z = σ(pre[H + j])
        //   gated = rshr(r · pre[3H + j], 15)                     Q3.12
        //   n = tanh(sat16(pre[2H + j] + gated))
        //   h' = n + rshr(z · (h - n), 15)                        between n and h
        internal static void Step(RnnLayer layer, short[] x, int xOffset, short[] pre, short[] gates, short[] h)
        {
            int hidden = layer.HiddenSize;
            RowReference.PreActivations(layer, x, xOffset, h, pre);
            for (int j = 0; j < hidden; j++)
            {
                short r = Activation.Sigmoid(pre[j]);
                short z = Activation.Sigmoid(pre[hidden + j]);
                short gated = (short)FixedPoint.RoundingShiftRight(r * pre[3 * hidden + j], 15);
                short n = Activation.Tanh(FixedPoint.Saturate16(pre[2 * hidden + j] + gated));
                gates[j] = r;
                gates[hidden + j] = z;
                gates[2 * hidden + j] = n;
                gates[3 * hidden + j] = gated;
                h[j] = (short)(n + FixedPoint.RoundingShiftRight(z * (h[j] - n), 15));
            }
        }
    }
}
