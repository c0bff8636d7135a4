using System;

namespace NanoRnn
{
    /// <summary>
    /// A validated, immutable NanoRnn model: one to four LSTM, GRU or plain RNN layers and a linear or
    /// MLP head, with int8 weights and integer rescaling, read from a <c>.nrnn</c> blob
    /// (docs/model-format.md, format versions 1 to 3). Run it with
    /// <see cref="RnnNetwork"/>; several networks may share one model.
    /// </summary>
    public sealed class RnnModel
    {
        /// <summary>The <see cref="CellType"/> of an LSTM layer (PyTorch <c>nn.LSTM</c>, gate order i, f, g, o).</summary>
        public const int CellTypeLstm = 1;

        /// <summary>The <see cref="CellType"/> of a GRU layer (PyTorch <c>nn.GRU</c>, gate order r, z, n).</summary>
        public const int CellTypeGru = 2;

        /// <summary>The <see cref="CellType"/> of a plain RNN layer with tanh (PyTorch <c>nn.RNN</c>).</summary>
        public const int CellTypeRnnTanh = 3;

        /// <summary>The <see cref="CellType"/> of a plain RNN layer with relu (<c>nn.RNN(nonlinearity="relu")</c>).</summary>
        public const int CellTypeRnnRelu = 4;

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

        // Version 1: one LSTM layer and a linear head on the last step.
        private RnnModel(BlobSource source, BlobLayout layout, bool copyGateWeights)
            : this(source, BlobLayout.FormatVersion, layout.InputScale, copyGateWeights)
        {
            int h = LittleEndian.ReadUInt16(source.Header, BlobLayout.HiddenSizeOffset);
            Layers = new RnnLayer[]
            {
                new RnnLayer(source, layout.WxRowScale, CellTypeLstm, source.Header[BlobLayout.CellFracBitsOffset], InputChannels, h, copyGateWeights, string.Empty),
            };
            Head = new DenseLayer(source, layout.HeadRowScale, ClassCount, h);
        }

        // Versions 2 and 3: a stack of layers and a linear or MLP head (and version 3's records).
        private RnnModel(BlobSource source, int formatVersion, StackLayout layout, bool copyGateWeights)
            : this(source, formatVersion, layout.InputScale, copyGateWeights)
        {
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
            HeadOnEveryStep = source.Header[StackLayout.HeadStepsOffset] == 1;
            BlobRecords records = layout.Records;
            if (records != null)
            {
                ClassNames = records.ClassNames;
                CheckStepCount = records.CheckSteps;
                CheckInputs = records.CheckInputs;
                CheckScores = records.CheckScores;
            }
        }

        // The header fields and input section both versions share, and what identifies the blob.
        private RnnModel(BlobSource source, int formatVersion, int inputSections, bool copyGateWeights)
        {
            byte[] header = source.Header;
            FormatVersion = formatVersion;
            HasGateWeights = copyGateWeights;
            BlobLength = source.Length;
            BlobCrc = source.ReadUInt32(source.Length - BlobLayout.CrcBytes);
            InputChannels = LittleEndian.ReadUInt16(header, BlobLayout.InputChannelsOffset);
            ClassCount = LittleEndian.ReadUInt16(header, BlobLayout.ClassCountOffset);
            OutputScale = LittleEndian.ReadSingle(header, BlobLayout.OutputScaleOffset);
            SampleRateHz = LittleEndian.ReadUInt16(header, BlobLayout.SampleRateOffset);
            inputSection = source.ReadBytes(inputSections, 9 * InputChannels);
        }

        /// <summary>The blob's format version: 1 (one LSTM layer, linear head on the last step), 2 (a stack), or 3 (a stack with class names and a check sequence).</summary>
        public int FormatVersion { get; }

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

        /// <summary>The classes' names as the blob stores them (format 3), one per class; null when it stores none. Do not modify.</summary>
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
        /// <exception cref="ModelFormatException">The blob is not a valid model of format version 1, 2 or 3; the message names the field and its value.</exception>
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
        /// <exception cref="ModelFormatException">The blob is not a valid model of format version 1, 2 or 3; the message names the field and its value.</exception>
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
        /// <exception cref="ModelFormatException">The blob is not a valid model of format version 1, 2 or 3 (the
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
            int version = CheckHeaderIdentity(source);
            CheckTotalBytes(source);
            CheckCrc(source);
            if (version == StackLayout.FormatVersion || version == BlobRecords.FormatVersion)
            {
                return new RnnModel(source, version, StackLayout.Check(source, version), copyGateWeights);
            }

