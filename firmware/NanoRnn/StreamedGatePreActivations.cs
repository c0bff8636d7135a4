namespace NanoRnn
{
    /// <summary>
    /// The gate pre-activations of <see cref="GatePreActivations"/>, bit for bit, with the int8 weight
    /// rows read from the blob (an <see cref="IBlobReader"/>) a chunk of rows at a time instead of
    /// held in RAM.
    /// </summary>
    internal static class StreamedGatePreActivations
    {
        // The same arithmetic as GatePreActivations.Compute, row for row:
        //   accx[r] = Σ_c Wx[r, c] · x[c],  acch[r] = Σ_k Wh[r, k] · h[k]                  int32, exact
        //   pre[r]  = sat16(((accx[r] · mx'[r] + acch[r] · mh'[r] + 2^(s[r]-1)) >> s[r]) + bias[r])
        //
        // Rows r0 .. r0 + n - 1 of Wx are contiguous in the blob, and so are those of Wh: a chunk costs
        // two reads, into one buffer (reused by every chunk, every layer and every step):
        //
        //   chunk [ Wx rows r0 .. r0+n-1 : n·in bytes | Wh rows r0 .. r0+n-1 : n·H bytes ]
        //
        // The bytes are int8 weights: (sbyte)b. Rows go GatePreActivations.GroupRows at a time within a
        // chunk, as in GatePreActivations (the same Dot16 and Rescale16); a chunk's last rows one at a time.
        internal static void Compute(
            IBlobReader weights, int wxOffset, int whOffset, int chunkRows, byte[] chunk,
            int[] biasQ3_12, int[] mx, int[] mh, byte[] shift,
            short[] x, int xOffset, int inputCount,
            short[] h, int hiddenCount,
            int rowCount,
            short[] preQ3_12)
        {
            for (int first = 0; first < rowCount; first += chunkRows)
            {
                int n = rowCount - first < chunkRows ? rowCount - first : chunkRows;
                int whStart = n * inputCount;           // where the chunk's Wh rows start in chunk
                weights.Read(wxOffset + first * inputCount, chunk, 0, whStart);
                weights.Read(whOffset + first * hiddenCount, chunk, whStart, n * hiddenCount);
                int end = first + n;
                int r = first;
                for (; r <= end - GatePreActivations.GroupRows; r += GatePreActivations.GroupRows)
                {
                    int g = r - first;                  // row r is row g of the chunk
                    GatePreActivations.Dot16(null, chunk, g * inputCount, inputCount, x, xOffset,
                        out int x0, out int x1, out int x2, out int x3, out int x4, out int x5, out int x6, out int x7,
                        out int x8, out int x9, out int x10, out int x11, out int x12, out int x13, out int x14, out int x15);
                    GatePreActivations.Dot16(null, chunk, whStart + g * hiddenCount, hiddenCount, h, 0,
                        out int h0, out int h1, out int h2, out int h3, out int h4, out int h5, out int h6, out int h7,
                        out int h8, out int h9, out int h10, out int h11, out int h12, out int h13, out int h14, out int h15);
                    GatePreActivations.Rescale16(
                        r, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15,
                        h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12, h13, h14, h15,
                        biasQ3_12, mx, mh, shift, preQ3_12);
                }

                for (; r < end; r++)
                {
                    int g = r - first;
                    preQ3_12[r] = GatePreActivations.Rescale(
                        Dot(chunk, g * inputCount, x, xOffset, inputCount),
                        Dot(chunk, whStart + g * hiddenCount, h, 0, hiddenCount),
                        r, biasQ3_12, mx, mh, shift);
                }
            }
        }

        // Σ_{k < n} (sbyte)w[i + k] · v[j + k], exact in int32, eight products per statement.
        private static int Dot(byte[] w, int i, short[] v, int j, int n)
        {
            int acc = 0;
            int end = j + n;
            for (int blocks = n >> 3; blocks > 0; blocks--, i += 8, j += 8)
            {
                acc += (sbyte)w[i] * v[j] + (sbyte)w[i + 1] * v[j + 1] + (sbyte)w[i + 2] * v[j + 2] + (sbyte)w[i + 3] * v[j + 3]
                    + (sbyte)w[i + 4] * v[j + 4] + (sbyte)w[i + 5] * v[j + 5] + (sbyte)w[i + 6] * v[j + 6] + (sbyte)w[i + 7] * v[j + 7];
            }

            for (; j < end; j++, i++)
            {
                acc += (sbyte)w[i] * v[j];
            }

            return acc;
        }
    }
}
