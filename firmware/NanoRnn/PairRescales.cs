namespace NanoRnn
{
    /// <summary>
    /// The rescale constants of one half of every pair of a <see cref="PackedGatePreActivations"/>,
    /// indexed by pair, so that a kernel finishing a unit from its two pairs needs one index per pair.
    /// </summary>
    internal sealed class PairRescales
    {
        internal readonly long[] Mx;         // mx' at the row's shift, widened once
        internal readonly long[] Mh;         // mh'
        internal readonly long[] K;          // 2^(s - 1) + bias · 2^s
        internal readonly long[] Ku;         // 2^(s - 1) + (bias + 32768) · 2^s: the result lands on the activation tables' origin
        internal readonly int[] S;           // the row's shift

        /// <param name="rows">The row of each pair's half.</param>
        /// <param name="mx">Per row multipliers and shift (<see cref="RnnLayer.CommonShift"/>) ...</param>
        /// <param name="mh">...</param>
        /// <param name="shift">...</param>
        /// <param name="biasQ3_12">... and bias, in the layer's row order.</param>
        internal PairRescales(int[] rows, int[] mx, int[] mh, byte[] shift, int[] biasQ3_12)
        {
            int pairs = rows.Length;
            Mx = new long[pairs];
            Mh = new long[pairs];
            K = new long[pairs];
            Ku = new long[pairs];
            S = new int[pairs];
            for (int p = 0; p < pairs; p++)
            {
                int r = rows[p];
                Mx[p] = mx[r];
                Mh[p] = mh[r];
                S[p] = shift[r];
                K[p] = (1L << (S[p] - 1)) + ((long)biasQ3_12[r] << S[p]);
                Ku[p] = K[p] + ((long)Activation.TableOrigin << S[p]);
            }
        }

        /// <summary>sat16(((accx · mx' + acch · mh' + 2^(s − 1)) &gt;&gt; s) + bias) of pair p's row.</summary>
        internal short Pre(long accx, long acch, int p)
        {
            long value = (accx * Mx[p] + acch * Mh[p] + K[p]) >> S[p];
            return (short)(value > short.MaxValue ? short.MaxValue : value < short.MinValue ? short.MinValue : value);
        }
    }
}