            BlobLayout layout = CheckHeaderFields(source);
            CheckSections(source, layout);
            return new RnnModel(source, layout, copyGateWeights);
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

        // 1. At least 32 bytes; magic "NRNN"; format_version 1, 2 or 3; header_bytes 32.
        private static int CheckHeaderIdentity(BlobSource source)
        {
            if (source.Length < BlobLayout.HeaderBytes)
            {
                throw new ModelFormatException(
                    "blob is " + source.Length + " bytes, shorter than the " + BlobLayout.HeaderBytes + "-byte header");
            }

            byte[] header = source.ReadHeader();
            if (header[BlobLayout.MagicOffset] != BlobLayout.Magic0 || header[BlobLayout.MagicOffset + 1] != BlobLayout.Magic1
                || header[BlobLayout.MagicOffset + 2] != BlobLayout.Magic2 || header[BlobLayout.MagicOffset + 3] != BlobLayout.Magic3)
            {
                throw new ModelFormatException(
                    "not a NanoRnn model: magic is " + Hex(header, BlobLayout.MagicOffset, 4) + ", expected 4E 52 4E 4E (\"NRNN\")");
            }

            int version = LittleEndian.ReadUInt16(header, BlobLayout.FormatVersionOffset);
            if (version != BlobLayout.FormatVersion && version != StackLayout.FormatVersion && version != BlobRecords.FormatVersion)
            {
                throw new ModelFormatException(
                    "format_version " + version + " is not supported (this library reads "
                    + BlobLayout.FormatVersion + ", " + StackLayout.FormatVersion + " and " + BlobRecords.FormatVersion + ")");
            }

            int headerBytes = LittleEndian.ReadUInt16(header, BlobLayout.HeaderBytesOffset);
            if (headerBytes != BlobLayout.HeaderBytes)
            {
                throw new ModelFormatException("header_bytes is " + headerBytes + ", expected " + BlobLayout.HeaderBytes);
            }

            return version;
        }

        // 2. total_bytes equals the length of the array, or the length the caller gave with a reader
        //    (truncated or extended blobs).
        private static void CheckTotalBytes(BlobSource source)
        {
            uint total = LittleEndian.ReadUInt32(source.Header, BlobLayout.TotalBytesOffset);
            if (total != (uint)source.Length)
            {
                throw new ModelFormatException("total_bytes says " + total + " bytes but the blob has " + source.Length);
            }
        }

        // 3. CRC-32 of every byte before the trailer, piece by piece. total_bytes >= 32 here, so the trailer exists.
        private static void CheckCrc(BlobSource source)
        {
            int crcOffset = source.Length - BlobLayout.CrcBytes;
            uint stored = source.ReadUInt32(crcOffset);
            uint computed = 0;
            for (source.Start(0, crcOffset, 1); source.Next();)
            {
                computed = Crc32.Append(computed, source.Window, source.WindowIndex, source.PieceCount);
            }

            if (stored != computed)
            {
                throw new ModelFormatException(
                    "CRC-32 mismatch: stored 0x" + stored.ToString("X8") + ", computed 0x" + computed.ToString("X8"));
            }
        }

