namespace NanoRnn
{
    /// <summary>
    /// The row pre-activations of any layer (LSTM, GRU, RNN) from its input and its old hidden state: the compact kernel, over the model's int8 rows.
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
        // loader has refused any row whose sum of products could leave int64. Integer sums are exact,
        // so the order of the products does not change them.
        // Every row reads the same old h; nothing here writes h.
        //
        // Rows go GroupRows at a time (Dot16 and Rescale16: three calls per group, see Dot16); the last
        // rowCount mod GroupRows rows one at a time (Dot: two calls per row).
        internal static void Compute(
            sbyte[] wx, sbyte[] wh, int[] biasQ3_12, int[] mx, int[] mh, byte[] shift,
            short[] x, int xOffset, int inputCount,
            short[] h, int hiddenCount,
            int rowCount,
            short[] preQ3_12)
        {
            int r = 0;
            for (; r <= rowCount - GroupRows; r += GroupRows)
            {
                Dot16(wx, null, r * inputCount, inputCount, x, xOffset,
                    out int x0, out int x1, out int x2, out int x3, out int x4, out int x5, out int x6, out int x7,
                    out int x8, out int x9, out int x10, out int x11, out int x12, out int x13, out int x14, out int x15);
                Dot16(wh, null, r * hiddenCount, hiddenCount, h, 0,
                    out int h0, out int h1, out int h2, out int h3, out int h4, out int h5, out int h6, out int h7,
                    out int h8, out int h9, out int h10, out int h11, out int h12, out int h13, out int h14, out int h15);
                Rescale16(
                    r, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15,
                    h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12, h13, h14, h15,
                    biasQ3_12, mx, mh, shift, preQ3_12);
            }

            for (; r < rowCount; r++)
            {
                preQ3_12[r] = Rescale(
                    Dot(wx, r * inputCount, x, xOffset, inputCount), Dot(wh, r * hiddenCount, h, 0, hiddenCount),
                    r, biasQ3_12, mx, mh, shift);
            }
        }

        /// <summary>Rows per group of <see cref="Dot16"/>; <see cref="StreamedGatePreActivations"/> groups them alike.</summary>
        internal const int GroupRows = 16;

