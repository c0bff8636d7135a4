namespace NanoRnn
{
    /// <summary>
    /// The integer helpers of docs/model-format.md ("Integer helpers"), bit for bit as the Python
    /// reference (tools/nanornn/fixedpoint.py). Shifts are arithmetic (toward minus infinity); adding
    /// half first makes every rounding "half up". A shift count always counts right shifts.
    /// </summary>
    /// <remarks>
    /// These run in the per-sample path, so they check nothing: the loader has already refused any
    /// shift outside 1..62 and any negative multiplier. Outside the stated ranges the result is
    /// unspecified, but no exception is thrown.
    /// </remarks>
    public static class FixedPoint
    {
        /// <summary>Largest int16.</summary>
        public const int Int16Max = 32767;

        /// <summary>Smallest int16.</summary>
        public const int Int16Min = -32768;

        /// <summary>Fractional bits of a gate pre-activation (Q3.12).</summary>
        public const int GateFracBits = 12;

        /// <summary>Fractional bits of an activation and of the hidden state (Q0.15).</summary>
        public const int StateFracBits = 15;

        /// <summary>rshr(v, n) = (v + 2^(n-1)) &gt;&gt; n: v · 2^-n rounded half up.</summary>
        /// <param name="value">The value; value + 2^(shift-1) must fit in int32, as it does for every product of two int16 and shift ≤ 30.</param>
        /// <param name="shift">Right shifts, 1..31.</param>
        /// <returns>The rounded quotient, e.g. 3 → 2 and -3 → -1 for shift 1.</returns>
        public static int RoundingShiftRight(int value, int shift)
        {
            return (value + (1 << (shift - 1))) >> shift;
        }

        /// <summary>rshr(v, n) = (v + 2^(n-1)) &gt;&gt; n in int64.</summary>
        /// <param name="value">The value; value + 2^(shift-1) must fit in int64.</param>
        /// <param name="shift">Right shifts, 1..63.</param>
        /// <returns>The rounded quotient.</returns>
        public static long RoundingShiftRight(long value, int shift)
        {
            return (value + (1L << (shift - 1))) >> shift;
        }

        /// <summary>
        /// rescale(acc, m, s) = (int64(acc) · m + 2^(s-1)) &gt;&gt; s: acc times the real factor m · 2^-s,
        /// rounded half up. Cannot overflow: |acc · m| &lt; 2^62.
        /// </summary>
        /// <param name="acc">An int32 accumulator.</param>
        /// <param name="multiplier">m, 0 .. 2^31 - 1.</param>
        /// <param name="shift">s, right shifts, 1..62.</param>
        /// <returns>The rescaled value in int64 (not saturated).</returns>
        public static long Rescale(int acc, int multiplier, int shift)
        {
            return ((long)acc * multiplier + (1L << (shift - 1))) >> shift;
        }

        /// <summary>
        /// rescale_sum(ax, mx, ah, mh, s) = (int64(ax) · mx + int64(ah) · mh + 2^(s-1)) &gt;&gt; s: a gate
        /// row's input and recurrent products under one rounding (docs/model-format.md, "Row pre-activations").
        /// </summary>
        /// <param name="accx">The input accumulator.</param>
        /// <param name="multiplierX">Its multiplier at <paramref name="shift"/>, 0 .. 2^31 - 1.</param>
        /// <param name="acch">The recurrent accumulator.</param>
        /// <param name="multiplierH">Its multiplier at <paramref name="shift"/>, 0 .. 2^31 - 1.</param>
        /// <param name="shift">s, right shifts, 1..62.</param>
        /// <returns>The rescaled sum in int64 (not saturated); the loader has refused any row where it could overflow.</returns>
        public static long RescaleSum(int accx, int multiplierX, int acch, int multiplierH, int shift)
        {
            return ((long)accx * multiplierX + (long)acch * multiplierH + (1L << (shift - 1))) >> shift;
        }

        /// <summary>sat16(v) = min(max(v, -32768), 32767).</summary>
        /// <param name="value">Any int32.</param>
        /// <returns>The nearest int16.</returns>
        public static short Saturate16(int value)
        {
            if (value > Int16Max)
            {
                return Int16Max;
            }

            if (value < Int16Min)
            {
                return Int16Min;
            }

            return (short)value;
        }

        /// <summary>sat16(v) = min(max(v, -32768), 32767) for an int64.</summary>
        /// <param name="value">Any int64.</param>
        /// <returns>The nearest int16.</returns>
        public static short Saturate16(long value)
        {
            if (value > Int16Max)
            {
                return Int16Max;
            }

            if (value < Int16Min)
            {
                return Int16Min;
            }

            return (short)value;
        }

        /// <summary>sat32(v) = min(max(v, -2^31), 2^31 - 1).</summary>
        /// <param name="value">Any int64.</param>
        /// <returns>The nearest int32.</returns>
        public static int Saturate32(long value)
        {
            if (value > int.MaxValue)
            {
                return int.MaxValue;
            }

            if (value < int.MinValue)
            {
                return int.MinValue;
            }

            return (int)value;
        }

        /// <summary>
        /// Re-expresses a Q(15-n).n int16 in Q3.12:
        /// n &gt; 12 ? rshr(v, n - 12) : n == 12 ? v : sat16(v &lt;&lt; (12 - n)).
        /// This is how the cell state (n = cell_frac_bits) reaches tanh.
        /// </summary>
        /// <param name="value">The Q(15-n).n value.</param>
        /// <param name="fracBits">n, 0..15.</param>
        /// <returns>The value in Q3.12, saturated.</returns>
        public static short ToQ3_12(short value, int fracBits)
        {
            if (fracBits > GateFracBits)
            {
                return (short)RoundingShiftRight(value, fracBits - GateFracBits);
            }

            if (fracBits == GateFracBits)
            {
                return value;
            }

            return Saturate16(value << (GateFracBits - fracBits));
        }
    }
}