        // 4. cell_type, layer_count, head_type, reserved fields, C, H, K, cf in range; total_bytes
        //    equals the size those fields imply.
        private static BlobLayout CheckHeaderFields(BlobSource source)
        {
            byte[] header = source.Header;
            int cellType = header[BlobLayout.CellTypeOffset];
            if (cellType != CellTypeLstm)
            {
                throw new ModelFormatException("cell_type " + cellType + " is not supported by format version 1 (1 = LSTM)");
            }

            int layerCount = header[BlobLayout.LayerCountOffset];
            if (layerCount != BlobLayout.SupportedLayerCount)
            {
                throw new ModelFormatException(
                    "layer_count " + layerCount + " is not supported (" + BlobLayout.SupportedLayerCount + ")");
            }

            int headType = header[BlobLayout.HeadTypeOffset];
            if (headType != BlobLayout.HeadTypeLinearLast)
            {
                throw new ModelFormatException("head_type " + headType + " is not supported (1 = linear on the last step)");
            }

            CheckReserved(header[BlobLayout.Reserved15Offset], BlobLayout.Reserved15Offset);
            CheckReserved(header[BlobLayout.Reserved23Offset], BlobLayout.Reserved23Offset);
            CheckReserved(LittleEndian.ReadUInt16(header, BlobLayout.Reserved30Offset), BlobLayout.Reserved30Offset);

            int c = CheckDimension(header, BlobLayout.InputChannelsOffset, "input_channels");
            int h = CheckDimension(header, BlobLayout.HiddenSizeOffset, "hidden_size");
            int k = CheckDimension(header, BlobLayout.ClassCountOffset, "class_count");

            int cf = header[BlobLayout.CellFracBitsOffset];
            if (cf < BlobLayout.MinCellFracBits || cf > BlobLayout.MaxCellFracBits)
            {
                throw new ModelFormatException(
                    "cell_frac_bits " + cf + " is outside " + BlobLayout.MinCellFracBits + ".." + BlobLayout.MaxCellFracBits);
            }

            BlobLayout layout = new BlobLayout(c, h, k);
            if (layout.TotalBytes != source.Length)
            {
                throw new ModelFormatException(
                    "total_bytes " + source.Length + " does not match C=" + c + ", H=" + h + ", K=" + k
                    + " (expected " + layout.TotalBytes + ")");
            }

            return layout;
        }

        internal static void CheckReserved(int value, int offset)
        {
            if (value != 0)
            {
                throw new ModelFormatException("reserved header field at offset " + offset + " is " + value + ", expected 0");
            }
        }

        // data[index]: a u16 field of the header or of a layer header.
        internal static int CheckDimension(byte[] data, int index, string field)
        {
            int value = LittleEndian.ReadUInt16(data, index);
            if (value < 1 || value > BlobLayout.MaxDimension)
            {
                throw new ModelFormatException(field + " " + value + " is outside 1.." + BlobLayout.MaxDimension);
            }

            return value;
        }

        // 5. output_scale and every input_scale finite and positive, every input_zero finite; every channel source known; every shift in 1..62,
        //    every multiplier >= 0, no weight -128 (so no blob can make the arithmetic wrap).
        private static void CheckSections(BlobSource source, BlobLayout layout)
        {
            byte[] header = source.Header;
            CheckFloat(source, BlobLayout.OutputScaleOffset, "output_scale", true);
            int c = LittleEndian.ReadUInt16(header, BlobLayout.InputChannelsOffset);
            CheckInputSection(source, layout.InputScale, c);
            int h = LittleEndian.ReadUInt16(header, BlobLayout.HiddenSizeOffset);
            int k = LittleEndian.ReadUInt16(header, BlobLayout.ClassCountOffset);
            int r = BlobLayout.LstmGateCount * h;

            CheckShifts(source, layout.Sx, r, "sx");
            CheckShifts(source, layout.Sh, r, "sh");
            CheckShifts(source, layout.HeadS, k, "head_s");
            CheckMultipliers(source, layout.Mx, r, "mx");
            CheckMultipliers(source, layout.Mh, r, "mh");
            CheckMultipliers(source, layout.HeadM, k, "head_m");
            CheckWeights(source, layout.Wx, r, c, "wx");
            CheckWeights(source, layout.Wh, r, h, "wh");
            CheckWeights(source, layout.HeadW, k, h, "head_w");
        }

