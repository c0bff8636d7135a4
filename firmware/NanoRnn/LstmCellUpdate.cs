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
        internal static void Compute(
            short[] preQ3_12, int hiddenCount, int cellFracBits,
            short[] gatesQ0_15, short[] cellQ, short[] hiddenQ0_15)
        {
            short[] sigmoid = ActivationTables.Sigmoid;
            short[] tanh = ActivationTables.Tanh;
            int productShift = 2 * FixedPoint.StateFracBits - cellFracBits;   // Q0.15 · Q0.15 = Q.30 → Q.cf
            for (int j = 0; j < hiddenCount; j++)
            {
                int rowI = j;
                int rowF = hiddenCount + j;
                int rowG = 2 * hiddenCount + j;
                int rowO = 3 * hiddenCount + j;

                // i = σ(pre_i)   f = σ(pre_f)   g = tanh(pre_g)   o = σ(pre_o)
                short i = Activation.Interpolate(sigmoid, preQ3_12[rowI]);
                short f = Activation.Interpolate(sigmoid, preQ3_12[rowF]);
                short g = Activation.Interpolate(tanh, preQ3_12[rowG]);
                short o = Activation.Interpolate(sigmoid, preQ3_12[rowO]);
                gatesQ0_15[rowI] = i;
                gatesQ0_15[rowF] = f;
                gatesQ0_15[rowG] = g;
                gatesQ0_15[rowO] = o;

                // c' = f ⊙ c + i ⊙ g
                short cell = FixedPoint.Saturate16(
                    FixedPoint.RoundingShiftRight(f * cellQ[j], FixedPoint.StateFracBits)
                    + FixedPoint.RoundingShiftRight(i * g, productShift));
                cellQ[j] = cell;

                // h' = o ⊙ tanh(c')
                short t = Activation.Interpolate(tanh, FixedPoint.ToQ3_12(cell, cellFracBits));
                hiddenQ0_15[j] = (short)FixedPoint.RoundingShiftRight(o * t, FixedPoint.StateFracBits);
            }
        }
    }
}
