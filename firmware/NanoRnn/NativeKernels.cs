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
        /// One step of every layer, in order, each from its input and its old hidden state (as
        /// <see cref="RnnStages"/> documents the buffers): layer 0 reads input[inputOffset ..], layer l
        /// the new hidden state of layer l - 1. Every layer is checked before any is stepped.
        /// </summary>
        /// <param name="shapes">
        /// <see cref="NativeKernels.ShapeInts"/> ints per layer: the cell type (RnnModel.CellType*),
        /// LSTM cf (4..15; 0 for the other cells), the input count and H.
        /// </param>
        /// <param name="arrays">
        /// <see cref="NativeKernels.ArraysPerLayer"/> arrays per layer, with R rows: wx sbyte[R·in], wh
        /// sbyte[R·H], row-major; bias int[R] in pre-activation units; mx and mh int[R], the
        /// multipliers of the input and recurrent products at the row's shift; shift byte[R], 1..62;
        /// then what the step writes: pre short[R], gates short[R] (unused by a plain RNN), the LSTM
        /// cell short[H] (empty for the other cells) and the hidden state short[H].
        /// </param>
        /// <param name="input">Holds layer 0's inputs.</param>
        /// <param name="inputOffset">Index in <paramref name="input"/> of input 0.</param>
        void StepLayers(int[] shapes, object[] arrays, short[] input, int inputOffset);

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
        /// <summary>Ints per layer in the shapes of <see cref="INativeKernel.StepLayers"/>.</summary>
        public const int ShapeInts = 4;

        /// <summary>Arrays per layer in the arrays of <see cref="INativeKernel.StepLayers"/>.</summary>
        public const int ArraysPerLayer = 10;

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

        /// <summary>Writes <paramref name="prepared"/>'s entries of the shapes and arrays of <see cref="INativeKernel.StepLayers"/>.</summary>
        internal static void Describe(PreparedLayer prepared, int[] shapes, int shapeIndex, object[] arrays, int arrayIndex)
        {
            RnnLayer layer = prepared.Layer;
            shapes[shapeIndex] = layer.CellType;
            shapes[shapeIndex + 1] = layer.CellFracBits;
            shapes[shapeIndex + 2] = layer.InputChannels;
            shapes[shapeIndex + 3] = layer.HiddenSize;
            arrays[arrayIndex] = layer.Wx;
            arrays[arrayIndex + 1] = layer.Wh;
            arrays[arrayIndex + 2] = layer.GateBias;
            arrays[arrayIndex + 3] = layer.Mx;
            arrays[arrayIndex + 4] = layer.Mh;
            arrays[arrayIndex + 5] = layer.Shift;
            arrays[arrayIndex + 6] = prepared.Pre;
            arrays[arrayIndex + 7] = prepared.Gates;
            arrays[arrayIndex + 8] = prepared.Cell;
            arrays[arrayIndex + 9] = prepared.Hidden;
        }
    }
}
