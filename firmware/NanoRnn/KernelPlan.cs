using System;

namespace NanoRnn
{
    /// <summary>
    /// What a network runs, decided once when it is built: a kernel for each layer (packed, compact,
    /// streamed, reference or native), the packed weights, and for a streamed network the reader, checked to
    /// hold the model's blob, and the one buffer its layers read their weight rows into.
    /// </summary>
    internal sealed class KernelPlan
    {
        // A streamed network's check of the blob reads at least this many bytes at a time, into Chunk.
        private const int MinVerifyChunkBytes = 256;

        internal readonly PreparedLayer[] Layers;
        internal readonly IBlobReader Weights;     // streamed: where the gate weights are read from; else null
        internal readonly byte[] Chunk;            // streamed: [max over layers of rows · (in + H)]; else null
        internal readonly bool Packs;              // packed kernel asked for (layers with an odd number of rows run compact)
        internal readonly bool Reference;          // every layer and the head on the reference kernels
        internal readonly INativeKernel Native;    // every layer and the head on it; else null
        internal readonly int[] NativeShapes;      // native: ShapeInts per layer (INativeKernel.StepLayers); else null
        internal readonly object[] NativeArrays;   // native: ArraysPerLayer per layer; else null

        private KernelPlan(RnnModel model, bool packWeights, bool reference, IBlobReader weights, int chunkRows, INativeKernel native)
        {
            RnnLayer[] layers = model.Layers;
            Layers = new PreparedLayer[layers.Length];
            Packs = packWeights;
            Reference = reference;
            Native = native;
            if (native != null)
            {
                NativeShapes = new int[layers.Length * NativeKernels.ShapeInts];
                NativeArrays = new object[layers.Length * NativeKernels.ArraysPerLayer];
            }

            int bytes = MinVerifyChunkBytes;
            for (int l = 0; l < layers.Length; l++)
            {
                RnnLayer layer = layers[l];
                if (weights != null)
                {
                    int rows = chunkRows < layer.RowCount ? chunkRows : layer.RowCount;
                    int need = rows * (layer.InputChannels + layer.HiddenSize);
                    bytes = need > bytes ? need : bytes;
                    Layers[l] = new PreparedLayer(layer, PreparedLayer.KernelStreamed, null, rows);
                }
                else if (reference)
                {
                    Layers[l] = new PreparedLayer(layer, PreparedLayer.KernelReference, null, 0);
                }
                else if (native != null)
                {
                    Layers[l] = new PreparedLayer(layer, PreparedLayer.KernelNative, null, 0);
                    NativeKernels.Describe(
                        Layers[l], NativeShapes, l * NativeKernels.ShapeInts, NativeArrays, l * NativeKernels.ArraysPerLayer);
                }
                else if (packWeights && layer.RowCount % 2 == 0)
                {
                    if (!PackedGatePreActivations.CanPack(layer))
                    {
                        throw new ArgumentException(
                            "layer " + l + "'s biases and shifts are outside what the packed kernel folds exactly; use the compact kernel",
                            nameof(packWeights));
                    }

                    Layers[l] = new PreparedLayer(layer, PreparedLayer.KernelPacked, Pack(layer), 0);
                }
                else
                {
                    Layers[l] = new PreparedLayer(layer, PreparedLayer.KernelCompact, null, 0);
                }
            }

            if (weights != null)
            {
                Chunk = new byte[bytes];
                VerifyBlob(weights, model, Chunk);
                Weights = weights;
            }
        }

        /// <summary>Gate weights in RAM: packed where <paramref name="packWeights"/> and the layer allow, else compact.</summary>
        internal static KernelPlan InRam(RnnModel model, bool packWeights)
        {
            RequireGateWeights(model);
            return new KernelPlan(model, packWeights, false, null, 0, null);
        }

        /// <summary>Every layer and the head on the reference kernels (Reference/).</summary>
        internal static KernelPlan OnReference(RnnModel model)
        {
            RequireGateWeights(model);
            return new KernelPlan(model, false, true, null, 0, null);
        }

        /// <summary>Every layer and the head on <paramref name="native"/>.</summary>
        internal static KernelPlan OnNative(RnnModel model, INativeKernel native)
        {
            RequireGateWeights(model);
            return new KernelPlan(model, false, false, null, 0, native);
        }

        /// <summary>
        /// What <c>new RnnNetwork(model)</c> runs: the installed native kernel for a model with its gate
        /// weights, else packed when it fits <paramref name="budgetBytes"/> and folds exactly, else compact.
        /// </summary>
        internal static KernelPlan Default(RnnModel model, long budgetBytes)
        {
            INativeKernel native = NativeKernels.Installed;
            if (native != null && model.HasGateWeights)
            {
                return OnNative(model, native);
            }

            return InRam(model, PacksWithin(model, budgetBytes));
        }

