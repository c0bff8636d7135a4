using System;

namespace NanoRnn
{
    /// <summary>
    /// The running state of one <see cref="RnnModel"/>: feed it one sample per time step with
    /// <see cref="Step"/>, read the class scores with <see cref="ComputeOutput"/>. Integer-only and
    /// allocation-free after construction. Not thread-safe; use one network per thread.
    /// </summary>
    public sealed class RnnNetwork
    {
        // Buffers, allocated once, one set per layer l. R = rows of the layer (RnnLayer):
        //
        //   LSTM  pre [ i | f | g | o ] Q3.12      gates [ σ(i) | σ(f) | tanh(g) | σ(o) ] Q0.15
        //         cell [ c_0 .. c_H-1 ] Q(15-cf).cf
        //   GRU   pre [ r | z | n_x | n_h ] Q3.12  gates [ σ(r) | σ(z) | n Q0.15 | r ⊙ n_h Q3.12 ]
        //         cell: empty
        //   RNN   pre [ H ] Q3.12 (relu: h's scale) gates: the hidden array itself; cell: empty
        //
        //   hidden [ h_0 .. h_H-1 ] Q0.15 (RNN-relu: hidden_scale); layer l + 1 reads it as its input.
        //
        // pre and gates are outputs of the last step, kept so tests and tools can inspect them while
        // RecordStages is true (the packed kernels skip them otherwise; the others always write them).
        private readonly RnnLayer[] layers;
        private readonly short[][] preQ3_12;
        private readonly short[][] gatesQ0_15;
        private readonly short[][] cellQ;
        private readonly short[][] hiddenQ0_15;
        private readonly short[] mlpUnits;     // MLP head: the intermediate u, [M]; null for a linear head

        // Per layer: packed (fast, 4 bytes per weight) or null: the compact kernel over the model's int8
        // rows, or (weights not null) the streamed kernel over the blob's.
        private readonly PackedGatePreActivations[] packed;
        private readonly bool packWeights;

        // Streamed: where the gate weights are read from, rows per read (per layer, at most its R) and the
        // one buffer every layer reads its chunks into, [max over layers of rows · (in + H)]. Else null.
        private readonly IBlobReader weights;
        private readonly int[] chunkRows;
        private readonly byte[] chunk;

        // The constructor's check of the blob reads at least this many bytes at a time, into chunk.
        private const int MinVerifyChunkBytes = 256;

        private readonly int inputCount;
        private readonly int classCount;
        private bool recordStages;

        /// <summary>
        /// Default budget for packed weights: models whose packed gate weights fit in it get the fast
        /// kernel (see <see cref="UsesPackedWeights"/>); larger ones the compact one.
        /// </summary>
        public const int DefaultPackedWeightBudget = 32 * 1024;

        /// <summary>
        /// Creates a network with zero state for <paramref name="model"/>, with packed weights when
        /// they take at most <see cref="DefaultPackedWeightBudget"/> bytes. Allocates every buffer now.
        /// </summary>
        /// <param name="model">A loaded model; it may be shared by several networks.</param>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        public RnnNetwork(RnnModel model)
            : this(model, model != null && PacksWithin(model, DefaultPackedWeightBudget))
        {
        }

        /// <summary>
        /// Whether <see cref="RnnNetwork(RnnModel, bool)"/> with true is possible for
        /// <paramref name="model"/> and its packed weights take at most <paramref name="budgetBytes"/>:
        /// the model has its gate weights and every layer's biases fold exactly. The default
        /// constructor asks this with <see cref="DefaultPackedWeightBudget"/>; an application that
        /// knows its free heap can ask with a share of it.
        /// </summary>
        /// <param name="model">A loaded model.</param>
        /// <param name="budgetBytes">The most RAM the packed weights may take (<see cref="PackedWeightBytes"/>).</param>
        /// <returns>True if the packed kernel fits and folds exactly.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        public static bool PacksWithin(RnnModel model, long budgetBytes)
        {
            return PackedWeightBytes(model) <= budgetBytes && CanPack(model);
        }

