namespace NanoRnn
{
    /// <summary>
    /// Second half of a GRU step: gates r and z, the candidate n and the new hidden state, one hidden
    /// unit at a time.
    /// </summary>
    internal static class GruCellUpdate
    {
        // PyTorch (gate order r, z, n):
        //   r = σ(W_ir x + b_ir + W_hr h + b_hr)
        //   z = σ(W_iz x + b_iz + W_hz h + b_hz)
        //   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
        //   h' = (1 − z) ⊙ n + z ⊙ h = n + z ⊙ (h − n)
        //
        // Integer, for every hidden unit j; rows j, H + j, 2H + j, 3H + j of pre are r, z, n_x, n_h
        // (n_x = W_in x + b_in and n_h = W_hn h + b_hn, each Q3.12 from GatePreActivations):
        //   r = SIGMOID(pre_r)   z = SIGMOID(pre_z)                                 Q0.15
        //   g = rshr(r · pre_nh, 15)                                                Q3.12
        //   n = TANH(sat16(pre_nx + g))                                             Q0.15
        //   h'[j] = n + rshr(z · (h[j] − n), 15)                                    Q0.15
        //
        // |h − n| ≤ 65535 and z ≤ 32767, so z · (h − n) + 2^14 < 2^31; h' lies between n and h, so it
        // needs no saturation. gates receives r, z, n and g (rows j, H + j, 2H + j, 3H + j). Unit j
        // reads and writes only h[j], and pre was computed from the old h, so updating h in place is safe.
        //
        // Written out inline (no calls); each activation is Activation.Interpolate spelled out:
        //   u = v + Activation.TableOrigin;  k = u >> Activation.StepShift;  act = T[k] + ((T[k+1] − T[k]) · (u & Activation.StepMask) + Activation.StepHalf) >> 7
        internal static void Compute(short[] preQ3_12, int hiddenCount, short[] gatesQ0_15, short[] hiddenQ0_15)
        {
            short[] sigmoid = ActivationTables.Sigmoid, sigmoidSlope = ActivationTables.SigmoidSlope;
            short[] tanh = ActivationTables.Tanh, tanhSlope = ActivationTables.TanhSlope;
            int rowZ = hiddenCount;
            int rowNx = 2 * hiddenCount;
            int rowNh = 3 * hiddenCount;
            for (int j = 0; j < hiddenCount; j++, rowZ++, rowNx++, rowNh++)
            {
                // r = σ(pre_r)
                int u = preQ3_12[j] + Activation.TableOrigin;
                int k = u >> Activation.StepShift;
                int r = sigmoid[k] + ((sigmoidSlope[k] * (u & Activation.StepMask) + Activation.StepHalf) >> Activation.StepShift);

                // z = σ(pre_z)
                u = preQ3_12[rowZ] + Activation.TableOrigin;
                k = u >> Activation.StepShift;
                int z = sigmoid[k] + ((sigmoidSlope[k] * (u & Activation.StepMask) + Activation.StepHalf) >> Activation.StepShift);

                // n = tanh(pre_nx + r ⊙ pre_nh)
                int g = (r * preQ3_12[rowNh] + 16384) >> 15;
                int v = preQ3_12[rowNx] + g;
                v = v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v;
                u = v + Activation.TableOrigin;
                k = u >> Activation.StepShift;
                int n = tanh[k] + ((tanhSlope[k] * (u & Activation.StepMask) + Activation.StepHalf) >> Activation.StepShift);

                gatesQ0_15[j] = (short)r;
                gatesQ0_15[rowZ] = (short)z;
                gatesQ0_15[rowNx] = (short)n;
                gatesQ0_15[rowNh] = (short)g;

                // h' = n + z ⊙ (h − n)
                hiddenQ0_15[j] = (short)(n + ((z * (hiddenQ0_15[j] - n) + 16384) >> 15));
            }
        }

        /// <summary>
        /// The pre-activations (<see cref="PackedGatePreActivations.Compute"/>) and <see cref="Compute"/>
        /// fused, unit by unit, from the packed sums: pair j holds rows (r_j, z_j), pair H + j rows
        /// (n_x j, n_h j). The same h, bit for bit; pre and the gates are not written.
        /// </summary>
        /// <remarks>
        /// r, z and n_x are computed in the tables' index domain u = pre + 32768 as in
        /// <see cref="LstmCellUpdate.ComputePacked"/>; n_h is multiplied by r, so it stays in Q3.12.
        /// The first pair is unpacked and rescaled as the LSTM's is, written out again rather than
        /// shared through a call, which would cost nanoCLR more than the two rows it serves.
        /// </remarks>
        internal static void ComputePacked(PackedGatePreActivations packed, int hiddenCount, short[] hiddenQ0_15)
        {
            long[] px = packed.SumX, ph = packed.SumH;
            PairRescales high = packed.High, low = packed.Low;
            long[] mxHigh = high.Mx, mhHigh = high.Mh, kuHigh = high.Ku;
            long[] mxLow = low.Mx, mhLow = low.Mh, kuLow = low.Ku, kLow = low.K;
            int[] sHigh = high.S, sLow = low.S;
            long end = TableEnd;
            short[] sigmoid = ActivationTables.Sigmoid, sigmoidSlope = ActivationTables.SigmoidSlope;
            short[] tanh = ActivationTables.Tanh, tanhSlope = ActivationTables.TanhSlope;
            for (int j = 0, q = hiddenCount; j < hiddenCount; j++, q++)
            {
                // Pair j: r in the high halves, z in the low halves.
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

                int r = sigmoid[k] + ((sigmoidSlope[k] * ((int)v & Activation.StepMask) + Activation.StepHalf) >> 7);

                v = (lowX * mxLow[j] + lowH * mhLow[j] + kuLow[j]) >> sLow[j];
                if ((ulong)v > (ulong)end)
                {
                    v = v < 0 ? 0 : end;
                }

                k = (int)v >> Activation.StepShift;

                int z = sigmoid[k] + ((sigmoidSlope[k] * ((int)v & Activation.StepMask) + Activation.StepHalf) >> 7);

                // Pair q = H + j: n_x (index domain) in the high halves, n_h (Q3.12) in the low halves.
                sumX = px[q];
                lowX = (int)sumX;
                sumH = ph[q];
                lowH = (int)sumH;
                v = (lowX * mxLow[q] + lowH * mhLow[q] + kLow[q]) >> sLow[q];
                int g = v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : (int)v;
                g = (r * g + 16384) >> 15;
                v = (((sumX - lowX) >> 32) * mxHigh[q] + ((sumH - lowH) >> 32) * mhHigh[q] + kuHigh[q]) >> sHigh[q];
                if ((ulong)v > (ulong)end)
                {
                    v = v < 0 ? 0 : end;
                }

                // n = tanh(sat16(pre_nx + g))
                int u = (int)v + g;
                if ((uint)u > TableEnd)
                {
                    u = u < 0 ? 0 : TableEnd;
                }

                k = u >> Activation.StepShift;
                int n = tanh[k] + ((tanhSlope[k] * (u & Activation.StepMask) + Activation.StepHalf) >> 7);

                // h' = n + z ⊙ (h − n)
                hiddenQ0_15[j] = (short)(n + ((z * (hiddenQ0_15[j] - n) + 16384) >> 15));
            }
        }

        private const int TableEnd = PackedGatePreActivations.TableEnd;
    }
}
