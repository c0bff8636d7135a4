using System;

namespace NanoRnn
{
    /// <summary>
    /// The arithmetic of a layer step and of the head, computed outside the interpreter by an interop
    /// assembly compiled into the firmware (NanoRnn.Native, docs/native.md). Every method computes
    /// exactly what the reference kernels compute, bit for bit, and refuses shapes it does not take
    /// with an <see cref="ArgumentException"/> before touching any array.
    /// </summary>
    public interface INativeKernel
    {
        /// <summary>
        /// One step of one layer: pre-activations, gates, cell and hidden state, from the layer's input
        /// and its old hidden state (as <see cref="RnnStages"/> documents the buffers).
        /// </summary>
        /// <param name="cellType">One of the RnnModel.CellType* constants.</param>
        /// <param name="cellFracBits">LSTM: cf, 4..15; 0 for the other cells.</param>
        /// <param name="inputCount">Columns of <paramref name="wx"/>.</param>
        /// <param name="hiddenCount">H.</param>
        /// <param name="wx">[R·in] int8 weights, row-major.</param>
        /// <param name="wh">[R·H] int8 weights, row-major.</param>
        /// <param name="bias">[R] in pre-activation units.</param>
        /// <param name="mx">[R] multipliers of the input products at the row's shift.</param>
        /// <param name="mh">[R] multipliers of the recurrent products at the row's shift.</param>
        /// <param name="shift">[R] the row's one right shift, 1..62.</param>
        /// <param name="input">Holds the layer's inputs.</param>
        /// <param name="inputOffset">Index in <paramref name="input"/> of input 0.</param>
        /// <param name="pre">[R] receives the pre-activations.</param>
        /// <param name="gates">[R] receives the gates; for a plain RNN, the hidden array itself.</param>
        /// <param name="cell">[H] the LSTM cell state, updated; empty for the other cells.</param>
        /// <param name="hidden">[H] the hidden state, updated.</param>
        void StepLayer(
            int cellType, int cellFracBits, int inputCount, int hiddenCount,
            sbyte[] wx, sbyte[] wh, int[] bias, int[] mx, int[] mh, byte[] shift,
            short[] input, int inputOffset, short[] pre, short[] gates, short[] cell, short[] hidden);

        /// <summary>The output Linear: scores[k] = sat32(rescale(Σ W[k, j] · v[j], m[k], s[k]) + bias[k]).</summary>
        /// <param name="w">[rows·columns] int8 weights, row-major.</param>
        /// <param name="bias">[rows] biases.</param>
        /// <param name="multiplier">[rows] multipliers.</param>
        /// <param name="shift">[rows] shifts, 1..62.</param>
        /// <param name="v">[columns] the last hidden state or the MLP's units.</param>
        /// <param name="columns">Inputs of the Linear.</param>
        /// <param name="rows">K.</param>
        /// <param name="output">Receives K scores.</param>
        /// <param name="outputOffset">Index in <paramref name="output"/> of class 0.</param>
        void Linear(sbyte[] w, int[] bias, int[] multiplier, byte[] shift, short[] v, int columns, int rows, int[] output, int outputOffset);

        /// <summary>An MLP head's first Linear and its ReLU: u[m] = max(0, sat16(rescale(Σ W[m, j] · v[j], m[m], s[m]) + bias[m])).</summary>
        /// <param name="w">[rows·columns] int8 weights, row-major.</param>
        /// <param name="bias">[rows] biases.</param>
        /// <param name="multiplier">[rows] multipliers.</param>
        /// <param name="shift">[rows] shifts, 1..62.</param>
        /// <param name="v">[columns] the last hidden state.</param>
        /// <param name="columns">Inputs of the Linear.</param>
        /// <param name="rows">M.</param>
        /// <param name="units">Receives M units.</param>
        void LinearRelu(sbyte[] w, int[] bias, int[] multiplier, byte[] shift, short[] v, int columns, int rows, short[] units);
    }

    /// <summary>
    /// Where an interop assembly installs its <see cref="INativeKernel"/>. Once one is installed,
    /// <see cref="RnnNetwork(RnnModel)"/> runs every layer and the head natively for a model loaded
    /// with its gate weights; the constructors that name a kernel keep it.
    /// </summary>
    public static class NativeKernels
    {
        private static INativeKernel installed;

        /// <summary>The installed kernel, or null on a firmware without one.</summary>
        public static INativeKernel Installed
        {
            get { return installed; }
        }

        /// <summary>Installs <paramref name="kernel"/> for every network built from now on.</summary>
        /// <param name="kernel">The native kernel.</param>
        /// <exception cref="ArgumentNullException"><paramref name="kernel"/> is null.</exception>
        public static void Install(INativeKernel kernel)
        {
            if (kernel == null)
            {
                throw new ArgumentNullException(nameof(kernel));
            }

            installed = kernel;
        }
    }
}
