using System;

namespace NanoRnn
{
    /// <summary>
    /// A validated, immutable NanoRnn model: an LSTM layer and a linear head with int8 weights and
    /// integer rescaling, read from a <c>.nrnn</c> blob (docs/model-format.md). Run it with
    /// <see cref="RnnNetwork"/>; several networks may share one model.
    /// </summary>
    public sealed class RnnModel
    {
        /// <summary>The <see cref="CellType"/> of an LSTM (PyTorch <c>nn.LSTM</c>, gate order i, f, g, o).</summary>
        public const int CellTypeLstm = 1;

        // What the kernels read; copied out of the blob so the caller may reuse or free it.
        // R = 4H rows, row r = gate·H + j.
        internal readonly sbyte[] Wx;             // [R·C] row-major
        internal readonly sbyte[] Wh;             // [R·H] row-major
        internal readonly int[] GateBiasQ3_12;    // [R]
        internal readonly int[] Mx;               // [R] multiplier of the input product
        internal readonly byte[] Sx;              // [R] its right shift, 1..62
        internal readonly int[] Mh;               // [R] multiplier of the recurrent product
        internal readonly byte[] Sh;              // [R] its right shift, 1..62
        internal readonly sbyte[] HeadW;          // [K·H] row-major
        internal readonly int[] HeadBias;         // [K] units of OutputScale
        internal readonly int[] HeadMultiplier;   // [K]
        internal readonly byte[] HeadShift;       // [K] 1..62

        private readonly float[] inputScale;      // [C]
        private readonly float[] inputZero;       // [C]
        private readonly byte[] channelSource;    // [C]

        private RnnModel(byte[] blob, BlobLayout layout)
        {
            InputChannels = LittleEndian.ReadUInt16(blob, BlobLayout.InputChannelsOffset);
            HiddenSize = LittleEndian.ReadUInt16(blob, BlobLayout.HiddenSizeOffset);
            ClassCount = LittleEndian.ReadUInt16(blob, BlobLayout.ClassCountOffset);
            CellType = blob[BlobLayout.CellTypeOffset];
            LayerCount = blob[BlobLayout.LayerCountOffset];
            CellFracBits = blob[BlobLayout.CellFracBitsOffset];
            OutputScale = LittleEndian.ReadSingle(blob, BlobLayout.OutputScaleOffset);
            SampleRateHz = LittleEndian.ReadUInt16(blob, BlobLayout.SampleRateOffset);

            int c = InputChannels;
            int h = HiddenSize;
            int k = ClassCount;
            int r = BlobLayout.LstmGateCount * h;

            inputScale = ReadSingles(blob, layout.InputScale, c);
            inputZero = ReadSingles(blob, layout.InputZero, c);
            channelSource = ReadBytes(blob, layout.ChannelSource, c);

            GateBiasQ3_12 = ReadInt32s(blob, layout.GateBias, r);
            Mx = ReadInt32s(blob, layout.Mx, r);
            Mh = ReadInt32s(blob, layout.Mh, r);
            Sx = ReadBytes(blob, layout.Sx, r);
            Sh = ReadBytes(blob, layout.Sh, r);
            Wx = ReadSBytes(blob, layout.Wx, r * c);
            Wh = ReadSBytes(blob, layout.Wh, r * h);

            HeadBias = ReadInt32s(blob, layout.HeadBias, k);
            HeadMultiplier = ReadInt32s(blob, layout.HeadM, k);
            HeadShift = ReadBytes(blob, layout.HeadS, k);
            HeadW = ReadSBytes(blob, layout.HeadW, k * h);
        }

        /// <summary>The blob's format version (1).</summary>
        public int FormatVersion
        {
            get { return BlobLayout.FormatVersion; }
        }

        /// <summary>The recurrent cell, <see cref="CellTypeLstm"/>.</summary>
        public int CellType { get; }

        /// <summary>Number of recurrent layers (1).</summary>
        public int LayerCount { get; }

        /// <summary>C: int16 values per time step, 1..512.</summary>
        public int InputChannels { get; }

        /// <summary>H: LSTM hidden units, 1..512.</summary>
        public int HiddenSize { get; }

        /// <summary>K: classes, the number of scores <see cref="RnnNetwork.ComputeOutput"/> writes, 1..512.</summary>
        public int ClassCount { get; }

