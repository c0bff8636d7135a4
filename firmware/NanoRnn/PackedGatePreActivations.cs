namespace NanoRnn
{
    /// <summary>
    /// The gate pre-activations of <see cref="GatePreActivations"/>, bit for bit, at about a third of
    /// the interpreted instructions: two weight rows share one int64 multiply, and eight row pairs
    /// share each load of an input value.
    /// </summary>
    /// <remarks>
    /// Rows r0 = 2p and r1 = 2p + 1 are packed into one int64 per column:
    ///
    ///   w[p][c] = Wx[r0, c] · 2^32 + Wx[r1, c]
    ///   Σ_c w[p][c] · x[c] = accx[r0] · 2^32 + accx[r1]
    ///
    /// exactly, because |accx| &lt; 2^31 (docs/model-format.md, "Limits"); then
    /// accx[r1] = (int)sum and accx[r0] = (sum − accx[r1]) >> 32. The same holds for Wh and h.
    /// Memory: 4 bytes per weight instead of 1 (see <see cref="PackedBytes"/>).
    ///
    ///   phase 1  sums[p] for every pair, 8 pairs per pass over x (and over h): each x[c] is loaded
    ///            once per pass and multiplied into 8 accumulators held in locals
    ///   phase 2  per row: unpack, rescale both parts, add the bias, saturate (Q3.12)
    /// </remarks>
    internal sealed class PackedGatePreActivations
    {
        private const int PassPairs = 8;

        private readonly long[][] wxPairs;   // [R/2][C]
        private readonly long[][] whPairs;   // [R/2][H]
        private readonly long[] mx;          // [R] multipliers, widened once
        private readonly long[] mh;
        private readonly long[] roundX;      // [R] 2^(sx - 1): the rounding half of each rescale
        private readonly long[] roundH;
        private readonly int[] sx;           // [R] right shifts
        private readonly int[] sh;
        private readonly int[] biasQ3_12;    // [R]
        private readonly long[] x;           // [C] the sample, widened
        private readonly long[] h;           // [H] the old hidden state, widened
        private readonly long[] sumX;        // [R/2] packed input products
        private readonly long[] sumH;        // [R/2] packed recurrent products
        private readonly int inputCount;
        private readonly int hiddenCount;
        private readonly int pairCount;

        internal PackedGatePreActivations(RnnModel model, int rowCount)
        {
            inputCount = model.InputChannels;
            hiddenCount = model.HiddenSize;
            pairCount = rowCount / 2;
            wxPairs = Pack(model.Wx, pairCount, inputCount);
            whPairs = Pack(model.Wh, pairCount, hiddenCount);
            mx = new long[rowCount];
            mh = new long[rowCount];
            roundX = new long[rowCount];
            roundH = new long[rowCount];
            sx = new int[rowCount];
            sh = new int[rowCount];
            for (int r = 0; r < rowCount; r++)
            {
                mx[r] = model.Mx[r];
                mh[r] = model.Mh[r];
                sx[r] = model.Sx[r];
                sh[r] = model.Sh[r];
                roundX[r] = 1L << (sx[r] - 1);
                roundH[r] = 1L << (sh[r] - 1);
            }

            biasQ3_12 = model.GateBiasQ3_12;
            x = new long[inputCount];
            h = new long[hiddenCount];
            sumX = new long[pairCount];
            sumH = new long[pairCount];
        }

        /// <summary>Bytes the packed weights take: 8 per row pair and column.</summary>
        internal static long PackedBytes(int rowCount, int inputCount, int hiddenCount)
        {
            return 8L * (rowCount / 2) * (inputCount + hiddenCount);
        }

        // w[p][c] = W[2p, c] · 2^32 + W[2p + 1, c]
        private static long[][] Pack(sbyte[] w, int pairs, int columns)
        {
            var packed = new long[pairs][];
            for (int p = 0; p < pairs; p++)
            {
                var row = new long[columns];
                int high = 2 * p * columns;
                int low = high + columns;
                for (int c = 0; c < columns; c++)
                {
                    row[c] = ((long)w[high + c] << 32) + w[low + c];
                }

                packed[p] = row;
            }

            return packed;
        }

        internal void Compute(short[] sample, int offset, short[] hQ0_15, short[] preQ3_12)
        {
            long[] xs = x;
            for (int c = 0; c < xs.Length; c++)
            {
                xs[c] = sample[offset + c];
            }

            long[] hs = h;
            for (int k = 0; k < hs.Length; k++)
            {
                hs[k] = hQ0_15[k];
            }

            // Phase 1: packed sums, accx and acch for two rows in each.
            Accumulate(wxPairs, xs, sumX);
            Accumulate(whPairs, hs, sumH);

            // Phase 2: pre[r] = sat16(rescale(accx, mx, sx) + rescale(acch, mh, sh) + bias)
            long[] mxs = mx, mhs = mh, rx = roundX, rh = roundH;
            int[] sxs = sx, shs = sh, bias = biasQ3_12;
            long[] px = sumX, ph = sumH;
            for (int p = 0; p < px.Length; p++)
            {
                long packedX = px[p];
                long lowX = (int)packedX;                 // accx[2p + 1]
                long highX = (packedX - lowX) >> 32;      // accx[2p]
                long packedH = ph[p];
                long lowH = (int)packedH;
                long highH = (packedH - lowH) >> 32;

                int r = 2 * p;
                long v = ((highX * mxs[r] + rx[r]) >> sxs[r]) + ((highH * mhs[r] + rh[r]) >> shs[r]) + bias[r];
                preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
                r++;
                v = ((lowX * mxs[r] + rx[r]) >> sxs[r]) + ((lowH * mhs[r] + rh[r]) >> shs[r]) + bias[r];
                preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            }
        }

        // sums[p] = Σ_c w[p][c] · v[c], eight pairs per pass so each v[c] is loaded once per eight.
        private static void Accumulate(long[][] w, long[] v, long[] sums)
        {
            int n = v.Length;
            int pairs = sums.Length;
            int p = 0;
            for (; p + PassPairs <= pairs; p += PassPairs)
            {
                long[] w0 = w[p], w1 = w[p + 1], w2 = w[p + 2], w3 = w[p + 3];
                long[] w4 = w[p + 4], w5 = w[p + 5], w6 = w[p + 6], w7 = w[p + 7];
                long s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
                for (int c = 0; c < n; c++)
                {
                    long value = v[c];
                    s0 += w0[c] * value;
                    s1 += w1[c] * value;
                    s2 += w2[c] * value;
                    s3 += w3[c] * value;
                    s4 += w4[c] * value;
                    s5 += w5[c] * value;
                    s6 += w6[c] * value;
                    s7 += w7[c] * value;
                }

                sums[p] = s0;
                sums[p + 1] = s1;
                sums[p + 2] = s2;
                sums[p + 3] = s3;
                sums[p + 4] = s4;
                sums[p + 5] = s5;
                sums[p + 6] = s6;
                sums[p + 7] = s7;
            }

            for (; p < pairs; p++)
            {
                long[] wp = w[p];
                long s = 0;
                for (int c = 0; c < n; c++)
                {
                    s += wp[c] * v[c];
                }

                sums[p] = s;
            }
        }
    }
}
