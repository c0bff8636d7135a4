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
        // The bytes are int8 weights: (sbyte)b. The rescales and the saturation stay inline, as in
        // GatePreActivations, because a call costs nanoCLR about ten simple instructions.
        internal static void Compute(
            IBlobReader weights, int wxOffset, int whOffset, int chunkRows, byte[] chunk,
            int[] biasQ3_12, int[] mx, int[] mh, byte[] shift,
            short[] x, int xOffset, int inputCount,
            short[] hQ0_15, int hiddenCount,
            int rowCount,
            short[] preQ3_12)
        {
            for (int first = 0; first < rowCount; first += chunkRows)
            {
                int n = rowCount - first < chunkRows ? rowCount - first : chunkRows;
                int whStart = n * inputCount;           // where the chunk's Wh rows start in chunk
                weights.Read(wxOffset + first * inputCount, chunk, 0, whStart);
                weights.Read(whOffset + first * hiddenCount, chunk, whStart, n * hiddenCount);
                int wxIndex = 0;                        // start of row r in chunk
                int whIndex = whStart;
                int end = first + n;
                for (int r = first; r < end; r++)
                {
                    long accx = Dot(chunk, wxIndex, x, xOffset, inputCount);
                    long acch = Dot(chunk, whIndex, hQ0_15, 0, hiddenCount);
                    int s = shift[r];
                    long v = ((accx * mx[r] + acch * mh[r] + (1L << (s - 1))) >> s) + biasQ3_12[r];
                    preQ3_12[r] = (short)(v > short.MaxValue ? short.MaxValue : v < short.MinValue ? short.MinValue : v);
                    wxIndex += inputCount;
                    whIndex += hiddenCount;
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