        /// <summary>cf: the cell state is Q(15-cf).cf, 4..15.</summary>
        public int CellFracBits { get; }

        /// <summary>logit = score · OutputScale. Finite and positive. For reports; inference never needs it.</summary>
        public float OutputScale { get; }

        /// <summary>The sample rate the model was trained at, in Hz; 0 if the exporter did not record it.</summary>
        public int SampleRateHz { get; }

        /// <summary>
        /// Loads and validates a blob, in the order of docs/model-format.md ("What the loader checks"),
        /// and copies what inference needs, so the blob may be reused afterwards.
        /// </summary>
        /// <param name="blob">The whole <c>.nrnn</c> file.</param>
        /// <returns>The model.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="blob"/> is null.</exception>
        /// <exception cref="ModelFormatException">The blob is not a valid version-1 model; the message names the field and its value.</exception>
        public static RnnModel Load(byte[] blob)
        {
            if (blob == null)
            {
                throw new ArgumentNullException(nameof(blob));
            }

            CheckHeaderIdentity(blob);
            CheckTotalBytes(blob);
            CheckCrc(blob);
            BlobLayout layout = CheckHeaderFields(blob);
            CheckSections(blob, layout);
            return new RnnModel(blob, layout);
        }

        /// <summary>Training units per count of an input channel: training value = (count - zero) · scale.</summary>
        /// <param name="channel">0 .. <see cref="InputChannels"/> - 1.</param>
        /// <returns>The scale (already folded into the weights; for reports and for converting data).</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is not a channel.</exception>
        public float GetInputScale(int channel)
        {
            CheckChannel(channel);
            return inputScale[channel];
        }

        /// <summary>The count that means 0 in training units for an input channel.</summary>
        /// <param name="channel">0 .. <see cref="InputChannels"/> - 1.</param>
        /// <returns>The zero point (already folded into the biases; for reports and for converting data).</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is not a channel.</exception>
        public float GetInputZero(int channel)
        {
            CheckChannel(channel);
            return inputZero[channel];
        }

        /// <summary>Where an input channel comes from: a <see cref="ChannelSource"/> code.</summary>
        /// <param name="channel">0 .. <see cref="InputChannels"/> - 1.</param>
        /// <returns>0 (unspecified), 1..7 (sensor axes, temperature) or 32 + n (digital input n).</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is not a channel.</exception>
        public int GetChannelSource(int channel)
        {
            CheckChannel(channel);
            return channelSource[channel];
        }

