using System;

namespace NanoRnn
{
    /// <summary>
    /// The gate products of <see cref="GatePreActivations"/>, bit for bit, at a fraction of the
    /// interpreted instructions: two weight rows share one int64 multiply, sixteen row pairs share
    /// each load of an input value, and eight columns are summed per statement.
    /// </summary>
    /// <remarks>
    /// Rows a = high[p] and b = low[p] of pair p are packed into one int64 per column:
    ///
    ///   w[p][c] = Wx[a, c] · 2^32 + Wx[b, c]
    ///   Σ_c w[p][c] · x[c] = accx[a] · 2^32 + accx[b]
    ///
    /// exactly, because |accx| &lt; 2^31 (docs/model-format.md, "Limits"); then
    /// accx[b] = (int)sum and accx[a] = (sum − accx[b]) >> 32. The same holds for Wh and h.
    ///
    /// Which rows share a pair is the caller's choice: the LSTM pairs (i_j, f_j) and (g_j, o_j), so
    /// that the four rows of hidden unit j sit in pairs j and H + j and
    /// <see cref="LstmCellUpdate.ComputePacked"/> can finish unit j straight from the sums.
    ///
    /// Each pair's row is [Wx | Wh] over the vector v = [x | h]: one pass over 16 pairs sums the
    /// input columns two per statement (x is short), stores those sums, then sums the recurrent columns
    /// eight per statement. Padding keeps one code path: the pair count is rounded up to a multiple of
    /// <see cref="PassPairs"/> with zero rows, C to even and H to a multiple of
    /// <see cref="BlockColumns"/> with zero weights and zero inputs. Memory: 8 bytes per pair and
    /// padded column (<see cref="PackedBytes"/>), against 2 bytes for the int8 rows.
    ///
    /// The rescale constants fold the bias into the rounding term of the row's one rescale,
    ///   k[r] = 2^(s[r] − 1) + bias[r] · 2^s[r],
    /// so (accx · mx' + acch · mh' + k) >> s = that rescale + bias exactly, as long as nothing
    /// overflows (<see cref="CanPack"/>).
    /// </remarks>
    internal sealed class PackedGatePreActivations
    {
        internal const int PassPairs = 16;
        internal const int BlockColumns = 8;
        private const int InputBlockColumns = 2;


        // Largest value of that index domain: pre = 32767.
        internal const int TableEnd = 65535;

        private readonly long[][][] passes;  // [P / 16][16][C' + H'] P = pairs rounded up, C' = C even, H' = H rounded up to 8
        private readonly int[] highRow;      // [pairs] the row in the high half of pair p
        private readonly int[] lowRow;       // [pairs] the row in the low half

        /// <summary>Rescale constants of the rows in the high halves, by pair.</summary>
        internal readonly PairRescales High;

        /// <summary>Rescale constants of the rows in the low halves, by pair.</summary>
        internal readonly PairRescales Low;

        private readonly short[] v;          // [C' + H'] the sample, then the old hidden state, zero padded
        private readonly int inputCount;
        private readonly int hiddenCount;
        private readonly int inputColumns;   // C'

        /// <summary>Packed input products, [P]; pair p holds rows highRow[p] and lowRow[p].</summary>
        internal readonly long[] SumX;

        /// <summary>Packed recurrent products, [P].</summary>
        internal readonly long[] SumH;