        /// <summary>
        /// Creates a network with zero state for <paramref name="model"/>, choosing the kernel.
        /// Both kernels compute the same numbers, bit for bit.
        /// </summary>
        /// <param name="model">A loaded model; it may be shared by several networks.</param>
        /// <param name="packWeights">True: gate weights packed two rows to an int64 (two to two and a half times
        /// fewer interpreted instructions per step than the compact kernel, docs/performance.md;
        /// <see cref="PackedWeightBytes"/> more RAM). A plain RNN layer of odd H (an odd number of
        /// rows) always runs the compact kernel. False: the model's int8 weights are used as they are.</param>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="packWeights"/> is true for a model whose
        /// biases and shifts the packed kernel cannot fold exactly (none that tools/quantize.py writes);
        /// or the model was loaded without its gate weights (use <see cref="RnnNetwork(RnnModel, IBlobReader, int)"/>).</exception>
        public RnnNetwork(RnnModel model, bool packWeights)
            : this(model, packWeights, false)
        {
        }

        /// <summary>
        /// Creates a network with zero state for <paramref name="model"/> that reads the gate weights
        /// from the blob through <paramref name="weights"/> on every step, <paramref name="chunkRows"/>
        /// rows per read, instead of holding them in RAM (the compact kernel's arithmetic, bit for bit;
        /// its cost: docs/performance.md). For a model loaded with <see cref="RnnModel.Load(byte[], bool)"/>
        /// and false; a model with its weights works too (they are then not used). Before returning it
        /// reads the whole blob once through <paramref name="weights"/> and checks that it is the one
        /// the model was loaded from.
        /// </summary>
        /// <param name="model">A loaded model; it may be shared by several networks.</param>
        /// <param name="weights">Reads the blob <paramref name="model"/> was loaded from. Kept and used by every <see cref="Step"/>.</param>
        /// <param name="chunkRows">Weight rows per read, ≥ 1; a layer with fewer rows reads all of them at
        /// once. The network holds one buffer of chunkRows · (inputs + H) bytes of the widest layer.</param>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="weights"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkRows"/> is less than 1.</exception>
        /// <exception cref="ModelFormatException"><paramref name="weights"/> does not hold that blob: its
        /// total_bytes or its CRC-32 differs (the message gives both values).</exception>
        /// <remarks>Whatever <paramref name="weights"/> throws (e.g. reading past its end) is not caught.</remarks>
        public RnnNetwork(RnnModel model, IBlobReader weights, int chunkRows)
            : this(model, false, true)
        {
            if (weights == null)
            {
                throw new ArgumentNullException(nameof(weights));
            }

            if (chunkRows < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(chunkRows), "chunkRows " + chunkRows + " is less than 1");
            }

            this.chunkRows = new int[layers.Length];
            int bytes = MinVerifyChunkBytes;
            for (int l = 0; l < layers.Length; l++)
            {
                RnnLayer layer = layers[l];
                int rows = chunkRows < layer.RowCount ? chunkRows : layer.RowCount;
                this.chunkRows[l] = rows;
                int need = rows * (layer.InputChannels + layer.HiddenSize);
                bytes = need > bytes ? need : bytes;
            }

            chunk = new byte[bytes];
            VerifyBlob(weights, model, chunk);
            this.weights = weights;
        }