        // Every input_scale finite and positive and every input_zero finite (channel by channel), then
        // every channel source known. inputScale: the section's offset; input_zero and channel_source follow.
        // Each array is scanned once in order (a reader's buffer need not hold both): the first bad
        // channel of either reports, input_scale first within a channel.
        internal static void CheckInputSection(BlobSource source, int inputScale, int c)
        {
            int inputZero = inputScale + 4 * c;
            int scale = FirstBadFloat(source, inputScale, c, true);
            int zero = FirstBadFloat(source, inputZero, c, false);
            if (scale < c && scale <= zero)
            {
                CheckFloat(source, inputScale + 4 * scale, "input_scale[" + scale + "]", true);
            }

            if (zero < c)
            {
                CheckFloat(source, inputZero + 4 * zero, "input_zero[" + zero + "]", false);
            }

            for (source.Start(inputZero + 4 * c, c, 1); source.Next();)
            {
                for (int i = 0; i < source.PieceCount; i++)
                {
                    int value = source.Window[source.WindowIndex + i];
                    if (!ChannelSource.IsKnown(value))
                    {
                        throw new ModelFormatException(
                            "channel_source[" + (source.PieceFirst + i) + "] = " + value + " is not a known source (0..7, 32..63)");
                    }
                }
            }
        }

        // The index of the first of count f32 values from offset that is not finite (and positive), or count.
        // On the bits, so the check is exact on every platform: exponent all ones is NaN or
        // infinity; positive means sign clear and not +0 (denormals are positive and finite).
        private static int FirstBadFloat(BlobSource source, int offset, int count, bool mustBePositive)
        {
            for (source.Start(offset, count, 4); source.Next();)
            {
                for (int i = 0; i < source.PieceCount; i++)
                {
                    uint bits = LittleEndian.ReadUInt32(source.Window, source.WindowIndex + 4 * i);
                    bool finite = (bits & 0x7F800000) != 0x7F800000;
                    bool positive = (bits & 0x80000000) == 0 && bits != 0;
                    if (!finite || (mustBePositive && !positive))
                    {
                        return source.PieceFirst + i;
                    }
                }
            }

            return count;
        }

        // One f32 field.
        internal static void CheckFloat(BlobSource source, int offset, string field, bool mustBePositive)
        {
            if (FirstBadFloat(source, offset, 1, mustBePositive) == 0)
            {
                uint bits = source.ReadUInt32(offset);
                throw new ModelFormatException(
                    field + " " + LittleEndian.ReadSingle(source.Window, source.WindowIndex).ToString() + " (bits 0x" + bits.ToString("X8")
                    + ") is not finite" + (mustBePositive ? " and positive" : ""));
            }
        }

        internal static void CheckShifts(BlobSource source, int offset, int count, string field)
        {
            for (source.Start(offset, count, 1); source.Next();)
            {
                for (int i = 0; i < source.PieceCount; i++)
                {
                    int shift = source.Window[source.WindowIndex + i];
                    if (shift < BlobLayout.MinShift || shift > BlobLayout.MaxShift)
                    {
                        throw new ModelFormatException(
                            field + "[" + (source.PieceFirst + i) + "] = " + shift + " is outside " + BlobLayout.MinShift + ".." + BlobLayout.MaxShift);
                    }
                }
            }
        }

        internal static void CheckMultipliers(BlobSource source, int offset, int count, string field)
        {
            for (source.Start(offset, count, 4); source.Next();)
            {
                for (int i = 0; i < source.PieceCount; i++)
                {
                    int multiplier = LittleEndian.ReadInt32(source.Window, source.WindowIndex + 4 * i);
                    if (multiplier < 0)
                    {
                        throw new ModelFormatException(field + "[" + (source.PieceFirst + i) + "] = " + multiplier + " is negative");
                    }
                }
            }
        }

        // Nearly every byte of a blob is a weight: the loop over a piece keeps the window in locals.
        internal static void CheckWeights(BlobSource source, int offset, int rows, int columns, string field)
        {
            for (source.Start(offset, rows * columns, 1); source.Next();)
            {
                byte[] window = source.Window;
                int start = source.WindowIndex;
                int end = start + source.PieceCount;
                for (int index = start; index < end; index++)
                {
                    if (window[index] == 0x80)
                    {
                        int i = source.PieceFirst + index - start;
                        throw new ModelFormatException(
                            field + "[" + (i / columns) + ", " + (i % columns) + "] is -128 (weights are symmetric, -127..127)");
                    }
                }
            }
        }

        private static string Hex(byte[] data, int offset, int count)
        {
            string text = string.Empty;
            for (int i = 0; i < count; i++)
            {
                text += (i == 0 ? string.Empty : " ") + data[offset + i].ToString("X2");
            }

            return text;
        }
    }
}
