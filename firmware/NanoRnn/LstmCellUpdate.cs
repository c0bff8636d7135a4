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
        //   u = v + Activation.TableOrigin;  k = u >> Activation.StepShift;  act = T[k] + ((T[k+1] − T[k]) · (u & Activation.StepMask) + Activation.StepHalf) >> 7
        internal static void Compute(
            short[] preQ3_12, int hiddenCount, int cellFracBits,
            short[] gatesQ0_15, short[] cellQ, short[] hiddenQ0_15)
        {
            short[] sigmoid = ActivationTables.Sigmoid, sigmoidSlope = ActivationTables.SigmoidSlope;
            short[] tanh = ActivationTables.Tanh, tanhSlope = ActivationTables.TanhSlope;
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
                int u = preQ3_12[j] + Activation.TableOrigin;
                int k = u >> Activation.StepShift;
                int i = sigmoid[k] + ((sigmoidSlope[k] * (u & Activation.StepMask) + Activation.StepHalf) >> Activation.StepShift);

                // f = σ(pre_f)
                u = preQ3_12[rowF] + Activation.TableOrigin;
                k = u >> Activation.StepShift;
                int f = sigmoid[k] + ((sigmoidSlope[k] * (u & Activation.StepMask) + Activation.StepHalf) >> Activation.StepShift);

                // g = tanh(pre_g)
                u = preQ3_12[rowG] + Activation.TableOrigin;
                k = u >> Activation.StepShift;
                int g = tanh[k] + ((tanhSlope[k] * (u & Activation.StepMask) + Activation.StepHalf) >> Activation.StepShift);

                // o = σ(pre_o)
                u = preQ3_12[rowO] + Activation.TableOrigin;
                k = u >> Activation.StepShift;
                int o = sigmoid[k] + ((sigmoidSlope[k] * (u & Activation.StepMask) + Activation.StepHalf) >> Activation.StepShift);

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

                u = t + Activation.TableOrigin;
                k = u >> Activation.StepShift;
                t = tanh[k] + ((tanhSlope[k] * (u & Activation.StepMask) + Activation.StepHalf) >> Activation.StepShift);
                hiddenQ0_15[j] = (short)((o * t + 16384) >> 15);
            }
        }

        /// <summary>
        /// The pre-activations (<see cref="PackedGatePreActivations.Compute"/>) and
        /// <see cref="Compute"/> fused, unit by unit, from the packed sums: pair j holds rows
        /// (i_j, f_j), pair H + j rows (g_j, o_j) (<see cref="LstmPairs"/>). The same c and h, bit for
        /// bit; pre and the gates are not written (a network that records them runs the two halves).
        /// </summary>
        /// <remarks>
        /// Each pre-activation is computed as u = pre + 32768, the tables' index domain: the 32768 is
        /// folded into the rounding term (<see cref="PairRescales.Ku"/>), sat16 becomes one
        /// unsigned comparison with 65535 and the table index is u &gt;&gt; 7 (docs/model-format.md,
        /// "Activation tables"). The cell and hidden updates repeat <see cref="Compute"/>'s on purpose: a
        /// call per unit would cost more than the whole update saves. The golden tests run both kernels
        /// on every case, so the two copies cannot drift apart unnoticed.
        /// </remarks>
        internal static void ComputePacked(
            PackedGatePreActivations packed, int hiddenCount, int cellFracBits, short[] cellQ, short[] hiddenQ0_15)
        {
            long[] px = packed.SumX, ph = packed.SumH;
            PairRescales high = packed.High, low = packed.Low;
            long[] mxHigh = high.Mx, mhHigh = high.Mh, kuHigh = high.Ku, mxLow = low.Mx, mhLow = low.Mh, kuLow = low.Ku;
            int[] sHigh = high.S, sLow = low.S;
            long end = TableEnd;
            short[] sigmoid = ActivationTables.Sigmoid, sigmoidSlope = ActivationTables.SigmoidSlope;
            short[] tanh = ActivationTables.Tanh, tanhSlope = ActivationTables.TanhSlope;
            int productShift = 2 * FixedPoint.StateFracBits - cellFracBits;
            int productHalf = 1 << (productShift - 1);
            // tanh(c') reads c' in Q3.12, offset to the tables' origin: cf ≥ 12 rounds right by down
            // (the origin folded into the rounding term; cf = 12 only adds it), cf < 12 shifts left by up and saturates.
            int down = cellFracBits > FixedPoint.GateFracBits ? cellFracBits - FixedPoint.GateFracBits : 0;
            int downRound = (down > 0 ? 1 << (down - 1) : 0) + (Activation.TableOrigin << down);
            int up = cellFracBits < FixedPoint.GateFracBits ? FixedPoint.GateFracBits - cellFracBits : 0;

            // Each activation of u (v as an int): k = u >> 7, t = u & 127, act = T[k] + rshr(D[k] · t, 7),
            // D the slope table.
            for (int j = 0, q = hiddenCount; j < hiddenCount; j++, q++)
            {
                // Pair j: i in the high halves, f in the low halves.
                long sumX = px[j];
                long lowX = (int)sumX;
                long sumH = ph[j];
                long lowH = (int)sumH;
                long v = (((sumX - lowX) >> 32) * mxHigh[j] + ((sumH - lowH) >> 32) * mhHigh[j] + kuHigh[j]) >> sHigh[j];
                if ((ulong)v > (ulong)end)
                {
                    v = v < 0 ? 0 : end;
                }

                int k = (int)v >> Activation.StepShift;

                int i = sigmoid[k] + ((sigmoidSlope[k] * ((int)v & Activation.StepMask) + Activation.StepHalf) >> 7);

                v = (lowX * mxLow[j] + lowH * mhLow[j] + kuLow[j]) >> sLow[j];
                if ((ulong)v > (ulong)end)
                {
                    v = v < 0 ? 0 : end;
                }

                k = (int)v >> Activation.StepShift;

                int f = sigmoid[k] + ((sigmoidSlope[k] * ((int)v & Activation.StepMask) + Activation.StepHalf) >> 7);

                // Pair q = H + j: g in the high halves, o in the low halves.
                sumX = px[q];
                lowX = (int)sumX;
                sumH = ph[q];
                lowH = (int)sumH;
                v = (((sumX - lowX) >> 32) * mxHigh[q] + ((sumH - lowH) >> 32) * mhHigh[q] + kuHigh[q]) >> sHigh[q];
                if ((ulong)v > (ulong)end)
                {
                    v = v < 0 ? 0 : end;
                }

                k = (int)v >> Activation.StepShift;

                int g = tanh[k] + ((tanhSlope[k] * ((int)v & Activation.StepMask) + Activation.StepHalf) >> 7);

                v = (lowX * mxLow[q] + lowH * mhLow[q] + kuLow[q]) >> sLow[q];
                if ((ulong)v > (ulong)end)
                {
                    v = v < 0 ? 0 : end;
                }

                k = (int)v >> Activation.StepShift;

                int o = sigmoid[k] + ((sigmoidSlope[k] * ((int)v & Activation.StepMask) + Activation.StepHalf) >> 7);

                // c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c')
                int cell = ((f * cellQ[j] + 16384) >> 15) + ((i * g + productHalf) >> productShift);
                if ((uint)(cell + Activation.TableOrigin) > TableEnd)
                {
                    cell = cell < 0 ? short.MinValue : short.MaxValue;
                }

                cellQ[j] = (short)cell;
                int u;
                if (up == 0)
                {
                    u = (cell + downRound) >> down;
                }
                else
                {
                    u = (cell << up) + Activation.TableOrigin;
                    u = u > TableEnd ? TableEnd : u < 0 ? 0 : u;
                }

                k = u >> Activation.StepShift;
                u = tanh[k] + ((tanhSlope[k] * (u & Activation.StepMask) + Activation.StepHalf) >> 7);
                hiddenQ0_15[j] = (short)((o * u + 16384) >> 15);
            }
        }

        private const int TableEnd = PackedGatePreActivations.TableEnd;

        /// <summary>
        /// The pairing <see cref="ComputePacked"/> reads: pair j = (i_j, f_j), pair H + j = (g_j, o_j),
        /// rows r = gate · H + j.
        /// </summary>
        internal static void LstmPairs(int hiddenCount, out int[] highRow, out int[] lowRow)
        {
            highRow = new int[2 * hiddenCount];
            lowRow = new int[2 * hiddenCount];
            for (int j = 0; j < hiddenCount; j++)
            {
                highRow[j] = j;
                lowRow[j] = hiddenCount + j;
                highRow[hiddenCount + j] = 2 * hiddenCount + j;
                lowRow[hiddenCount + j] = 3 * hiddenCount + j;
            }
        }
    }
}