        // s_g = Σ_{k < n} w[i + g·n + k] · v[j + k] for the sixteen rows g = 0 .. 15 that start at w[i],
        // exact in int32; the weights are w, or when w is null bytes as int8 ((sbyte)b, one more IL
        // per MAC): one copy of the loops per element type, since nanoFramework has no generics.
        //
        // Each block of eight columns loads its eight values of v once into locals for all sixteen rows,
        // and each row adds its eight products in one statement from its own running index. Per block:
        // 46 IL loading v, 16 × 64 IL of products (a product is its weight load, ldarg w; ldloc i;
        // ldc k; add; ldelem, then ldloc v; mul; add), 16 × 4 advancing the indices, 7 the loop:
        // 1141 IL for 128 MACs, 8.9 per MAC. Sixteen rows share each load of v: with eight the
        // loads are spread over half as many products. The last n mod 8 columns go one at a time,
        // about 11 IL per MAC. The call with its outs costs about 100 IL per group and part.
        internal static void Dot16(
            sbyte[] w, byte[] bytes, int i, int n, short[] v, int j,
            out int s0, out int s1, out int s2, out int s3, out int s4, out int s5, out int s6, out int s7,
            out int s8, out int s9, out int s10, out int s11, out int s12, out int s13, out int s14, out int s15)
        {
            int i0 = i, i1 = i0 + n, i2 = i1 + n, i3 = i2 + n, i4 = i3 + n, i5 = i4 + n, i6 = i5 + n, i7 = i6 + n;
            int i8 = i7 + n, i9 = i8 + n, i10 = i9 + n, i11 = i10 + n, i12 = i11 + n, i13 = i12 + n, i14 = i13 + n, i15 = i14 + n;
            int a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
            int a8 = 0, a9 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0, a15 = 0;
            int end = j + n;
            int blockEnd = j + (n & ~7);
            if (w != null)
            {
                for (; j < blockEnd; j += 8)
                {
                    int v0 = v[j], v1 = v[j + 1], v2 = v[j + 2], v3 = v[j + 3];
                    int v4 = v[j + 4], v5 = v[j + 5], v6 = v[j + 6], v7 = v[j + 7];
                    a0 += w[i0] * v0 + w[i0 + 1] * v1 + w[i0 + 2] * v2 + w[i0 + 3] * v3
                        + w[i0 + 4] * v4 + w[i0 + 5] * v5 + w[i0 + 6] * v6 + w[i0 + 7] * v7;
                    a1 += w[i1] * v0 + w[i1 + 1] * v1 + w[i1 + 2] * v2 + w[i1 + 3] * v3
                        + w[i1 + 4] * v4 + w[i1 + 5] * v5 + w[i1 + 6] * v6 + w[i1 + 7] * v7;
                    a2 += w[i2] * v0 + w[i2 + 1] * v1 + w[i2 + 2] * v2 + w[i2 + 3] * v3
                        + w[i2 + 4] * v4 + w[i2 + 5] * v5 + w[i2 + 6] * v6 + w[i2 + 7] * v7;
                    a3 += w[i3] * v0 + w[i3 + 1] * v1 + w[i3 + 2] * v2 + w[i3 + 3] * v3
                        + w[i3 + 4] * v4 + w[i3 + 5] * v5 + w[i3 + 6] * v6 + w[i3 + 7] * v7;
                    a4 += w[i4] * v0 + w[i4 + 1] * v1 + w[i4 + 2] * v2 + w[i4 + 3] * v3
                        + w[i4 + 4] * v4 + w[i4 + 5] * v5 + w[i4 + 6] * v6 + w[i4 + 7] * v7;
                    a5 += w[i5] * v0 + w[i5 + 1] * v1 + w[i5 + 2] * v2 + w[i5 + 3] * v3
                        + w[i5 + 4] * v4 + w[i5 + 5] * v5 + w[i5 + 6] * v6 + w[i5 + 7] * v7;
                    a6 += w[i6] * v0 + w[i6 + 1] * v1 + w[i6 + 2] * v2 + w[i6 + 3] * v3
                        + w[i6 + 4] * v4 + w[i6 + 5] * v5 + w[i6 + 6] * v6 + w[i6 + 7] * v7;
                    a7 += w[i7] * v0 + w[i7 + 1] * v1 + w[i7 + 2] * v2 + w[i7 + 3] * v3
                        + w[i7 + 4] * v4 + w[i7 + 5] * v5 + w[i7 + 6] * v6 + w[i7 + 7] * v7;
                    a8 += w[i8] * v0 + w[i8 + 1] * v1 + w[i8 + 2] * v2 + w[i8 + 3] * v3
                        + w[i8 + 4] * v4 + w[i8 + 5] * v5 + w[i8 + 6] * v6 + w[i8 + 7] * v7;
                    a9 += w[i9] * v0 + w[i9 + 1] * v1 + w[i9 + 2] * v2 + w[i9 + 3] * v3
                        + w[i9 + 4] * v4 + w[i9 + 5] * v5 + w[i9 + 6] * v6 + w[i9 + 7] * v7;
                    a10 += w[i10] * v0 + w[i10 + 1] * v1 + w[i10 + 2] * v2 + w[i10 + 3] * v3
                        + w[i10 + 4] * v4 + w[i10 + 5] * v5 + w[i10 + 6] * v6 + w[i10 + 7] * v7;
                    a11 += w[i11] * v0 + w[i11 + 1] * v1 + w[i11 + 2] * v2 + w[i11 + 3] * v3
                        + w[i11 + 4] * v4 + w[i11 + 5] * v5 + w[i11 + 6] * v6 + w[i11 + 7] * v7;
                    a12 += w[i12] * v0 + w[i12 + 1] * v1 + w[i12 + 2] * v2 + w[i12 + 3] * v3
                        + w[i12 + 4] * v4 + w[i12 + 5] * v5 + w[i12 + 6] * v6 + w[i12 + 7] * v7;
                    a13 += w[i13] * v0 + w[i13 + 1] * v1 + w[i13 + 2] * v2 + w[i13 + 3] * v3
                        + w[i13 + 4] * v4 + w[i13 + 5] * v5 + w[i13 + 6] * v6 + w[i13 + 7] * v7;
                    a14 += w[i14] * v0 + w[i14 + 1] * v1 + w[i14 + 2] * v2 + w[i14 + 3] * v3
                        + w[i14 + 4] * v4 + w[i14 + 5] * v5 + w[i14 + 6] * v6 + w[i14 + 7] * v7;
                    a15 += w[i15] * v0 + w[i15 + 1] * v1 + w[i15 + 2] * v2 + w[i15 + 3] * v3
                        + w[i15 + 4] * v4 + w[i15 + 5] * v5 + w[i15 + 6] * v6 + w[i15 + 7] * v7;
                    i0 += 8; i1 += 8; i2 += 8; i3 += 8; i4 += 8; i5 += 8; i6 += 8; i7 += 8;
                    i8 += 8; i9 += 8; i10 += 8; i11 += 8; i12 += 8; i13 += 8; i14 += 8; i15 += 8;
                }

                for (int t = 0; j < end; j++, t++)
                {
                    int v0 = v[j];
                    a0 += w[i0 + t] * v0; a1 += w[i1 + t] * v0; a2 += w[i2 + t] * v0; a3 += w[i3 + t] * v0;
                    a4 += w[i4 + t] * v0; a5 += w[i5 + t] * v0; a6 += w[i6 + t] * v0; a7 += w[i7 + t] * v0;
                    a8 += w[i8 + t] * v0; a9 += w[i9 + t] * v0; a10 += w[i10 + t] * v0; a11 += w[i11 + t] * v0;
                    a12 += w[i12 + t] * v0; a13 += w[i13 + t] * v0; a14 += w[i14 + t] * v0; a15 += w[i15 + t] * v0;
                }
            }
            else
            {
                for (; j < blockEnd; j += 8)
                {
                    int v0 = v[j], v1 = v[j + 1], v2 = v[j + 2], v3 = v[j + 3];
                    int v4 = v[j + 4], v5 = v[j + 5], v6 = v[j + 6], v7 = v[j + 7];
                    a0 += (sbyte)bytes[i0] * v0 + (sbyte)bytes[i0 + 1] * v1 + (sbyte)bytes[i0 + 2] * v2 + (sbyte)bytes[i0 + 3] * v3
                        + (sbyte)bytes[i0 + 4] * v4 + (sbyte)bytes[i0 + 5] * v5 + (sbyte)bytes[i0 + 6] * v6 + (sbyte)bytes[i0 + 7] * v7;
                    a1 += (sbyte)bytes[i1] * v0 + (sbyte)bytes[i1 + 1] * v1 + (sbyte)bytes[i1 + 2] * v2 + (sbyte)bytes[i1 + 3] * v3
                        + (sbyte)bytes[i1 + 4] * v4 + (sbyte)bytes[i1 + 5] * v5 + (sbyte)bytes[i1 + 6] * v6 + (sbyte)bytes[i1 + 7] * v7;
                    a2 += (sbyte)bytes[i2] * v0 + (sbyte)bytes[i2 + 1] * v1 + (sbyte)bytes[i2 + 2] * v2 + (sbyte)bytes[i2 + 3] * v3
                        + (sbyte)bytes[i2 + 4] * v4 + (sbyte)bytes[i2 + 5] * v5 + (sbyte)bytes[i2 + 6] * v6 + (sbyte)bytes[i2 + 7] * v7;
                    a3 += (sbyte)bytes[i3] * v0 + (sbyte)bytes[i3 + 1] * v1 + (sbyte)bytes[i3 + 2] * v2 + (sbyte)bytes[i3 + 3] * v3
                        + (sbyte)bytes[i3 + 4] * v4 + (sbyte)bytes[i3 + 5] * v5 + (sbyte)bytes[i3 + 6] * v6 + (sbyte)bytes[i3 + 7] * v7;
                    a4 += (sbyte)bytes[i4] * v0 + (sbyte)bytes[i4 + 1] * v1 + (sbyte)bytes[i4 + 2] * v2 + (sbyte)bytes[i4 + 3] * v3
                        + (sbyte)bytes[i4 + 4] * v4 + (sbyte)bytes[i4 + 5] * v5 + (sbyte)bytes[i4 + 6] * v6 + (sbyte)bytes[i4 + 7] * v7;
                    a5 += (sbyte)bytes[i5] * v0 + (sbyte)bytes[i5 + 1] * v1 + (sbyte)bytes[i5 + 2] * v2 + (sbyte)bytes[i5 + 3] * v3
                        + (sbyte)bytes[i5 + 4] * v4 + (sbyte)bytes[i5 + 5] * v5 + (sbyte)bytes[i5 + 6] * v6 + (sbyte)bytes[i5 + 7] * v7;
                    a6 += (sbyte)bytes[i6] * v0 + (sbyte)bytes[i6 + 1] * v1 + (sbyte)bytes[i6 + 2] * v2 + (sbyte)bytes[i6 + 3] * v3
                        + (sbyte)bytes[i6 + 4] * v4 + (sbyte)bytes[i6 + 5] * v5 + (sbyte)bytes[i6 + 6] * v6 + (sbyte)bytes[i6 + 7] * v7;
                    a7 += (sbyte)bytes[i7] * v0 + (sbyte)bytes[i7 + 1] * v1 + (sbyte)bytes[i7 + 2] * v2 + (sbyte)bytes[i7 + 3] * v3
                        + (sbyte)bytes[i7 + 4] * v4 + (sbyte)bytes[i7 + 5] * v5 + (sbyte)bytes[i7 + 6] * v6 + (sbyte)bytes[i7 + 7] * v7;
                    a8 += (sbyte)bytes[i8] * v0 + (sbyte)bytes[i8 + 1] * v1 + (sbyte)bytes[i8 + 2] * v2 + (sbyte)bytes[i8 + 3] * v3
                        + (sbyte)bytes[i8 + 4] * v4 + (sbyte)bytes[i8 + 5] * v5 + (sbyte)bytes[i8 + 6] * v6 + (sbyte)bytes[i8 + 7] * v7;
                    a9 += (sbyte)bytes[i9] * v0 + (sbyte)bytes[i9 + 1] * v1 + (sbyte)bytes[i9 + 2] * v2 + (sbyte)bytes[i9 + 3] * v3
                        + (sbyte)bytes[i9 + 4] * v4 + (sbyte)bytes[i9 + 5] * v5 + (sbyte)bytes[i9 + 6] * v6 + (sbyte)bytes[i9 + 7] * v7;
                    a10 += (sbyte)bytes[i10] * v0 + (sbyte)bytes[i10 + 1] * v1 + (sbyte)bytes[i10 + 2] * v2 + (sbyte)bytes[i10 + 3] * v3
                        + (sbyte)bytes[i10 + 4] * v4 + (sbyte)bytes[i10 + 5] * v5 + (sbyte)bytes[i10 + 6] * v6 + (sbyte)bytes[i10 + 7] * v7;
                    a11 += (sbyte)bytes[i11] * v0 + (sbyte)bytes[i11 + 1] * v1 + (sbyte)bytes[i11 + 2] * v2 + (sbyte)bytes[i11 + 3] * v3
                        + (sbyte)bytes[i11 + 4] * v4 + (sbyte)bytes[i11 + 5] * v5 + (sbyte)bytes[i11 + 6] * v6 + (sbyte)bytes[i11 + 7] * v7;
                    a12 += (sbyte)bytes[i12] * v0 + (sbyte)bytes[i12 + 1] * v1 + (sbyte)bytes[i12 + 2] * v2 + (sbyte)bytes[i12 + 3] * v3
                        + (sbyte)bytes[i12 + 4] * v4 + (sbyte)bytes[i12 + 5] * v5 + (sbyte)bytes[i12 + 6] * v6 + (sbyte)bytes[i12 + 7] * v7;
                    a13 += (sbyte)bytes[i13] * v0 + (sbyte)bytes[i13 + 1] * v1 + (sbyte)bytes[i13 + 2] * v2 + (sbyte)bytes[i13 + 3] * v3
                        + (sbyte)bytes[i13 + 4] * v4 + (sbyte)bytes[i13 + 5] * v5 + (sbyte)bytes[i13 + 6] * v6 + (sbyte)bytes[i13 + 7] * v7;
                    a14 += (sbyte)bytes[i14] * v0 + (sbyte)bytes[i14 + 1] * v1 + (sbyte)bytes[i14 + 2] * v2 + (sbyte)bytes[i14 + 3] * v3
                        + (sbyte)bytes[i14 + 4] * v4 + (sbyte)bytes[i14 + 5] * v5 + (sbyte)bytes[i14 + 6] * v6 + (sbyte)bytes[i14 + 7] * v7;
                    a15 += (sbyte)bytes[i15] * v0 + (sbyte)bytes[i15 + 1] * v1 + (sbyte)bytes[i15 + 2] * v2 + (sbyte)bytes[i15 + 3] * v3
                        + (sbyte)bytes[i15 + 4] * v4 + (sbyte)bytes[i15 + 5] * v5 + (sbyte)bytes[i15 + 6] * v6 + (sbyte)bytes[i15 + 7] * v7;
                    i0 += 8; i1 += 8; i2 += 8; i3 += 8; i4 += 8; i5 += 8; i6 += 8; i7 += 8;
                    i8 += 8; i9 += 8; i10 += 8; i11 += 8; i12 += 8; i13 += 8; i14 += 8; i15 += 8;
                }

                for (int t = 0; j < end; j++, t++)
                {
                    int v0 = v[j];
                    a0 += (sbyte)bytes[i0 + t] * v0; a1 += (sbyte)bytes[i1 + t] * v0; a2 += (sbyte)bytes[i2 + t] * v0; a3 += (sbyte)bytes[i3 + t] * v0;
                    a4 += (sbyte)bytes[i4 + t] * v0; a5 += (sbyte)bytes[i5 + t] * v0; a6 += (sbyte)bytes[i6 + t] * v0; a7 += (sbyte)bytes[i7 + t] * v0;
                    a8 += (sbyte)bytes[i8 + t] * v0; a9 += (sbyte)bytes[i9 + t] * v0; a10 += (sbyte)bytes[i10 + t] * v0; a11 += (sbyte)bytes[i11 + t] * v0;
                    a12 += (sbyte)bytes[i12 + t] * v0; a13 += (sbyte)bytes[i13 + t] * v0; a14 += (sbyte)bytes[i14 + t] * v0; a15 += (sbyte)bytes[i15 + t] * v0;
                }
            }

            s0 = a0; s1 = a1; s2 = a2; s3 = a3; s4 = a4; s5 = a5; s6 = a6; s7 = a7;
            s8 = a8; s9 = a9; s10 = a10; s11 = a11; s12 = a12; s13 = a13; s14 = a14; s15 = a15;
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

        /// <summary>
        /// pre[r + g] = <see cref="Rescale"/>(x_g, h_g, r + g) for g = 0 .. 15, written out: one call per
        /// group of rows, not one per row.
        /// </summary>
        internal static void Rescale16(
            int r, int x0, int x1, int x2, int x3, int x4, int x5, int x6, int x7,
            int x8, int x9, int x10, int x11, int x12, int x13, int x14, int x15,
            int h0, int h1, int h2, int h3, int h4, int h5, int h6, int h7,
            int h8, int h9, int h10, int h11, int h12, int h13, int h14, int h15,
            int[] biasQ3_12, int[] mx, int[] mh, byte[] shift, short[] preQ3_12)
        {
            int s;
            long v;
            s = shift[r];
            v = ((x0 * (long)mx[r] + h0 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x1 * (long)mx[r] + h1 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x2 * (long)mx[r] + h2 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x3 * (long)mx[r] + h3 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x4 * (long)mx[r] + h4 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x5 * (long)mx[r] + h5 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x6 * (long)mx[r] + h6 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x7 * (long)mx[r] + h7 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x8 * (long)mx[r] + h8 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x9 * (long)mx[r] + h9 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x10 * (long)mx[r] + h10 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x11 * (long)mx[r] + h11 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x12 * (long)mx[r] + h12 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x13 * (long)mx[r] + h13 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x14 * (long)mx[r] + h14 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
            s = shift[++r];
            v = ((x15 * (long)mx[r] + h15 * (long)mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
        }

        /// <summary>sat16(((accx · mx'[r] + acch · mh'[r] + 2^(s[r]−1)) >> s[r]) + bias[r]), one row.</summary>
        internal static short Rescale(long accx, long acch, int r, int[] biasQ3_12, int[] mx, int[] mh, byte[] shift)
        {
            int s = shift[r];
            long v = ((accx * mx[r] + acch * mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
            return (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
        }
    }
}