        /// <param name="wx">Input weights, [R·C] row-major, rows r in the caller's order.</param>
        /// <param name="wh">Recurrent weights, [R·H] row-major.</param>
        /// <param name="biasQ3_12">Per row bias, added after the rescale.</param>
        /// <param name="mx">Per row multiplier of the input product ...</param>
        /// <param name="mh">... and of the recurrent product ...</param>
        /// <param name="shift">... at the row's one right shift (<see cref="RnnLayer.CommonShift"/>).</param>
        /// <param name="inputCount">C.</param>
        /// <param name="hiddenCount">H.</param>
        /// <param name="highRow">Pair p packs row highRow[p] in its high half ...</param>
        /// <param name="lowRow">... and row lowRow[p] in its low half; every row exactly once.</param>
        internal PackedGatePreActivations(
            sbyte[] wx, sbyte[] wh, int[] biasQ3_12, int[] mx, int[] mh, byte[] shift,
            int inputCount, int hiddenCount, int[] highRow, int[] lowRow)
        {
            this.inputCount = inputCount;
            this.hiddenCount = hiddenCount;
            this.highRow = highRow;
            this.lowRow = lowRow;
            inputColumns = RoundUp(inputCount, InputBlockColumns);
            int columns = inputColumns + RoundUp(hiddenCount, BlockColumns);
            int pairCount = RoundUp(highRow.Length, PassPairs);
            passes = new long[pairCount / PassPairs][][];
            for (int p = 0; p < pairCount; p++)
            {
                var row = new long[columns];
                if (p < highRow.Length)
                {
                    Pack(wx, inputCount, highRow[p], lowRow[p], row, 0);
                    Pack(wh, hiddenCount, highRow[p], lowRow[p], row, inputColumns);
                }

                if (p % PassPairs == 0)
                {
                    passes[p / PassPairs] = new long[PassPairs][];
                }

                passes[p / PassPairs][p % PassPairs] = row;
            }

            High = new PairRescales(highRow, mx, mh, shift, biasQ3_12);
            Low = new PairRescales(lowRow, mx, mh, shift, biasQ3_12);
            v = new short[columns];
            SumX = new long[pairCount];
            SumH = new long[pairCount];
        }

        /// <summary>
        /// Whether folding each bias (and the tables' origin, <see cref="PairRescales.Ku"/>) into the rounding term
        /// is exact: for every row, |accx| · mx' + |acch| · mh' + 2^(s − 1) + (|bias| + 32768) · 2^s
        /// &lt; 2^63, with |accx| and |acch| bounded by the row's own weights (Σ |w| · 32768). Blobs
        /// from tools/quantize.py have s near 40 and pass with room to spare; a layer outside this runs
        /// on the compact kernel.
        /// </summary>
        internal static bool CanPack(RnnLayer layer)
        {
            for (int r = 0; r < layer.RowCount; r++)
            {
                // Each bound · multiplier < 2^31 · 2^31 (docs/model-format.md, "Limits"): no overflow here.
                long room = long.MaxValue - (1L << (layer.Shift[r] - 1))
                    - AbsSum(layer.Wx, r * layer.InputChannels, layer.InputChannels) * 32768 * layer.Mx[r];
                long recurrent = AbsSum(layer.Wh, r * layer.HiddenSize, layer.HiddenSize) * 32768 * layer.Mh[r];
                long bias = layer.GateBias[r];
                long magnitude = (bias < 0 ? -bias : bias) + Activation.TableOrigin;
                if (recurrent > room || magnitude > (room - recurrent) >> layer.Shift[r])
                {
                    return false;
                }
            }

            return true;
        }

        private static long AbsSum(sbyte[] w, int start, int count)
        {
            long sum = 0;
            for (int i = start; i < start + count; i++)
            {
                sum += w[i] < 0 ? -w[i] : w[i];
            }

            return sum;
        }

        /// <summary>Bytes the packed weights take: 8 per (padded) row pair and (padded) column.</summary>
        internal static long PackedBytes(int rowCount, int inputCount, int hiddenCount)
        {
            return 8L * RoundUp(rowCount / 2, PassPairs)
                * (RoundUp(inputCount, InputBlockColumns) + RoundUp(hiddenCount, BlockColumns));
        }

        private static int RoundUp(int value, int multiple)
        {
            return (value + multiple - 1) / multiple * multiple;
        }

        // row[start + c] = W[high, c] · 2^32 + W[low, c]
        private static void Pack(sbyte[] w, int columns, int high, int low, long[] row, int start)
        {
            int a = high * columns;
            int b = low * columns;
            for (int c = 0; c < columns; c++)
            {
                row[start + c] = ((long)w[a + c] << 32) + w[b + c];
            }
        }

        /// <summary>Fills <see cref="SumX"/> and <see cref="SumH"/> for one step.</summary>
        internal void Accumulate(short[] sample, int offset, short[] h)
        {
            short[] values = v;
            Array.Copy(sample, offset, values, 0, inputCount);
            Array.Copy(h, 0, values, inputColumns, hiddenCount);
            Accumulate(passes, values, inputColumns, SumX, SumH);
        }

