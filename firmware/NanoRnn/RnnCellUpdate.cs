namespace NanoRnn
{
    /// <summary>Second half of a plain RNN step: the new hidden state from its pre-activation.</summary>
    internal static class RnnCellUpdate
    {
        // PyTorch: h' = tanh(W_ih x + b_ih + W_hh h + b_hh)   or   relu(…) with nonlinearity="relu"
        //
        // Integer, for every hidden unit j (one row each):
        //   tanh: h'[j] = TANH(pre[j])          pre Q3.12, h' Q0.15
        //   relu: h'[j] = max(pre[j], 0)        pre already in h's own scale (hidden_scale), so the
        //                                        int16 saturation of pre is h's calibrated range
        internal static void ComputeTanh(short[] preQ3_12, int hiddenCount, short[] hiddenQ0_15)
        {
            short[] tanh = ActivationTables.Tanh, tanhSlope = ActivationTables.TanhSlope;
            for (int j = 0; j < hiddenCount; j++)
            {
                int u = preQ3_12[j] + Activation.TableOrigin;
                int k = u >> Activation.StepShift;
                hiddenQ0_15[j] = (short)(tanh[k] + ((tanhSlope[k] * (u & Activation.StepMask) + Activation.StepHalf) >> Activation.StepShift));
            }
        }

        /// <summary>
        /// The pre-activations (<see cref="PackedGatePreActivations.Compute"/>) and <see cref="ComputeTanh"/>
        /// fused, from the packed sums: pair p holds rows (2p, 2p + 1), computed in the tables' index
        /// domain as in <see cref="LstmCellUpdate.ComputePacked"/>. The same h, bit for bit; pre is not written.
        /// </summary>
        internal static void ComputePackedTanh(PackedGatePreActivations packed, int hiddenCount, short[] hiddenQ0_15)
        {
            long[] px = packed.SumX, ph = packed.SumH;
            PairRescales high = packed.High, low = packed.Low;
            long[] mxHigh = high.Mx, mhHigh = high.Mh, kuHigh = high.Ku, mxLow = low.Mx, mhLow = low.Mh, kuLow = low.Ku;
            int[] sHigh = high.S, sLow = low.S;
            short[] tanh = ActivationTables.Tanh, tanhSlope = ActivationTables.TanhSlope;
            long end = PackedGatePreActivations.TableEnd;
            for (int p = 0, j = 0; j < hiddenCount; p++, j += 2)
            {
                long sumX = px[p];
                long lowX = (int)sumX;
                long sumH = ph[p];
                long lowH = (int)sumH;
                long v = (((sumX - lowX) >> 32) * mxHigh[p] + ((sumH - lowH) >> 32) * mhHigh[p] + kuHigh[p]) >> sHigh[p];
                if ((ulong)v > (ulong)end)
                {
                    v = v < 0 ? 0 : end;
                }

                int k = (int)v >> Activation.StepShift;

                hiddenQ0_15[j] = (short)(tanh[k] + ((tanhSlope[k] * ((int)v & Activation.StepMask) + Activation.StepHalf) >> 7));

                v = (lowX * mxLow[p] + lowH * mhLow[p] + kuLow[p]) >> sLow[p];
                if ((ulong)v > (ulong)end)
                {
                    v = v < 0 ? 0 : end;
                }

                k = (int)v >> Activation.StepShift;

                hiddenQ0_15[j + 1] = (short)(tanh[k] + ((tanhSlope[k] * ((int)v & Activation.StepMask) + Activation.StepHalf) >> 7));
            }
        }

        /// <summary>
        /// The pre-activations (<see cref="PackedGatePreActivations.Compute"/>) and <see cref="ComputeRelu"/>
        /// fused, from the packed sums: pair p holds rows (2p, 2p + 1). h = min(max(pre, 0), 32767),
        /// which is max(sat16(pre), 0). The same h, bit for bit; pre is not written.
        /// </summary>
        internal static void ComputePackedRelu(PackedGatePreActivations packed, int hiddenCount, short[] hidden)
        {
            long[] px = packed.SumX, ph = packed.SumH;
            PairRescales high = packed.High, low = packed.Low;
            long[] mxHigh = high.Mx, mhHigh = high.Mh, kHigh = high.K, mxLow = low.Mx, mhLow = low.Mh, kLow = low.K;
            int[] sHigh = high.S, sLow = low.S;
            for (int p = 0, j = 0; j < hiddenCount; p++, j += 2)
            {
                long sumX = px[p];
                long lowX = (int)sumX;
                long sumH = ph[p];
                long lowH = (int)sumH;
                long v = (((sumX - lowX) >> 32) * mxHigh[p] + ((sumH - lowH) >> 32) * mhHigh[p] + kHigh[p]) >> sHigh[p];
                hidden[j] = (short)(v < 0 ? 0 : v > short.MaxValue ? short.MaxValue : v);
                v = (lowX * mxLow[p] + lowH * mhLow[p] + kLow[p]) >> sLow[p];
                hidden[j + 1] = (short)(v < 0 ? 0 : v > short.MaxValue ? short.MaxValue : v);
            }
        }

        internal static void ComputeRelu(short[] pre, int hiddenCount, short[] hidden)
        {
            for (int j = 0; j < hiddenCount; j++)
            {
                short v = pre[j];
                hidden[j] = v > 0 ? v : (short)0;
            }
        }
    }
}
