namespace NanoRnn.Tests
{
    /// <summary>
    /// One golden-vector case written by <c>python3 tools/quantize.py golden --out tests</c>: a blob, its
    /// int16 inputs, and every stage of the bit-exact Python reference after every step. The arrays live in
    /// four nano-compiled assemblies (tests/NanoRnn.Tests.Golden/Part*); Golden/GoldenIndex.g.cs builds a case from them.
    /// N = sequences, T = steps, C/K from the blob; all arrays are flat, row-major in that order.
    /// Per-layer stages are side by side within a step, layer 0 first: ΣR = the layers' rows
    /// (LSTM, GRU 4H; RNN H), ΣH = their hidden sizes, ΣH_LSTM = the hidden sizes of the LSTM layers.
    /// </summary>
    internal sealed class GoldenCase
    {
        public readonly string Name;
        public readonly int Sequences;     // N
        public readonly int Steps;         // T
        public readonly byte[] Blob;       // the .nrnn model
        public readonly short[] Input;     // [N, T, C] int16 counts
        public readonly short[] Pre;       // [N, T, ΣR] row pre-activations
        public readonly short[] Gates;     // [N, T, ΣR] activations (RnnStages.CopyGates)
        public readonly short[] Cell;      // [N, T, ΣH_LSTM] cell state, Q(15-cf).cf
        public readonly short[] Hidden;    // [N, T, ΣH] hidden state
        public readonly int[] Output;      // [N, K] head scores after the last step
        public readonly int[] StepOutput;  // [N, T, K] head scores after every step

        public GoldenCase(string name, int sequences, int steps, byte[] blob, short[] input, short[] pre,
            short[] gates, short[] cell, short[] hidden, int[] output, int[] stepOutput)
        {
            Name = name;
            Sequences = sequences;
            Steps = steps;
            Blob = blob;
            Input = input;
            Pre = pre;
            Gates = gates;
            Cell = cell;
            Hidden = hidden;
            Output = output;
            StepOutput = stepOutput;
        }
    }
}

namespace NanoRnn.Tests.Golden
{
    internal static partial class GoldenData
    {
        /// <summary>Every case at once; the firmware tests take one at a time through Get, which keeps the heap small on a device.</summary>
        internal static GoldenCase[] All()
        {
            GoldenCase[] all = new GoldenCase[Count];
            for (int i = 0; i < all.Length; i++)
            {
                all[i] = Get(i);
            }

            return all;
        }
    }
}