        /// <summary>
        /// pre[r] = sat16(((accx[r] · mx' + acch[r] · mh' + 2^(s − 1)) >> s) + bias[r]) for every row:
        /// <see cref="GatePreActivations.Compute"/>'s result.
        /// </summary>
        internal void Compute(short[] sample, int offset, short[] h, short[] preQ3_12)
        {
            Accumulate(sample, offset, h);
            long[] px = SumX, ph = SumH;
            int[] high = highRow, low = lowRow;
            for (int p = 0; p < high.Length; p++)
            {
                long packedX = px[p];
                long lowX = (int)packedX;
                long packedH = ph[p];
                long lowH = (int)packedH;
                preQ3_12[high[p]] = High.Pre((packedX - lowX) >> 32, (packedH - lowH) >> 32, p);
                preQ3_12[low[p]] = Low.Pre(lowX, lowH, p);
            }
        }

        // sumX[p] = Σ_{c < split} w[p][c] · v[c], sumH[p] = Σ_{c ≥ split} w[p][c] · v[c], w[p] the row
        // of pair p = 16·pass + k at passes[pass][k]. Each pass holds 16 pair sums in locals and loads
        // its 16 rows once, by constant index (the stores are written out: no calls); each block loads
        // its values of v once and adds 2 (input) or 8 (recurrent) products per pair in one
        // expression. Pairs are a multiple of 16, split even, the rest a multiple of 8 (padding).
        private static void Accumulate(long[][][] passes, short[] v, int split, long[] sumX, long[] sumH)
        {
            int n = v.Length;
            for (int pass = 0, p = 0; pass < passes.Length; pass++, p += PassPairs)
            {
                long[][] w = passes[pass];
                long[] w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];
                long[] w4 = w[4], w5 = w[5], w6 = w[6], w7 = w[7];
                long[] w8 = w[8], w9 = w[9], w10 = w[10], w11 = w[11];
                long[] w12 = w[12], w13 = w[13], w14 = w[14], w15 = w[15];
                long s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
                long s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0;
                int c0 = 0;
                for (; c0 < split; c0 += InputBlockColumns)
                {
                    int c1 = c0 + 1;
                    long v0 = v[c0], v1 = v[c1];
                    s0 += w0[c0] * v0 + w0[c1] * v1;
                    s1 += w1[c0] * v0 + w1[c1] * v1;
                    s2 += w2[c0] * v0 + w2[c1] * v1;
                    s3 += w3[c0] * v0 + w3[c1] * v1;
                    s4 += w4[c0] * v0 + w4[c1] * v1;
                    s5 += w5[c0] * v0 + w5[c1] * v1;
                    s6 += w6[c0] * v0 + w6[c1] * v1;
                    s7 += w7[c0] * v0 + w7[c1] * v1;
                    s8 += w8[c0] * v0 + w8[c1] * v1;
                    s9 += w9[c0] * v0 + w9[c1] * v1;
                    s10 += w10[c0] * v0 + w10[c1] * v1;
                    s11 += w11[c0] * v0 + w11[c1] * v1;
                    s12 += w12[c0] * v0 + w12[c1] * v1;
                    s13 += w13[c0] * v0 + w13[c1] * v1;
                    s14 += w14[c0] * v0 + w14[c1] * v1;
                    s15 += w15[c0] * v0 + w15[c1] * v1;
                }

                sumX[p] = s0;
                sumX[p + 1] = s1;
                sumX[p + 2] = s2;
                sumX[p + 3] = s3;
                sumX[p + 4] = s4;
                sumX[p + 5] = s5;
                sumX[p + 6] = s6;
                sumX[p + 7] = s7;
                sumX[p + 8] = s8;
                sumX[p + 9] = s9;
                sumX[p + 10] = s10;
                sumX[p + 11] = s11;
                sumX[p + 12] = s12;
                sumX[p + 13] = s13;
                sumX[p + 14] = s14;
                sumX[p + 15] = s15;
                s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = s8 = s9 = s10 = s11 = s12 = s13 = s14 = s15 = 0;
                for (; c0 < n; c0 += BlockColumns)
                {
                    int c1 = c0 + 1, c2 = c0 + 2, c3 = c0 + 3, c4 = c0 + 4, c5 = c0 + 5, c6 = c0 + 6, c7 = c0 + 7;
                    long v0 = v[c0], v1 = v[c1], v2 = v[c2], v3 = v[c3];
                    long v4 = v[c4], v5 = v[c5], v6 = v[c6], v7 = v[c7];
                    s0 += w0[c0] * v0 + w0[c1] * v1 + w0[c2] * v2 + w0[c3] * v3 + w0[c4] * v4 + w0[c5] * v5 + w0[c6] * v6 + w0[c7] * v7;
                    s1 += w1[c0] * v0 + w1[c1] * v1 + w1[c2] * v2 + w1[c3] * v3 + w1[c4] * v4 + w1[c5] * v5 + w1[c6] * v6 + w1[c7] * v7;
                    s2 += w2[c0] * v0 + w2[c1] * v1 + w2[c2] * v2 + w2[c3] * v3 + w2[c4] * v4 + w2[c5] * v5 + w2[c6] * v6 + w2[c7] * v7;
                    s3 += w3[c0] * v0 + w3[c1] * v1 + w3[c2] * v2 + w3[c3] * v3 + w3[c4] * v4 + w3[c5] * v5 + w3[c6] * v6 + w3[c7] * v7;
                    s4 += w4[c0] * v0 + w4[c1] * v1 + w4[c2] * v2 + w4[c3] * v3 + w4[c4] * v4 + w4[c5] * v5 + w4[c6] * v6 + w4[c7] * v7;
                    s5 += w5[c0] * v0 + w5[c1] * v1 + w5[c2] * v2 + w5[c3] * v3 + w5[c4] * v4 + w5[c5] * v5 + w5[c6] * v6 + w5[c7] * v7;
                    s6 += w6[c0] * v0 + w6[c1] * v1 + w6[c2] * v2 + w6[c3] * v3 + w6[c4] * v4 + w6[c5] * v5 + w6[c6] * v6 + w6[c7] * v7;
                    s7 += w7[c0] * v0 + w7[c1] * v1 + w7[c2] * v2 + w7[c3] * v3 + w7[c4] * v4 + w7[c5] * v5 + w7[c6] * v6 + w7[c7] * v7;
                    s8 += w8[c0] * v0 + w8[c1] * v1 + w8[c2] * v2 + w8[c3] * v3 + w8[c4] * v4 + w8[c5] * v5 + w8[c6] * v6 + w8[c7] * v7;
                    s9 += w9[c0] * v0 + w9[c1] * v1 + w9[c2] * v2 + w9[c3] * v3 + w9[c4] * v4 + w9[c5] * v5 + w9[c6] * v6 + w9[c7] * v7;
                    s10 += w10[c0] * v0 + w10[c1] * v1 + w10[c2] * v2 + w10[c3] * v3 + w10[c4] * v4 + w10[c5] * v5 + w10[c6] * v6 + w10[c7] * v7;
                    s11 += w11[c0] * v0 + w11[c1] * v1 + w11[c2] * v2 + w11[c3] * v3 + w11[c4] * v4 + w11[c5] * v5 + w11[c6] * v6 + w11[c7] * v7;
                    s12 += w12[c0] * v0 + w12[c1] * v1 + w12[c2] * v2 + w12[c3] * v3 + w12[c4] * v4 + w12[c5] * v5 + w12[c6] * v6 + w12[c7] * v7;
                    s13 += w13[c0] * v0 + w13[c1] * v1 + w13[c2] * v2 + w13[c3] * v3 + w13[c4] * v4 + w13[c5] * v5 + w13[c6] * v6 + w13[c7] * v7;
                    s14 += w14[c0] * v0 + w14[c1] * v1 + w14[c2] * v2 + w14[c3] * v3 + w14[c4] * v4 + w14[c5] * v5 + w14[c6] * v6 + w14[c7] * v7;
                    s15 += w15[c0] * v0 + w15[c1] * v1 + w15[c2] * v2 + w15[c3] * v3 + w15[c4] * v4 + w15[c5] * v5 + w15[c6] * v6 + w15[c7] * v7;
                }

                sumH[p] = s0;
                sumH[p + 1] = s1;
                sumH[p + 2] = s2;
                sumH[p + 3] = s3;
                sumH[p + 4] = s4;
                sumH[p + 5] = s5;
                sumH[p + 6] = s6;
                sumH[p + 7] = s7;
                sumH[p + 8] = s8;
                sumH[p + 9] = s9;
                sumH[p + 10] = s10;
                sumH[p + 11] = s11;
                sumH[p + 12] = s12;
                sumH[p + 13] = s13;
                sumH[p + 14] = s14;
                sumH[p + 15] = s15;
            }
        }
    }
}