        /// <summary>Gate weights read through <paramref name="weights"/> on every step, after checking it holds the model's blob.</summary>
        internal static KernelPlan Streamed(RnnModel model, IBlobReader weights, int chunkRows)
        {
            return new KernelPlan(model, false, false, weights, chunkRows, null);
        }

        private static void RequireGateWeights(RnnModel model)
        {
            if (!model.HasGateWeights)
            {
                throw new ArgumentException(
                    "the model was loaded without its gate weights (RnnModel.Load(blob, false) or RnnModel.Load(reader, length)); "
                    + "run it with new RnnNetwork(model, weights, chunkRows)", nameof(model));
            }
        }

        /// <summary>Whether the packed kernel is possible for <paramref name="model"/> and its packed weights take at most <paramref name="budgetBytes"/>.</summary>
        internal static bool PacksWithin(RnnModel model, long budgetBytes)
        {
            return PackedWeightBytes(model) <= budgetBytes && CanPack(model);
        }

        /// <summary>Bytes of RAM the packed gate weights of every layer with an even number of rows take.</summary>
        internal static long PackedWeightBytes(RnnModel model)
        {
            long bytes = 0;
            for (int l = 0; l < model.Layers.Length; l++)
            {
                RnnLayer layer = model.Layers[l];
                if (layer.RowCount % 2 == 0)
                {
                    bytes += PackedGatePreActivations.PackedBytes(layer.RowCount, layer.InputChannels, layer.HiddenSize);
                }
            }

            return bytes;
        }

        // Whether every layer the packed kernel would take can fold its biases exactly.
        private static bool CanPack(RnnModel model)
        {
            if (!model.HasGateWeights)
            {
                return false;
            }

            for (int l = 0; l < model.Layers.Length; l++)
            {
                RnnLayer layer = model.Layers[l];
                if (layer.RowCount % 2 == 0 && !PackedGatePreActivations.CanPack(layer))
                {
                    return false;
                }
            }

            return true;
        }

        // LSTM and GRU: pair j = rows (j, H + j), pair H + j = rows (2H + j, 3H + j), so that an LSTM
        // unit can be finished straight from its two pairs (LstmCellUpdate.ComputePacked); RNN: rows
        // (2p, 2p + 1).
        private static PackedGatePreActivations Pack(RnnLayer layer)
        {
            int[] highRow, lowRow;
            if (layer.RowCount == 4 * layer.HiddenSize)
            {
                LstmCellUpdate.LstmPairs(layer.HiddenSize, out highRow, out lowRow);
            }
            else
            {
                highRow = new int[layer.RowCount / 2];
                lowRow = new int[layer.RowCount / 2];
                for (int p = 0; p < highRow.Length; p++)
                {
                    highRow[p] = 2 * p;
                    lowRow[p] = 2 * p + 1;
                }
            }

            return new PackedGatePreActivations(
                layer.Wx, layer.Wh, layer.GateBias, layer.Mx, layer.Mh, layer.Shift,
                layer.InputChannels, layer.HiddenSize, highRow, lowRow);
        }

        // Reads the blob through weights in pieces of buffer's size and refuses it unless its
        // total_bytes and CRC-32 are those the model was loaded with.
        private static void VerifyBlob(IBlobReader weights, RnnModel model, byte[] buffer)
        {
            const string Mismatch = "the weight source does not hold the blob this model was loaded from: ";
            weights.Read(BlobLayout.TotalBytesOffset, buffer, 0, 4);
            uint total = LittleEndian.ReadUInt32(buffer, 0);
            if (total != (uint)model.BlobLength)
            {
                throw new ModelFormatException(Mismatch + "total_bytes " + total + ", expected " + model.BlobLength);
            }

            int end = model.BlobLength - BlobLayout.CrcBytes;
            uint crc = 0;
            for (int position = 0; position < end; position += buffer.Length)
            {
                int count = end - position < buffer.Length ? end - position : buffer.Length;
                weights.Read(position, buffer, 0, count);
                crc = Crc32.Append(crc, buffer, 0, count);
            }

            if (crc != model.BlobCrc)
            {
                throw new ModelFormatException(
                    Mismatch + "CRC-32 0x" + crc.ToString("X8") + ", expected 0x" + model.BlobCrc.ToString("X8"));
            }
        }
    }
}
