namespace NanoRnn
{
    /// <summary>
    /// First half of an LSTM step: the 4H gate pre-activations from the input and the old hidden state.
    /// </summary>
    internal static class GatePreActivations
    {
        // PyTorch (each gate's row block of W_ih, W_hh, b_ih + b_hh; gate order i, f, g, o):
        //   z = W_ih x + b_ih + W_hh h + b_hh
        //
        // Integer, for every row r = gate·H + j, r = 0 .. rowCount - 1:
        //   accx[r] = Σ_c Wx[r, c] · x[c]                                         int32, exact
        //   acch[r] = Σ_k Wh[r, k] · h[k]                                         int32, exact
        //   pre[r]  = sat16(rescale(accx[r], mx[r], sx[r])
        //                 + rescale(acch[r], mh[r], sh[r]) + bias[r])             Q3.12, sum in int64
        //
        // |accx|, |acch| ≤ 512 · 127 · 32768 < 2^31 because C, H ≤ 512 and no weight is -128.
        // Every row reads the same old h; nothing here writes h.
        internal static void Compute(
            sbyte[] wx, sbyte[] wh, int[] biasQ3_12, int[] mx, byte[] sx, int[] mh, byte[] sh,
            short[] x, int xOffset, int inputCount,
            short[] hQ0_15, int hiddenCount,
            int rowCount,
            short[] preQ3_12)
        {
            int wxIndex = 0;    // start of row r in wx
            int whIndex = 0;    // start of row r in wh
            for (int r = 0; r < rowCount; r++)
            {
                // accx[r] = Σ_c Wx[r, c] · x[c]
                int accx = 0;
                for (int c = 0; c < inputCount; c++)
                {
                    accx += wx[wxIndex + c] * x[xOffset + c];
                }

                // acch[r] = Σ_k Wh[r, k] · h[k]
                int acch = 0;
                for (int k = 0; k < hiddenCount; k++)
                {
                    acch += wh[whIndex + k] * hQ0_15[k];
                }

                // pre[r] = sat16(rescale(accx, mx, sx) + rescale(acch, mh, sh) + bias)
                preQ3_12[r] = FixedPoint.Saturate16(
                    FixedPoint.Rescale(accx, mx[r], sx[r]) + FixedPoint.Rescale(acch, mh[r], sh[r]) + biasQ3_12[r]);

                wxIndex += inputCount;
                whIndex += hiddenCount;
            }
        }
    }
}
