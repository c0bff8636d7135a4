namespace NanoRnn.Tests
{
    /// <summary>
    /// One golden-vector case written by <c>python3 tools/quantize.py golden</c> (Golden/*.g.cs): a blob,
    /// its int16 inputs, and every stage of the bit-exact Python reference after every step.
    /// N = sequences, T = steps, C/H/K from the blob; all arrays are flat, row-major in that order.
    /// </summary>
    internal sealed class GoldenCase
    {
        public readonly string Name;
        public readonly int Sequences;   // N
        public readonly int Steps;       // T
        public readonly byte[] Blob;     // the .nrnn model
        public readonly short[] Input;   // [N, T, C] int16 counts
        public readonly short[] Pre;     // [N, T, 4H] gate pre-activations, Q3.12
        public readonly short[] Gates;   // [N, T, 4H] i, f, g, o activations, Q0.15
        public readonly short[] Cell;    // [N, T, H] cell state, Q(15-cf).cf
        public readonly short[] Hidden;  // [N, T, H] hidden state, Q0.15
        public readonly int[] Output;    // [N, K] head scores after the last step

        public GoldenCase(string name, int sequences, int steps, byte[] blob, short[] input, short[] pre,
            short[] gates, short[] cell, short[] hidden, int[] output)
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
        }
    }
}