        private void CheckChannel(int channel)
        {
            if (channel < 0 || channel >= InputChannels)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(channel), "channel " + channel + " is outside 0.." + (InputChannels - 1));
            }
        }

        // 1. At least 32 bytes; magic "NRNN"; format_version 1; header_bytes 32.
        private static void CheckHeaderIdentity(byte[] blob)
        {
            if (blob.Length < BlobLayout.HeaderBytes)
            {
                throw new ModelFormatException(
                    "blob is " + blob.Length + " bytes, shorter than the " + BlobLayout.HeaderBytes + "-byte header");
            }

            if (blob[BlobLayout.MagicOffset] != BlobLayout.Magic0 || blob[BlobLayout.MagicOffset + 1] != BlobLayout.Magic1
                || blob[BlobLayout.MagicOffset + 2] != BlobLayout.Magic2 || blob[BlobLayout.MagicOffset + 3] != BlobLayout.Magic3)
            {
                throw new ModelFormatException(
                    "not a NanoRnn model: magic is " + Hex(blob, BlobLayout.MagicOffset, 4) + ", expected 4E 52 4E 4E (\"NRNN\")");
            }

            int version = LittleEndian.ReadUInt16(blob, BlobLayout.FormatVersionOffset);
            if (version != BlobLayout.FormatVersion)
            {
                throw new ModelFormatException(
                    "format_version " + version + " is not supported (this library reads " + BlobLayout.FormatVersion + ")");
            }

            int headerBytes = LittleEndian.ReadUInt16(blob, BlobLayout.HeaderBytesOffset);
            if (headerBytes != BlobLayout.HeaderBytes)
            {
                throw new ModelFormatException("header_bytes is " + headerBytes + ", expected " + BlobLayout.HeaderBytes);
            }
        }

        // 2. total_bytes equals the length of the array (truncated or extended blobs).
        private static void CheckTotalBytes(byte[] blob)
        {
            uint total = LittleEndian.ReadUInt32(blob, BlobLayout.TotalBytesOffset);
            if (total != (uint)blob.Length)
            {
                throw new ModelFormatException("total_bytes says " + total + " bytes but the blob has " + blob.Length);
            }
        }

        // 3. CRC-32 of every byte before the trailer. total_bytes >= 32 here, so the trailer exists.
        private static void CheckCrc(byte[] blob)
        {
            int crcOffset = blob.Length - BlobLayout.CrcBytes;
            uint stored = LittleEndian.ReadUInt32(blob, crcOffset);
            uint computed = Crc32.Compute(blob, 0, crcOffset);
            if (stored != computed)
            {
                throw new ModelFormatException(
                    "CRC-32 mismatch: stored 0x" + stored.ToString("X8") + ", computed 0x" + computed.ToString("X8"));
            }
        }

        // 4. cell_type, layer_count, head_type, reserved fields, C, H, K, cf in range; total_bytes
        //    equals the size those fields imply.
        private static BlobLayout CheckHeaderFields(byte[] blob)
        {
            int cellType = blob[BlobLayout.CellTypeOffset];
            if (cellType != CellTypeLstm)
            {
                throw new ModelFormatException("cell_type " + cellType + " is not supported (1 = LSTM)");
            }

            int layerCount = blob[BlobLayout.LayerCountOffset];
            if (layerCount != BlobLayout.SupportedLayerCount)
            {
                throw new ModelFormatException(
                    "layer_count " + layerCount + " is not supported (" + BlobLayout.SupportedLayerCount + ")");
            }

            int headType = blob[BlobLayout.HeadTypeOffset];
            if (headType != BlobLayout.HeadTypeLinearLast)
            {
                throw new ModelFormatException("head_type " + headType + " is not supported (1 = linear on the last step)");
            }

            CheckReserved(blob[BlobLayout.Reserved15Offset], BlobLayout.Reserved15Offset);
            CheckReserved(blob[BlobLayout.Reserved23Offset], BlobLayout.Reserved23Offset);
            CheckReserved(LittleEndian.ReadUInt16(blob, BlobLayout.Reserved30Offset), BlobLayout.Reserved30Offset);

            int c = CheckDimension(blob, BlobLayout.InputChannelsOffset, "input_channels");
            int h = CheckDimension(blob, BlobLayout.HiddenSizeOffset, "hidden_size");
            int k = CheckDimension(blob, BlobLayout.ClassCountOffset, "class_count");

            int cf = blob[BlobLayout.CellFracBitsOffset];
            if (cf < BlobLayout.MinCellFracBits || cf > BlobLayout.MaxCellFracBits)
            {
                throw new ModelFormatException(
                    "cell_frac_bits " + cf + " is outside " + BlobLayout.MinCellFracBits + ".." + BlobLayout.MaxCellFracBits);
            }

            BlobLayout layout = new BlobLayout(c, h, k);
            if (layout.TotalBytes != blob.Length)
            {
                throw new ModelFormatException(
                    "total_bytes " + blob.Length + " does not match C=" + c + ", H=" + h + ", K=" + k
                    + " (expected " + layout.TotalBytes + ")");
            }

            return layout;
        }

        private static void CheckReserved(int value, int offset)
        {
            if (value != 0)
            {
                throw new ModelFormatException("reserved header field at offset " + offset + " is " + value + ", expected 0");
            }
        }

        private static int CheckDimension(byte[] blob, int offset, string field)
        {
            int value = LittleEndian.ReadUInt16(blob, offset);
            if (value < 1 || value > BlobLayout.MaxDimension)
            {
                throw new ModelFormatException(field + " " + value + " is outside 1.." + BlobLayout.MaxDimension);
            }

            return value;
        }

        // 5. output_scale and every input_scale finite and positive, every input_zero finite; every channel source known; every shift in 1..62,
        //    every multiplier >= 0, no weight -128 (so no blob can make the arithmetic wrap).
        private static void CheckSections(byte[] blob, BlobLayout layout)
        {
            CheckFloat(blob, BlobLayout.OutputScaleOffset, "output_scale", true);
            int c = LittleEndian.ReadUInt16(blob, BlobLayout.InputChannelsOffset);
            for (int channel = 0; channel < c; channel++)
            {
                CheckFloat(blob, layout.InputScale + 4 * channel, "input_scale[" + channel + "]", true);
                CheckFloat(blob, layout.InputZero + 4 * channel, "input_zero[" + channel + "]", false);
            }

            int h = LittleEndian.ReadUInt16(blob, BlobLayout.HiddenSizeOffset);
            int k = LittleEndian.ReadUInt16(blob, BlobLayout.ClassCountOffset);
            int r = BlobLayout.LstmGateCount * h;

            for (int channel = 0; channel < c; channel++)
            {
                int source = blob[layout.ChannelSource + channel];
                if (!ChannelSource.IsKnown(source))
                {
                    throw new ModelFormatException(
                        "channel_source[" + channel + "] = " + source + " is not a known source (0..7, 32..63)");
                }
            }

            CheckShifts(blob, layout.Sx, r, "sx");
            CheckShifts(blob, layout.Sh, r, "sh");
            CheckShifts(blob, layout.HeadS, k, "head_s");
            CheckMultipliers(blob, layout.Mx, r, "mx");
            CheckMultipliers(blob, layout.Mh, r, "mh");
            CheckMultipliers(blob, layout.HeadM, k, "head_m");
            CheckWeights(blob, layout.Wx, r, c, "wx");
            CheckWeights(blob, layout.Wh, r, h, "wh");
            CheckWeights(blob, layout.HeadW, k, h, "head_w");
        }

        // On the bits, so the check is exact on every platform: exponent all ones is NaN or
        // infinity; positive means sign clear and not +0 (denormals are positive and finite).
        private static void CheckFloat(byte[] blob, int offset, string field, bool mustBePositive)
        {
            uint bits = LittleEndian.ReadUInt32(blob, offset);
            bool finite = (bits & 0x7F800000) != 0x7F800000;
            bool positive = (bits & 0x80000000) == 0 && bits != 0;
            if (!finite || (mustBePositive && !positive))
            {
                throw new ModelFormatException(
                    field + " " + LittleEndian.ReadSingle(blob, offset).ToString() + " (bits 0x" + bits.ToString("X8")
                    + ") is not finite" + (mustBePositive ? " and positive" : ""));
            }
        }

        private static void CheckShifts(byte[] blob, int offset, int count, string field)
        {
            for (int i = 0; i < count; i++)
            {
                int shift = blob[offset + i];
                if (shift < BlobLayout.MinShift || shift > BlobLayout.MaxShift)
                {
                    throw new ModelFormatException(
                        field + "[" + i + "] = " + shift + " is outside " + BlobLayout.MinShift + ".." + BlobLayout.MaxShift);
                }
            }
        }

        private static void CheckMultipliers(byte[] blob, int offset, int count, string field)
        {
            for (int i = 0; i < count; i++)
            {
                int multiplier = LittleEndian.ReadInt32(blob, offset + 4 * i);
                if (multiplier < 0)
                {
                    throw new ModelFormatException(field + "[" + i + "] = " + multiplier + " is negative");
                }
            }
        }

        private static void CheckWeights(byte[] blob, int offset, int rows, int columns, string field)
        {
            int count = rows * columns;
            for (int i = 0; i < count; i++)
            {
                if (blob[offset + i] == 0x80)
                {
                    throw new ModelFormatException(
                        field + "[" + (i / columns) + ", " + (i % columns) + "] is -128 (weights are symmetric, -127..127)");
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

        private static float[] ReadSingles(byte[] blob, int offset, int count)
        {
            float[] values = new float[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = LittleEndian.ReadSingle(blob, offset + 4 * i);
            }

            return values;
        }

        private static int[] ReadInt32s(byte[] blob, int offset, int count)
        {
            int[] values = new int[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = LittleEndian.ReadInt32(blob, offset + 4 * i);
            }

            return values;
        }

        private static byte[] ReadBytes(byte[] blob, int offset, int count)
        {
            byte[] values = new byte[count];
            Array.Copy(blob, offset, values, 0, count);
            return values;
        }

        private static sbyte[] ReadSBytes(byte[] blob, int offset, int count)
        {
            sbyte[] values = new sbyte[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (sbyte)blob[offset + i];
            }

            return values;
        }
    }
}
