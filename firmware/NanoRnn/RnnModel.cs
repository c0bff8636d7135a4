using System;

namespace NanoRnn
{
    /// <summary>
    /// A validated, immutable NanoRnn model: one to four LSTM, GRU or plain RNN layers and a linear or
    /// MLP head, with int8 weights and integer rescaling, read from a <c>.nrnn</c> blob
    /// (docs/model-format.md). Run it with
    /// <see cref="RnnNetwork"/>; several networks may share one model.
    /// </summary>
    public sealed class RnnModel
    {
        /// <summary>The <see cref="CellType"/> of an LSTM layer (PyTorch <c>nn.LSTM</c>, gate order i, f, g, o).</summary>
        public const int CellTypeLstm = BlobLayout.CellTypeLstm;

        /// <summary>The <see cref="CellType"/> of a GRU layer (PyTorch <c>nn.GRU</c>, gate order r, z, n).</summary>
        public const int CellTypeGru = BlobLayout.CellTypeGru;

        /// <summary>The <see cref="CellType"/> of a plain RNN layer with tanh (PyTorch <c>nn.RNN</c>).</summary>
        public const int CellTypeRnnTanh = BlobLayout.CellTypeRnnTanh;

        /// <summary>The <see cref="CellType"/> of a plain RNN layer with relu (<c>nn.RNN(nonlinearity="relu")</c>).</summary>
        public const int CellTypeRnnRelu = BlobLayout.CellTypeRnnRelu;

        /// <summary>
        /// Bytes of the one buffer <see cref="Load(IBlobReader, int)"/> reads the blob through, and the
        /// most it asks the reader for at a time.
        /// </summary>
        public const int LoadBufferBytes = 256;

        // What the kernels read; copied out of the blob so the caller may reuse or free it.
        internal readonly RnnLayer[] Layers;      // layer 0 reads the input, layer l > 0 the h of layer l - 1
        internal readonly DenseLayer Mlp;         // MLP head: the first Linear (then ReLU); null for a linear head
        internal readonly DenseLayer Head;        // the Linear that writes the K scores

        // The input section as stored: input_scale f32 [C], input_zero f32 [C], channel_source u8 [C].
        private readonly byte[] inputSection;

        // Built only from a blob that every check has passed.
        private RnnModel(BlobSource source, BlobLayout layout, BlobRecords records, bool copyGateWeights)
        {
            byte[] header = source.Header;
            HasGateWeights = copyGateWeights;
            BlobLength = source.Length;
            BlobCrc = source.ReadUInt32(source.Length - BlobLayout.CrcBytes);
            InputChannels = layout.InputChannels;
            ClassCount = layout.ClassCount;
            OutputScale = LittleEndian.ReadSingle(header, BlobLayout.OutputScaleOffset);
            SampleRateHz = LittleEndian.ReadUInt16(header, BlobLayout.SampleRateHzOffset);
            HeadOnEveryStep = header[BlobLayout.HeadStepsOffset] == 1;
            inputSection = source.ReadBytes(BlobLayout.InputSection, BlobLayout.InputBytesPerChannel * InputChannels);
            int count = layout.LayerCount;
            Layers = new RnnLayer[count];
            for (int l = 0; l < count; l++)
            {
                Layers[l] = new RnnLayer(
                    source, layout.LayerSections[l], layout.CellTypes[l], layout.CellFracBits[l],
                    layout.InputSizes[l], layout.HiddenSizes[l], copyGateWeights, "layer " + l + " ");
            }

            int last = layout.HiddenSizes[count - 1];
            if (layout.MlpUnits > 0)
            {
                Mlp = new DenseLayer(source, layout.MlpSections, layout.MlpUnits, last);
                MlpScale = source.ReadSingle(layout.MlpSections - 4);
            }

            Head = new DenseLayer(source, layout.HeadSections, ClassCount, layout.MlpUnits > 0 ? layout.MlpUnits : last);
            ClassNames = records.ClassNames;
            CheckStepCount = records.CheckSteps;
            CheckInputs = records.CheckInputs;
            CheckScores = records.CheckScores;
        }

        /// <summary>The blob's format version: <see cref="SupportedFormatVersion"/>, the only one this library reads.</summary>
        public int FormatVersion
        {
            get { return BlobLayout.FormatVersion; }
        }

        /// <summary>The format version this library reads and tools/quantize.py writes.</summary>
        public const int SupportedFormatVersion = BlobLayout.FormatVersion;

        /// <summary>The recurrent cell of layer 0 (every layer has the same in a PyTorch module): <see cref="CellTypeLstm"/>, <see cref="CellTypeGru"/>, <see cref="CellTypeRnnTanh"/> or <see cref="CellTypeRnnRelu"/>.</summary>
        public int CellType
        {
            get { return Layers[0].CellType; }
        }

        /// <summary>Number of recurrent layers, 1..4.</summary>
        public int LayerCount
        {
            get { return Layers.Length; }
        }

