namespace NanoRnn
{
    /// <summary>
    /// Sigmoid and tanh of a Q3.12 int16, in Q0.15, from 513-entry tables sampled every 1/32 on
    /// [-8, 8] with linear interpolation between neighbours (docs/model-format.md, "Activation tables").
    /// </summary>
    public static class Activation
    {
        // A table step is 1/32 = 2^7 units of Q3.12; interpolating between two points rounds half up.
        internal const int StepShift = 7;
        internal const int StepMask = (1 << StepShift) - 1;
        internal const int StepHalf = 1 << (StepShift - 1);

        // Offset that maps Q3.12 -32768 (x = -8, the tables' first point) to 0: pre + TableOrigin indexes them.
        internal const int TableOrigin = 32768;

        /// <summary>σ(x) = 1 / (1 + e^-x).</summary>
        /// <param name="preQ3_12">x in Q3.12 (-8 .. 8); every int16 is valid.</param>
        /// <returns>σ(x) in Q0.15, 11 .. 32757. Never throws.</returns>
        public static short Sigmoid(short preQ3_12)
        {
            return Interpolate(ActivationTables.Sigmoid, ActivationTables.SigmoidSlope, preQ3_12);
        }

        /// <summary>tanh(x).</summary>
        /// <param name="preQ3_12">x in Q3.12 (-8 .. 8); every int16 is valid.</param>
        /// <returns>tanh(x) in Q0.15, -32768 .. 32767. Never throws.</returns>
        public static short Tanh(short preQ3_12)
        {
            return Interpolate(ActivationTables.Tanh, ActivationTables.TanhSlope, preQ3_12);
        }

        // u = v + 32768                 0 .. 65535
        // k = u >> 7                    0 .. 511
        // t = u & 127                   position between x_k and x_k+1, in 1/128ths
        // act(v) = T[k] + rshr(D[k] · t, 7), D[k] = T[k+1] - T[k]
        // The result lies between T[k] and T[k+1], so it is an int16. The kernels write this out inline.
        internal static short Interpolate(short[] table, short[] slope, int preQ3_12)
        {
            int u = preQ3_12 + TableOrigin;
            int k = u >> StepShift;
            return (short)(table[k] + ((slope[k] * (u & StepMask) + StepHalf) >> StepShift));
        }
    }
}