        // Shared by the public constructors; streamed: the gate weights come from a reader, so the model need not have them.
        private RnnNetwork(RnnModel model, bool packWeights, bool streamed)
        {
            if (model == null)
            {
                throw new ArgumentNullException(nameof(model));
            }

            if (!streamed && !model.HasGateWeights)
            {
                throw new ArgumentException(
                    "the model was loaded without its gate weights (RnnModel.Load(blob, false) or RnnModel.Load(reader, length)); "
                    + "run it with new RnnNetwork(model, weights, chunkRows)", nameof(model));
            }

            Model = model;
            layers = model.Layers;
            inputCount = model.InputChannels;
            classCount = model.ClassCount;
            this.packWeights = packWeights;
            int count = layers.Length;
            preQ3_12 = new short[count][];
            gatesQ0_15 = new short[count][];
            cellQ = new short[count][];
            hiddenQ0_15 = new short[count][];
            packed = new PackedGatePreActivations[count];
            for (int l = 0; l < count; l++)
            {
                RnnLayer layer = layers[l];
                int h = layer.HiddenSize;
                preQ3_12[l] = new short[layer.RowCount];
                hiddenQ0_15[l] = new short[h];
                bool recurrentOnly = layer.CellType == RnnModel.CellTypeRnnTanh || layer.CellType == RnnModel.CellTypeRnnRelu;
                gatesQ0_15[l] = recurrentOnly ? hiddenQ0_15[l] : new short[layer.RowCount];
                cellQ[l] = new short[layer.CellType == RnnModel.CellTypeLstm ? h : 0];
                if (packWeights && layer.RowCount % 2 == 0)
                {
                    if (!PackedGatePreActivations.CanPack(layer))
                    {
                        throw new ArgumentException(
                            "layer " + l + "'s biases and shifts are outside what the packed kernel folds exactly; use the compact kernel",
                            nameof(packWeights));
                    }

                    packed[l] = Pack(layer);
                }
            }

            if (model.Mlp != null)
            {
                mlpUnits = new short[model.Mlp.Rows];
            }
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
                layer.Wx, layer.Wh, layer.GateBiasQ3_12, layer.Mx, layer.Mh, layer.Shift,
                layer.InputChannels, layer.HiddenSize, highRow, lowRow);
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