        /// <summary>C: int16 values per time step, 1..512.</summary>
        public int InputChannels { get; }

        /// <summary>H of the last layer, the hidden state the head reads, 1..512.</summary>
        public int HiddenSize
        {
            get { return Layers[Layers.Length - 1].HiddenSize; }
        }

        /// <summary>K: classes, the number of scores <see cref="RnnNetwork.ComputeOutput"/> writes, 1..512.</summary>
        public int ClassCount { get; }

        /// <summary>The classes' names as the blob stores them , one per class; null when it stores none. Do not modify.</summary>
        public string[] ClassNames { get; }

        /// <summary>Steps of the check sequence the blob stores (format 3: 1..64); 0 when it stores none (<see cref="ReferenceCheck"/>).</summary>
        public int CheckStepCount { get; }

        /// <summary>The check sequence's inputs, <see cref="CheckStepCount"/> × <see cref="InputChannels"/> counts, step after step, fed from the reset state; null without one. Do not modify.</summary>
        public short[] CheckInputs { get; }

        /// <summary>The scores the integer reference computed after each check step, <see cref="CheckStepCount"/> × <see cref="ClassCount"/>; null without one. Do not modify.</summary>
        public int[] CheckScores { get; }

        /// <summary>cf of layer 0: an LSTM's cell state is Q(15-cf).cf, 4..15; 0 for the other cells.</summary>
        public int CellFracBits
        {
            get { return Layers[0].CellFracBits; }
        }

        /// <summary>M: units of the MLP head's intermediate layer (Linear, ReLU, Linear); 0 for a linear head.</summary>
        public int HeadHiddenSize
        {
            get { return Mlp == null ? 0 : Mlp.Rows; }
        }

        /// <summary>Real value of one count of the MLP head's intermediate; 0 for a linear head. For reports.</summary>
        public float MlpScale { get; }

        /// <summary>
        /// True if the head was trained on every step (sequence labelling: one prediction per sample);
        /// false if on the last step only. Either way <see cref="RnnNetwork.ComputeOutput"/> may be called after any step.
        /// </summary>
        public bool HeadOnEveryStep { get; }

        /// <summary>logit = score · OutputScale. Finite and positive. For reports; inference never needs it.</summary>
        public float OutputScale { get; }

        /// <summary>The sample rate the model was trained at, in Hz; 0 if the exporter did not record it.</summary>
        public int SampleRateHz { get; }

        /// <summary>
        /// True if the model holds its recurrent layers' gate weights (<see cref="Load(byte[])"/>);
        /// false if they were left in the blob (<see cref="Load(byte[], bool)"/> with false, or
        /// <see cref="Load(IBlobReader, int)"/>), so that only <see cref="RnnNetwork(RnnModel, IBlobReader, int)"/> can run it.
        /// </summary>
        public bool HasGateWeights { get; }

        /// <summary>Length in bytes of the blob the model was loaded from (its total_bytes).</summary>
        public int BlobLength { get; }

        /// <summary>The CRC-32 the blob was loaded with (its last four bytes, checked at load).</summary>
        public uint BlobCrc { get; }

        /// <summary>The cell type of a layer.</summary>
        /// <param name="layer">0 .. <see cref="LayerCount"/> - 1.</param>
        /// <returns>One of the CellType constants.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer.</exception>
        public int GetCellType(int layer)
        {
            return GetLayer(layer).CellType;
        }

        /// <summary>The hidden size H of a layer.</summary>
        /// <param name="layer">0 .. <see cref="LayerCount"/> - 1.</param>
        /// <returns>1..512.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer.</exception>
        public int GetHiddenSize(int layer)
        {
            return GetLayer(layer).HiddenSize;
        }

        /// <summary>The cell-state format of a layer: Q(15-cf).cf for an LSTM.</summary>
        /// <param name="layer">0 .. <see cref="LayerCount"/> - 1.</param>
        /// <returns>cf, 4..15 for an LSTM layer; 0 for the other cells, which have no cell state.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer.</exception>
        public int GetCellFracBits(int layer)
        {
            return GetLayer(layer).CellFracBits;
        }

        /// <summary>
        /// Loads and validates a blob, in the order of docs/model-format.md ("What the loader checks"),
        /// and copies what inference needs, so the blob may be reused afterwards.
        /// </summary>
        /// <param name="blob">The whole <c>.nrnn</c> file.</param>
        /// <returns>The model.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="blob"/> is null.</exception>
        /// <exception cref="ModelFormatException">The blob is not a valid model; the message names the field and its value.</exception>
        public static RnnModel Load(byte[] blob)
        {
            return Load(blob, true);
        }

