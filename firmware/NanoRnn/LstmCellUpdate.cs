namespace NanoRnn
{
    /// <summary>
    /// Second half of an LSTM step: gate activations, new cell state and new hidden state, one hidden
    /// unit at a time.
    /// </summary>
    internal static class LstmCellUpdate
    {
        // PyTorch:
        //   i = σ(z_i)   f = σ(z_f)   g = tanh(z_g)   o = σ(z_o)
        //   c' = f ⊙ c + i ⊙ g
        //   h' = o ⊙ tanh(c')
        //
        // Integer, for every hidden unit j; rows j, H + j, 2H + j, 3H + j of pre are i, f, g, o:
        //   i = SIGMOID(pre_i)   f = SIGMOID(pre_f)   g = TANH(pre_g)   o = SIGMOID(pre_o)     Q0.15
        //   c'[j] = sat16(rshr(f · c[j], 15) + rshr(i · g, 30 - cf))                        Q(15-cf).cf
        //   h'[j] = rshr(o · TANH(c'[j] in Q3.12), 15)                                        Q0.15
        //
        // f·c, i·g and o·t are products of two int16 and fit int32. Unit j reads and writes only
        // c[j] and h[j], and pre was computed from the old h before this runs, so updating c and h
        // in place is the doc's "new h and c replace the old ones after every row is computed".
        //
        // Everything below is written out inline (no calls: a call costs nanoCLR about ten simple
        // instructions). Each activation is Activation.Interpolate spelled out:
        //   u = v + 32768;  k = u >> 7;  act = T[k] + ((T[k+1] − T[k]) · (u & 127) + 64) >> 7
        internal static void Compute(
            short[] preQ3_12, int hiddenCount, int cellFracBits,
            short[] gatesQ0_15, short[] cellQ, short[] hiddenQ0_15)
        {
            short[] sigmoid = ActivationTables.Sigmoid;
            short[] tanh = ActivationTables.Tanh;
            int productShift = 2 * FixedPoint.StateFracBits - cellFracBits;   // Q0.15 · Q0.15 = Q.30 → Q.cf
            int productHalf = 1 << (productShift - 1);
            // c' in Q3.12 for tanh: cf > 12 rounds right by down; cf ≤ 12 shifts left by up, saturating.
            int down = cellFracBits > FixedPoint.GateFracBits ? cellFracBits - FixedPoint.GateFracBits : 0;
            int downHalf = down > 0 ? 1 << (down - 1) : 0;
            int up = cellFracBits < FixedPoint.GateFracBits ? FixedPoint.GateFracBits - cellFracBits : 0;
            int rowF = hiddenCount;
            int rowG = 2 * hiddenCount;
            int rowO = 3 * hiddenCount;
            for (int j = 0; j < hiddenCount; j++, rowF++, rowG++, rowO++)
            {
                // i = σ(pre_i)
                int u = preQ3_12[j] + 32768;
                int k = u >> 7;
                int low = sigmoid[k];
                int i = low + (((sigmoid[k + 1] - low) * (u & 127) + 64) >> 7);

                // f = σ(pre_f)
                u = preQ3_12[rowF] + 32768;
                k = u >> 7;
                low = sigmoid[k];
                int f = low + (((sigmoid[k + 1] - low) * (u & 127) + 64) >> 7);

                // g = tanh(pre_g)
                u = preQ3_12[rowG] + 32768;
                k = u >> 7;
                low = tanh[k];
                int g = low + (((tanh[k + 1] - low) * (u & 127) + 64) >> 7);

                // o = σ(pre_o)
                u = preQ3_12[rowO] + 32768;
                k = u >> 7;
                low = sigmoid[k];
                int o = low + (((sigmoid[k + 1] - low) * (u & 127) + 64) >> 7);

                gatesQ0_15[j] = (short)i;
                gatesQ0_15[rowF] = (short)f;
                gatesQ0_15[rowG] = (short)g;
                gatesQ0_15[rowO] = (short)o;

                // c' = f ⊙ c + i ⊙ g
                int cell = ((f * cellQ[j] + 16384) >> 15) + ((i * g + productHalf) >> productShift);
                cell = cell > short.MaxValue ? short.MaxValue : cell < short.MinValue ? short.MinValue : cell;
                cellQ[j] = (short)cell;

                // h' = o ⊙ tanh(c')
                int t;
                if (down > 0)
                {
                    t = (cell + downHalf) >> down;
                }
                else
                {
                    t = cell << up;
                    t = t > short.MaxValue ? short.MaxValue : t < short.MinValue ? short.MinValue : t;
                }

                u = t + 32768;
                k = u >> 7;
                low = tanh[k];
                t = low + (((tanh[k + 1] - low) * (u & 127) + 64) >> 7);
                hiddenQ0_15[j] = (short)((o * t + 16384) >> 15);
            }
        }
    }
}
