namespace NanoRnn
{
    /// <summary>
    /// Sigmoid and tanh of a Q3.12 int16, in Q0.15, from 513-entry tables sampled every 1/32 on
    /// [-8, 8] with linear interpolation between neighbours (docs/model-format.md, "Activation tables").
    /// </summary>
    public static class Activation
    {
        // A table step is 1/32 = 2^7 units of Q3.12.
        private const int StepShift = 7;
        private const int StepMask = (1 << StepShift) - 1;

        // Offset that maps Q3.12 -32768 (x = -8, the table's first point) to 0.
        private const int TableOrigin = 32768;

        /// <summary>σ(x) = 1 / (1 + e^-x).</summary>
        /// <param name="preQ3_12">x in Q3.12 (-8 .. 8); every int16 is valid.</param>
        /// <returns>σ(x) in Q0.15, 11 .. 32757. Never throws.</returns>
        public static short Sigmoid(short preQ3_12)
        {
            return Interpolate(ActivationTables.Sigmoid, preQ3_12);
        }

        /// <summary>tanh(x).</summary>
        /// <param name="preQ3_12">x in Q3.12 (-8 .. 8); every int16 is valid.</param>
        /// <returns>tanh(x) in Q0.15, -32768 .. 32767. Never throws.</returns>
        public static short Tanh(short preQ3_12)
        {
            return Interpolate(ActivationTables.Tanh, preQ3_12);
        }

        // u = v + 32768                 0 .. 65535
        // k = u >> 7                    0 .. 511
        // t = u & 127                   position between x_k and x_k+1, in 1/128ths
        // act(v) = T[k] + rshr((T[k+1] - T[k]) · t, 7)
        // The result lies between T[k] and T[k+1], so it is an int16.
        internal static short Interpolate(short[] table, int preQ3_12)
        {
            int u = preQ3_12 + TableOrigin;
            int k = u >> StepShift;
            int t = u & StepMask;
            int low = table[k];
            return (short)(low + FixedPoint.RoundingShiftRight((table[k + 1] - low) * t, StepShift));
        }
    }
}