        /// <summary>
        /// Loads and validates a blob as <see cref="Load(byte[])"/> does (every check, gate weights
        /// included), but with <paramref name="copyGateWeights"/> false keeps only the small per-row
        /// sections of the recurrent layers (biases, multipliers, shifts) and the head: the int8 gate
        /// weights, nearly all of a blob, stay where the blob is stored, and a network built with
        /// <see cref="RnnNetwork(RnnModel, IBlobReader, int)"/> reads them from there on every step.
        /// The blob itself is in RAM for the duration of this call; <see cref="Load(IBlobReader, int)"/>
        /// does the same without it.
        /// </summary>
        /// <param name="blob">The whole <c>.nrnn</c> file.</param>
        /// <param name="copyGateWeights">True: copy the gate weights (as <see cref="Load(byte[])"/>); false: record only where they are.</param>
        /// <returns>The model; <see cref="HasGateWeights"/> is <paramref name="copyGateWeights"/>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="blob"/> is null.</exception>
        /// <exception cref="ModelFormatException">The blob is not a valid model; the message names the field and its value.</exception>
        public static RnnModel Load(byte[] blob, bool copyGateWeights)
        {
            if (blob == null)
            {
                throw new ArgumentNullException(nameof(blob));
            }

            return Load(new BlobSource(blob), copyGateWeights);
        }

        /// <summary>
        /// Loads and validates a blob that is not in RAM, reading it through <paramref name="reader"/>
        /// into one buffer of <see cref="LoadBufferBytes"/>: the same checks in the same order as
        /// <see cref="Load(byte[])"/>, with the same message for the same bad blob, the CRC-32 and every
        /// gate weight included. Keeps what <see cref="Load(byte[], bool)"/> with false keeps (no gate
        /// weights: run the model with <see cref="RnnNetwork(RnnModel, IBlobReader, int)"/>). Allocates
        /// only what the model keeps, the buffer and a copy of the 32-byte header, never anything the
        /// size of the blob. The blob is read about twice (the CRC-32, then the checks and the copies).
        /// </summary>
        /// <param name="reader">Reads the stored blob, e.g. the application's reader over a flash resource.</param>
        /// <param name="blobLength">The blob's length in bytes as the storage knows it; checked against the
        /// blob's total_bytes as the array's length is (step 2 of docs/model-format.md, "What the loader checks").</param>
        /// <returns>The model; <see cref="HasGateWeights"/> is false.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="reader"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="blobLength"/> is negative.</exception>
        /// <exception cref="ModelFormatException">The blob is not a valid model (the
        /// message is the one <see cref="Load(byte[])"/> gives for that blob), or <paramref name="reader"/>
        /// threw (the message gives the bytes it was asked for, what it threw and its message; the
        /// InnerException is what it threw). No model is built then.</exception>
        public static RnnModel Load(IBlobReader reader, int blobLength)
        {
            if (reader == null)
            {
                throw new ArgumentNullException(nameof(reader));
            }

            if (blobLength < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(blobLength), "blobLength " + blobLength + " is negative");
            }

            return Load(new BlobSource(reader, blobLength), false);
        }

        // Every check in the order of docs/model-format.md, then the copies: nothing is built from a blob that fails one.
        private static RnnModel Load(BlobSource source, bool copyGateWeights)
        {
            var records = new BlobRecords();
            BlobLayout layout = BlobChecker.Check(source, records);
            return new RnnModel(source, layout, records, copyGateWeights);
        }

        internal RnnLayer GetLayer(int layer)
        {
            if (layer < 0 || layer >= Layers.Length)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(layer), "layer " + layer + " is outside 0.." + (Layers.Length - 1));
            }

            return Layers[layer];
        }

        /// <summary>Training units per count of an input channel: training value = (count - zero) · scale.</summary>
        /// <param name="channel">0 .. <see cref="InputChannels"/> - 1.</param>
        /// <returns>The scale (already folded into the weights; for reports and for converting data).</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is not a channel.</exception>
        public float GetInputScale(int channel)
        {
            CheckChannel(channel);
            return LittleEndian.ReadSingle(inputSection, 4 * channel);
        }

        /// <summary>The count that means 0 in training units for an input channel.</summary>
        /// <param name="channel">0 .. <see cref="InputChannels"/> - 1.</param>
        /// <returns>The zero point (already folded into the biases; for reports and for converting data).</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is not a channel.</exception>
        public float GetInputZero(int channel)
        {
            CheckChannel(channel);
            return LittleEndian.ReadSingle(inputSection, 4 * (InputChannels + channel));
        }

        /// <summary>Where an input channel comes from: a <see cref="ChannelSource"/> code.</summary>
        /// <param name="channel">0 .. <see cref="InputChannels"/> - 1.</param>
        /// <returns>0 (unspecified), 1..7 (sensor axes, temperature) or 32 + n (digital input n).</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is not a channel.</exception>
        public int GetChannelSource(int channel)
        {
            CheckChannel(channel);
            return inputSection[8 * InputChannels + channel];
        }

        private void CheckChannel(int channel)
        {
            if (channel < 0 || channel >= InputChannels)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(channel), "channel " + channel + " is outside 0.." + (InputChannels - 1));
            }
        }
    }
}