        /// <summary>Bytes of RAM the packed gate weights of <paramref name="model"/> take (8 per pair of rows and column, rounded up to whole passes of 16 pairs and blocks of 8 columns; every layer with an even number of rows).</summary>
        /// <param name="model">A loaded model.</param>
        /// <returns>The size in bytes.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        public static long PackedWeightBytes(RnnModel model)
        {
            if (model == null)
            {
                throw new ArgumentNullException(nameof(model));
            }

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

        /// <summary>
        /// Reads the blob through <paramref name="weights"/> in pieces of <paramref name="buffer"/>'s
        /// size and refuses it unless its total_bytes and CRC-32 are those <paramref name="model"/> was loaded with.
        /// </summary>
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

        /// <summary>Whether this network reads its gate weights through an <see cref="IBlobReader"/> on every step.</summary>
        public bool StreamsWeights
        {
            get { return weights != null; }
        }

        /// <summary>Whether this network packs its gate weights (every layer with an even number of rows).</summary>
        public bool UsesPackedWeights
        {
            get { return packWeights; }
        }

        /// <summary>
        /// Whether each <see cref="Step"/> keeps its pre-activations and gates for
        /// <see cref="CopyPreActivations(int, short[], int)"/> and <see cref="CopyGates(int, short[], int)"/>.
        /// False (the default): the packed kernel finishes each unit straight from its sums and writes
        /// neither (docs/performance.md gives what that saves). True: every layer writes both; h, c and
        /// the scores are the same, bit for bit. Changing it clears the kept values.
        /// </summary>
        public bool RecordStages
        {
            get
            {
                return recordStages;
            }

            set
            {
                if (value != recordStages)
                {
                    for (int l = 0; l < layers.Length; l++)
                    {
                        Array.Clear(preQ3_12[l], 0, preQ3_12[l].Length);
                        if (gatesQ0_15[l] != hiddenQ0_15[l])
                        {
                            Array.Clear(gatesQ0_15[l], 0, gatesQ0_15[l].Length);
                        }
                    }
                }

                recordStages = value;
            }
        }

        /// <summary>The model this network runs.</summary>
        public RnnModel Model { get; }

        /// <summary>Starts a new sequence: every layer's h = c = 0 (and the last step's pre-activations and gates are cleared).</summary>
        public void Reset()
        {
            for (int l = 0; l < layers.Length; l++)
            {
                Array.Clear(preQ3_12[l], 0, preQ3_12[l].Length);
                Array.Clear(gatesQ0_15[l], 0, gatesQ0_15[l].Length);
                Array.Clear(cellQ[l], 0, cellQ[l].Length);
                Array.Clear(hiddenQ0_15[l], 0, hiddenQ0_15[l].Length);
            }
        }

        /// <summary>Advances every layer by one time step. Allocates nothing.</summary>
        /// <param name="sample">Holds the <see cref="RnnModel.InputChannels"/> int16 inputs (raw counts) of this step.</param>
        /// <param name="offset">Index in <paramref name="sample"/> of channel 0.</param>
        /// <exception cref="ArgumentNullException"><paramref name="sample"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">sample[offset .. offset + C) does not exist.</exception>
        public void Step(short[] sample, int offset)
        {
            ArgumentChecks.CheckRange(sample, offset, inputCount, nameof(sample));
            StepUnchecked(sample, offset);
        }

        /// <summary>
        /// Computes the class scores from the current hidden state of the last layer. Allocates
        /// nothing. Call it after any step: after the last one for a whole-sequence classifier, after
        /// every one for sequence labelling (<see cref="RnnModel.HeadOnEveryStep"/>).
        /// </summary>
        /// <param name="output">Receives <see cref="RnnModel.ClassCount"/> int32 scores; logit = score · <see cref="RnnModel.OutputScale"/>.</param>
        /// <param name="offset">Index in <paramref name="output"/> of class 0.</param>
        /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">output[offset .. offset + K) does not exist.</exception>
        public void ComputeOutput(int[] output, int offset)
        {
            ArgumentChecks.CheckRange(output, offset, classCount, nameof(output));
            ComputeOutputUnchecked(output, offset);
        }

        /// <summary>
        /// Classifies one whole sequence: <see cref="Reset"/>, <paramref name="steps"/> × <see cref="Step"/>,
        /// then <see cref="ComputeOutput"/>. Every argument is checked before the state changes.
        /// </summary>
        /// <param name="samples">steps × C int16 values, time-major (step t, channel c at offset + t·C + c).</param>
        /// <param name="offset">Index in <paramref name="samples"/> of step 0, channel 0.</param>
        /// <param name="steps">Number of time steps, ≥ 0 (0 gives the scores of the zero state).</param>
        /// <param name="output">Receives K int32 scores.</param>
        /// <param name="outputOffset">Index in <paramref name="output"/> of class 0.</param>
        /// <exception cref="ArgumentNullException"><paramref name="samples"/> or <paramref name="output"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is negative, or a range does not exist.</exception>
        public void Run(short[] samples, int offset, int steps, int[] output, int outputOffset)
        {
            if (steps < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(steps), "steps " + steps + " is negative");
            }

            long needed = (long)steps * inputCount;
            if (samples != null && needed > samples.Length)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(steps), steps + " steps of " + inputCount + " channels need " + needed
                    + " values, but samples has " + samples.Length);
            }

            ArgumentChecks.CheckRange(samples, offset, (int)needed, nameof(samples));
            ArgumentChecks.CheckRange(output, outputOffset, classCount, nameof(output));

            Reset();
            int index = offset;
            for (int t = 0; t < steps; t++)
            {
                StepUnchecked(samples, index);
                index += inputCount;
            }

            ComputeOutputUnchecked(output, outputOffset);
        }

        /// <summary>Copies the last step's gate pre-activations of the last layer (see the layer overload).</summary>
        /// <param name="destination">Receives R values of the last layer (LSTM, GRU: 4H; RNN: H).</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range does not exist.</exception>
        public void CopyPreActivations(short[] destination, int offset)
        {
            CopyStage(preQ3_12[layers.Length - 1], destination, offset);
        }

        /// <summary>
        /// Copies the last step's pre-activations of a layer: LSTM rows i, f, g, o (Q3.12, H each);
        /// GRU rows r, z, n_x, n_h (Q3.12); RNN H rows (tanh: Q3.12; relu: the hidden state's scale).
        /// </summary>
        /// <param name="layer">0 .. <see cref="RnnModel.LayerCount"/> - 1.</param>
        /// <param name="destination">Receives the layer's R values.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer, or the range does not exist.</exception>
        public void CopyPreActivations(int layer, short[] destination, int offset)
        {
            CopyStage(preQ3_12[CheckLayer(layer)], destination, offset);
        }

        /// <summary>Copies the last step's gate activations of the last layer (see the layer overload).</summary>
        /// <param name="destination">Receives R values of the last layer.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range does not exist.</exception>
        public void CopyGates(short[] destination, int offset)
        {
            CopyStage(gatesQ0_15[layers.Length - 1], destination, offset);
        }

        /// <summary>
        /// Copies the last step's gate activations of a layer: LSTM σ(i), σ(f), tanh(g), σ(o) (Q0.15,
        /// H each); GRU σ(r), σ(z), n (Q0.15) and r ⊙ n_h (Q3.12); RNN the new hidden state.
        /// </summary>
        /// <param name="layer">0 .. <see cref="RnnModel.LayerCount"/> - 1.</param>
        /// <param name="destination">Receives the layer's R values.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer, or the range does not exist.</exception>
        public void CopyGates(int layer, short[] destination, int offset)
        {
            CopyStage(gatesQ0_15[CheckLayer(layer)], destination, offset);
        }

        /// <summary>Copies the cell state c of the last layer, Q(15-cf).cf (nothing for a GRU or RNN layer).</summary>
        /// <param name="destination">Receives H values for an LSTM layer, none otherwise.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range does not exist.</exception>
        public void CopyCell(short[] destination, int offset)
        {
            Copy(cellQ[layers.Length - 1], destination, offset);
        }

        /// <summary>Copies the cell state c of a layer, Q(15-cf).cf with cf = <see cref="RnnModel.GetCellFracBits"/> (nothing for a GRU or RNN layer).</summary>
        /// <param name="layer">0 .. <see cref="RnnModel.LayerCount"/> - 1.</param>
        /// <param name="destination">Receives H values for an LSTM layer, none otherwise.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer, or the range does not exist.</exception>
        public void CopyCell(int layer, short[] destination, int offset)
        {
            Copy(cellQ[CheckLayer(layer)], destination, offset);
        }

        /// <summary>Copies the hidden state h of the last layer, Q0.15 (RNN-relu: its hidden_scale).</summary>
        /// <param name="destination">Receives <see cref="RnnModel.HiddenSize"/> values.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range does not exist.</exception>
        public void CopyHidden(short[] destination, int offset)
        {
            Copy(hiddenQ0_15[layers.Length - 1], destination, offset);
        }

        /// <summary>Copies the hidden state h of a layer, Q0.15 (RNN-relu: its hidden_scale).</summary>
        /// <param name="layer">0 .. <see cref="RnnModel.LayerCount"/> - 1.</param>
        /// <param name="destination">Receives <see cref="RnnModel.GetHiddenSize"/> values.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer, or the range does not exist.</exception>
        public void CopyHidden(int layer, short[] destination, int offset)
        {
            Copy(hiddenQ0_15[CheckLayer(layer)], destination, offset);
        }

        /// <summary>The index of the largest value; the first one on ties (as NumPy's argmax).</summary>
        /// <param name="values">The values, e.g. the scores from <see cref="ComputeOutput"/>.</param>
        /// <param name="offset">Index of the first value considered.</param>
        /// <param name="count">Number of values considered, ≥ 1.</param>
        /// <returns>0 .. count - 1, relative to <paramref name="offset"/>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1, or the range does not exist.</exception>
        public static int ArgMax(int[] values, int offset, int count)
        {
            if (values == null)
            {
                throw new ArgumentNullException(nameof(values));
            }

            if (count < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(count), "count " + count + " is less than 1");
            }

            ArgumentChecks.CheckRange(values, offset, count, nameof(values));
            int best = 0;
            int bestValue = values[offset];
            for (int i = 1; i < count; i++)
            {
                if (values[offset + i] > bestValue)
                {
                    best = i;
                    bestValue = values[offset + i];
                }
            }

            return best;
        }

        // One step of every layer, arguments already checked. Per layer:
        //   packed, stages not recorded: products of every pair
        //                (PackedGatePreActivations), then each unit straight from its sums (the cell's ComputePacked)
        //   otherwise:   pre = row pre-activations from the layer's input and its old h (packed,
        //                streamed or compact kernel), then gates, c, h from pre, unit by unit (the cell's update)
        // Layer l + 1 reads layer l's new h as its input, at the same step.
        private void StepUnchecked(short[] sample, int offset)
        {
            short[] input = sample;
            int inputOffset = offset;
            for (int l = 0; l < layers.Length; l++)
            {
                RnnLayer layer = layers[l];
                short[] pre = preQ3_12[l];
                short[] hidden = hiddenQ0_15[l];
                int cell = layer.CellType;
                PackedGatePreActivations kernel = packed[l];
                if (kernel != null && !recordStages)
                {
                    kernel.Accumulate(input, inputOffset, hidden);
                    if (cell == RnnModel.CellTypeLstm)
                    {
                        LstmCellUpdate.ComputePacked(kernel, layer.HiddenSize, layer.CellFracBits, cellQ[l], hidden);
                    }
                    else if (cell == RnnModel.CellTypeGru)
                    {
                        GruCellUpdate.ComputePacked(kernel, layer.HiddenSize, hidden);
                    }
                    else if (cell == RnnModel.CellTypeRnnTanh)
                    {
                        RnnCellUpdate.ComputePackedTanh(kernel, layer.HiddenSize, hidden);
                    }
                    else
                    {
                        RnnCellUpdate.ComputePackedRelu(kernel, layer.HiddenSize, hidden);
                    }

                    input = hidden;
                    inputOffset = 0;
                    continue;
                }

                if (kernel != null)
                {
                    kernel.Compute(input, inputOffset, hidden, pre);
                }
                else if (weights != null)
                {
                    StreamedGatePreActivations.Compute(
                        weights, layer.WxOffset, layer.WhOffset, chunkRows[l], chunk,
                        layer.GateBiasQ3_12, layer.Mx, layer.Mh, layer.Shift,
                        input, inputOffset, layer.InputChannels,
                        hidden, layer.HiddenSize,
                        layer.RowCount,
                        pre);
                }
                else
                {
                    GatePreActivations.Compute(
                        layer.Wx, layer.Wh, layer.GateBiasQ3_12, layer.Mx, layer.Mh, layer.Shift,
                        input, inputOffset, layer.InputChannels,
                        hidden, layer.HiddenSize,
                        layer.RowCount,
                        pre);
                }

                if (cell == RnnModel.CellTypeLstm)
                {
                    LstmCellUpdate.Compute(pre, layer.HiddenSize, layer.CellFracBits, gatesQ0_15[l], cellQ[l], hidden);
                }
                else if (cell == RnnModel.CellTypeGru)
                {
                    GruCellUpdate.Compute(pre, layer.HiddenSize, gatesQ0_15[l], hidden);
                }
                else if (cell == RnnModel.CellTypeRnnTanh)
                {
                    RnnCellUpdate.ComputeTanh(pre, layer.HiddenSize, hidden);
                }
                else
                {
                    RnnCellUpdate.ComputeRelu(pre, layer.HiddenSize, hidden);
                }

                input = hidden;
                inputOffset = 0;
            }
        }

        // The head on the last layer's h: linear, or Linear, ReLU (into mlpUnits), Linear.
        private void ComputeOutputUnchecked(int[] output, int offset)
        {
            RnnModel m = Model;
            short[] v = hiddenQ0_15[layers.Length - 1];
            int width = v.Length;
            DenseLayer mlp = m.Mlp;
            if (mlp != null)
            {
                LinearHead.ComputeRelu16(mlp.W, mlp.Bias, mlp.Multiplier, mlp.Shift, v, width, mlp.Rows, mlpUnits);
                v = mlpUnits;
                width = mlp.Rows;
            }

            DenseLayer head = m.Head;
            LinearHead.Compute(head.W, head.Bias, head.Multiplier, head.Shift, v, width, classCount, output, offset);
        }

        // The layer index, after RnnModel.GetLayer has refused one that does not exist.
        private int CheckLayer(int layer)
        {
            Model.GetLayer(layer);
            return layer;
        }

        private void CopyStage(short[] source, short[] destination, int offset)
        {
            if (!recordStages)
            {
                throw new InvalidOperationException("pre-activations and gates are kept only while RecordStages is true");
            }

            Copy(source, destination, offset);
        }

        private static void Copy(short[] source, short[] destination, int offset)
        {
            ArgumentChecks.CheckRange(destination, offset, source.Length, nameof(destination));
            Array.Copy(source, 0, destination, offset, source.Length);
        }
    }
}
