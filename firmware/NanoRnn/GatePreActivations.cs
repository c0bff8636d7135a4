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
        //   pre[r]  = sat16(((accx[r] · mx'[r] + acch[r] · mh'[r] + 2^(s[r]-1)) >> s[r])
        //                 + bias[r])                                              Q3.12, int64
        //
        // with the row's one shift s and multipliers mx', mh' (RnnLayer.CommonShift).
        // |accx|, |acch| ≤ 512 · 127 · 32768 < 2^31 because C, H ≤ 512 and no weight is -128; the
        // loader has refused any row whose sum of products could leave int64.
        // Every row reads the same old h; nothing here writes h.
        //
        // The products run eight to a statement (Dot), the rescales and the saturation inline: a
        // call costs nanoCLR about ten simple instructions, so this makes two calls per row.
        internal static void Compute(
            sbyte[] wx, sbyte[] wh, int[] biasQ3_12, int[] mx, int[] mh, byte[] shift,
            short[] x, int xOffset, int inputCount,
            short[] hQ0_15, int hiddenCount,
            int rowCount,
            short[] preQ3_12)
        {
            int wxIndex = 0;    // start of row r in wx
            int whIndex = 0;    // start of row r in wh
            for (int r = 0; r < rowCount; r++)
            {
                long accx = Dot(wx, wxIndex, x, xOffset, inputCount);
                long acch = Dot(wh, whIndex, hQ0_15, 0, hiddenCount);
                int s = shift[r];
                long v = ((accx * mx[r] + acch * mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
                preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
                wxIndex += inputCount;
                whIndex += hiddenCount;
            }
        }

        // Σ_{k < n} w[i + k] · v[j + k], exact in int32 (see above), eight products per statement.
        private static int Dot(sbyte[] w, int i, short[] v, int j, int n)
        {
            int acc = 0;
            int end = j + n;
            for (int blocks = n >> 3; blocks > 0; blocks--, i += 8, j += 8)
            {
                acc += w[i] * v[j] + w[i + 1] * v[j + 1] + w[i + 2] * v[j + 2] + w[i + 3] * v[j + 3]
                    + w[i + 4] * v[j + 4] + w[i + 5] * v[j + 5] + w[i + 6] * v[j + 6] + w[i + 7] * v[j + 7];
            }

            for (; j < end; j++, i++)
            {
                acc += w[i] * v[j];
            }

            return acc;
        }
    }
}
