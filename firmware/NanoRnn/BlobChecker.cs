namespace NanoRnn
{
    /// <summary>
    /// Every check <see cref="RnnModel"/> makes of a blob before it keeps anything, in the order of
    /// docs/model-format.md ("What the loader checks"): the first failing check throws a
    /// <see cref="ModelFormatException"/> that names the field and its value. Reads the blob through a
    /// <see cref="BlobSource"/>, so an array and a reader get the same checks and the same message.
    /// </summary>
    internal static class BlobChecker
    {
        /// <summary>Steps 1 to 6; returns where everything is. Step 7 runs as each layer is copied (<see cref="CheckRescaleRange"/>).</summary>
        internal static BlobLayout Check(BlobSource source, BlobRecords records)
        {
            CheckIdentity(source);
            CheckTotalBytes(source);
            CheckCrc(source);
            BlobLayout layout = CheckStructure(source);
            CheckSections(source, layout);
            CheckRecords(source, layout, records);
            return layout;
        }

        // 1. At least 32 bytes; magic "NRNN"; format_version 3; header_bytes 32.
        private static void CheckIdentity(BlobSource source)
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
            if (version == 1 || version == 2)
            {
                throw new ModelFormatException(
                    "format_version " + version + " is not read by this version of NanoRnn (it reads " + BlobLayout.FormatVersion
                    + "): export the model again with `python3 tools/quantize.py export`");
            }

            if (version != BlobLayout.FormatVersion)
            {
                throw new ModelFormatException(
                    "format_version " + version + " is not supported (this version of NanoRnn reads " + BlobLayout.FormatVersion + ")");
            }

            int headerBytes = LittleEndian.ReadUInt16(header, BlobLayout.HeaderBytesOffset);
            if (headerBytes != BlobLayout.HeaderBytes)
            {
                throw new ModelFormatException("header_bytes is " + headerBytes + ", expected " + BlobLayout.HeaderBytes);
            }
        }

        // 2. total_bytes equals the length of the array, or the length the caller gave with a reader.
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

        // 4. The header's fields, then each layer header in turn; the layers and the head must fit
        //    before the CRC (records may follow them).
        private static BlobLayout CheckStructure(BlobSource source)
        {
            byte[] header = source.Header;
            int layerCount = header[BlobLayout.LayerCountOffset];
            if (layerCount < 1 || layerCount > BlobLayout.MaxLayerCount)
            {
                throw new ModelFormatException("layer_count " + layerCount + " is outside 1.." + BlobLayout.MaxLayerCount);
            }

            int headType = header[BlobLayout.HeadTypeOffset];
            if (headType != BlobLayout.HeadTypeLinear && headType != BlobLayout.HeadTypeMlp)
            {
                throw new ModelFormatException("head_type " + headType + " is not supported (1 = linear, 2 = MLP)");
            }

            int headSteps = header[BlobLayout.HeadStepsOffset];
            if (headSteps > 1)
            {
                throw new ModelFormatException("head_steps " + headSteps + " is not 0 (last step) or 1 (every step)");
            }

            CheckReserved(header[BlobLayout.Reserved12Offset], BlobLayout.Reserved12Offset);
            CheckReserved(header[BlobLayout.Reserved22Offset], BlobLayout.Reserved22Offset);
            CheckReserved(header[BlobLayout.Reserved23Offset], BlobLayout.Reserved23Offset);
            CheckReserved(LittleEndian.ReadUInt16(header, BlobLayout.Reserved30Offset), BlobLayout.Reserved30Offset);
            int c = CheckDimension(header, BlobLayout.InputChannelsOffset, "input_channels");
            int k = CheckDimension(header, BlobLayout.ClassCountOffset, "class_count");
            int mlpUnits = 0;
            if (headType == BlobLayout.HeadTypeMlp)
            {
                mlpUnits = CheckDimension(header, BlobLayout.MlpHiddenOffset, "mlp_hidden");
            }
            else if (LittleEndian.ReadUInt16(header, BlobLayout.MlpHiddenOffset) != 0)
            {
                throw new ModelFormatException(
                    "mlp_hidden " + LittleEndian.ReadUInt16(header, BlobLayout.MlpHiddenOffset) + " is not 0 for a linear head");
            }

            var layout = new BlobLayout(c, k, layerCount);
            int end = source.Length - BlobLayout.CrcBytes;
            int offset = BlobLayout.InputSection + BlobLayout.InputBytesPerChannel * c;
            int width = c;
            for (int l = 0; l < layerCount; l++)
            {
                CheckFits(source, offset + BlobLayout.LayerHeaderBytes, end, "layer " + l + " header");
                string prefix = "layer " + l + " ";
                source.Fetch(offset, BlobLayout.LayerHeaderBytes);
                byte[] layerHeader = source.Window;
                int at = source.WindowIndex;
                int cell = layerHeader[at + BlobLayout.LayerCellTypeOffset];
                if (cell < BlobLayout.CellTypeLstm || cell > BlobLayout.CellTypeRnnRelu)
                {
                    throw new ModelFormatException(
                        prefix + "cell_type " + cell + " is not supported (1 LSTM, 2 GRU, 3 RNN-tanh, 4 RNN-relu)");
                }

                int cf = layerHeader[at + BlobLayout.LayerCellFracBitsOffset];
                if (cell == BlobLayout.CellTypeLstm && (cf < BlobLayout.MinCellFracBits || cf > BlobLayout.MaxCellFracBits))
                {
                    throw new ModelFormatException(
                        prefix + "cell_frac_bits " + cf + " is outside " + BlobLayout.MinCellFracBits + ".." + BlobLayout.MaxCellFracBits);
                }

                if (cell != BlobLayout.CellTypeLstm && cf != 0)
                {
                    throw new ModelFormatException(prefix + "cell_frac_bits " + cf + " is not 0 for a layer without cell state");
                }

                int h = CheckDimension(layerHeader, at + BlobLayout.LayerHiddenSizeOffset, prefix + "hidden_size");
                CheckFloat(source, offset + BlobLayout.LayerHiddenScaleOffset, prefix + "hidden_scale", true);
                layout.LayerHeaders[l] = offset;
                layout.LayerSections[l] = offset + BlobLayout.LayerHeaderBytes;
                layout.CellTypes[l] = cell;
                layout.CellFracBits[l] = cf;
                layout.InputSizes[l] = width;
                layout.HiddenSizes[l] = h;
                offset += BlobLayout.LayerHeaderBytes + BlobLayout.LayerSectionBytes(BlobLayout.RowsPerUnit(cell) * h, width, h);
                width = h;
            }

            if (mlpUnits > 0)
            {
                layout.MlpUnits = mlpUnits;
                layout.MlpSections = offset + 4;
                offset = layout.MlpSections + BlobLayout.DenseSectionBytes(mlpUnits, width);
                width = mlpUnits;
            }

            layout.HeadSections = offset;
            offset += BlobLayout.DenseSectionBytes(k, width);
            if (offset > end)
            {
                throw new ModelFormatException(
                    "total_bytes " + source.Length + " does not match the layers and head (expected at least "
                    + (offset + BlobLayout.CrcBytes) + ")");
            }

            layout.RecordsStart = offset;
            return layout;
        }

        private static void CheckFits(BlobSource source, int offset, int end, string what)
        {
            if (offset > end)
            {
                throw new ModelFormatException(
                    "total_bytes " + source.Length + " does not match the layers and head (" + what + " runs past the end)");
            }
        }

        // 5. output_scale, the input section, then each layer's shifts, multipliers and weights, then
        //    the head's (MLP first): no blob can make the arithmetic wrap.
        private static void CheckSections(BlobSource source, BlobLayout layout)
        {
            CheckFloat(source, BlobLayout.OutputScaleOffset, "output_scale", true);
            CheckInputSection(source, BlobLayout.InputSection, layout.InputChannels);
            for (int l = 0; l < layout.LayerCount; l++)
            {
                int r = BlobLayout.RowsPerUnit(layout.CellTypes[l]) * layout.HiddenSizes[l];
                int start = layout.LayerSections[l];
                int wx = start + BlobLayout.LayerWxPerRow * r;
                string prefix = "layer " + l + " ";
                CheckShifts(source, start + BlobLayout.LayerSxPerRow * r, r, prefix + "sx");
                CheckShifts(source, start + BlobLayout.LayerShPerRow * r, r, prefix + "sh");
                CheckMultipliers(source, start + BlobLayout.LayerMxPerRow * r, r, prefix + "mx");
                CheckMultipliers(source, start + BlobLayout.LayerMhPerRow * r, r, prefix + "mh");
                CheckWeights(source, wx, r, layout.InputSizes[l], prefix + "wx");
                CheckWeights(source, wx + r * layout.InputSizes[l], r, layout.HiddenSizes[l], prefix + "wh");
            }

            int width = layout.HiddenSizes[layout.LayerCount - 1];
            if (layout.MlpUnits > 0)
            {
                CheckFloat(source, layout.MlpSections - 4, "mlp_scale", true);
                CheckDense(source, layout.MlpSections, layout.MlpUnits, width, "mlp_");
                width = layout.MlpUnits;
            }

            CheckDense(source, layout.HeadSections, layout.ClassCount, width, "head_");
        }

        private static void CheckDense(BlobSource source, int start, int rows, int columns, string prefix)
        {
            CheckShifts(source, start + BlobLayout.DenseSPerRow * rows, rows, prefix + "s");
            CheckMultipliers(source, start + BlobLayout.DenseMPerRow * rows, rows, prefix + "m");
            CheckWeights(source, start + BlobLayout.DenseWPerRow * rows, rows, columns, prefix + "w");
        }

        // 6. The records between the head and the CRC: each header, then the records this library
        //    knows (a second one of a tag is refused); unknown tags are skipped.
        private static void CheckRecords(BlobSource source, BlobLayout layout, BlobRecords records)
        {
            int end = source.Length - BlobLayout.CrcBytes;
            bool haveNames = false;
            bool haveCheck = false;
            int offset = layout.RecordsStart;
            for (int index = 0; offset < end; index++)
            {
                if (end - offset < BlobLayout.RecordHeaderBytes)
                {
                    throw new ModelFormatException(At(index, offset) + ": its 8-byte header runs past the end (" + (end - offset) + " bytes before the CRC)");
                }

                source.Fetch(offset, BlobLayout.RecordHeaderBytes);
                int tag = LittleEndian.ReadUInt16(source.Window, source.WindowIndex);
                int flags = LittleEndian.ReadUInt16(source.Window, source.WindowIndex + 2);
                uint length = LittleEndian.ReadUInt32(source.Window, source.WindowIndex + 4);
                if (flags != 0)
                {
                    throw new ModelFormatException(At(index, offset) + ": flags " + flags + " is not 0");
                }

                int room = end - offset - BlobLayout.RecordHeaderBytes;
                if (length > (uint)room)
                {
                    throw new ModelFormatException(At(index, offset) + ": payload_bytes " + length + " runs past the end (" + room + " bytes before the CRC)");
                }

                int payload = offset + BlobLayout.RecordHeaderBytes;
                if (tag == BlobLayout.TagClassNames)
                {
                    if (haveNames) throw new ModelFormatException(At(index, offset) + ": a second record of tag " + tag);
                    haveNames = true;
                    records.ClassNames = ReadNames(source, payload, (int)length, layout.ClassCount);
                }
                else if (tag == BlobLayout.TagCheckSequence)
                {
                    if (haveCheck) throw new ModelFormatException(At(index, offset) + ": a second record of tag " + tag);
                    haveCheck = true;
                    ReadCheck(source, payload, (int)length, layout.InputChannels, layout.ClassCount, records);
                }

                offset = payload + (int)length;
            }
        }

        // Built only for a message: nothing is allocated for a record that is right.
        private static string At(int index, int offset)
        {
            return "record " + index + " (at byte " + offset + ")";
        }

        private static string[] ReadNames(BlobSource source, int payload, int length, int k)
        {
            var names = new string[k];
            int at = 0;
            for (int index = 0; index < k; index++)
            {
                if (at >= length)
                {
                    throw new ModelFormatException("class names: the record holds " + index + " names, class_count is " + k);
                }

                source.Fetch(payload + at, 1);
                int size = source.Window[source.WindowIndex];
                if (size < 1 || size > BlobLayout.MaxNameBytes)
                {
                    throw new ModelFormatException("class name " + index + ": length " + size + " is outside 1.." + BlobLayout.MaxNameBytes);
                }

                if (at + 1 + size > length)
                {
                    throw new ModelFormatException("class name " + index + ": runs past its record");
                }

                source.Fetch(payload + at + 1, size);
                var chars = new char[size];
                for (int i = 0; i < size; i++)
                {
                    int b = source.Window[source.WindowIndex + i];
                    if (b < 0x20 || b > 0x7E)
                    {
                        throw new ModelFormatException("class name " + index + ": byte " + i + " is 0x" + b.ToString("X2") + ", not printable ASCII");
                    }

                    chars[i] = (char)b;
                }

                names[index] = new string(chars);
                at += 1 + size;
            }

            if (at != length)
            {
                throw new ModelFormatException("class names: " + (length - at) + " bytes after the " + k + " names of class_count");
            }

            return names;
        }

        private static void ReadCheck(BlobSource source, int payload, int length, int c, int k, BlobRecords records)
        {
            if (length < 4)
            {
                throw new ModelFormatException("check sequence: payload_bytes " + length + " is too short for its 4-byte header");
            }

            source.Fetch(payload, 4);
            int steps = LittleEndian.ReadUInt16(source.Window, source.WindowIndex);
            int reserved = LittleEndian.ReadUInt16(source.Window, source.WindowIndex + 2);
            if (reserved != 0)
            {
                throw new ModelFormatException("check sequence: reserved field is " + reserved + ", expected 0");
            }

            if (steps < 1 || steps > BlobLayout.MaxCheckSteps)
            {
                throw new ModelFormatException("check sequence: steps " + steps + " is outside 1.." + BlobLayout.MaxCheckSteps);
            }

            int expected = 4 + 2 * steps * c + 4 * steps * k;
            if (length != expected)
            {
                throw new ModelFormatException("check sequence: payload_bytes " + length + " does not match " + steps + " steps of "
                    + c + " inputs and " + k + " scores (expected " + expected + ")");
            }

            records.CheckSteps = steps;
            records.CheckInputs = new short[steps * c];
            for (source.Start(payload + 4, steps * c, 2); source.Next();)
            {
                for (int i = 0; i < source.PieceCount; i++)
                {
                    records.CheckInputs[source.PieceFirst + i] = (short)LittleEndian.ReadUInt16(source.Window, source.WindowIndex + 2 * i);
                }
            }

            records.CheckScores = source.ReadInt32s(payload + 4 + 2 * steps * c, steps * k);
        }

        /// <summary>
        /// 7. Refuses a row whose rescale_sum could leave int64: (in · mx' + H · mh') · 127 · 32768 +
        /// 2^(s − 1) must stay below 2^63 (docs/model-format.md, "Limits"), on a layer's multipliers
        /// after <see cref="RnnLayer.CommonShift"/>. Only rows with a shift of 57 or more in layers
        /// with in + H near 1024 can fail it.
        /// </summary>
        internal static void CheckRescaleRange(int[] mx, int[] mh, byte[] shift, int inputs, int hidden, string name)
        {
            const long Product = 127 * 32768;       // the largest |w · v|
            for (int r = 0; r < mx.Length; r++)
            {
                // Each term < 512 · 2^22 · 2^31 = 2^62: the comparison cannot overflow.
                long x = inputs * Product * mx[r];
                long h = hidden * Product * mh[r];
                if (x > long.MaxValue - (1L << (shift[r] - 1)) - h)
                {
                    throw new ModelFormatException(
                        name + "row " + r + ": mx' " + mx[r] + " and mh' " + mh[r] + " at shift " + shift[r]
                        + " could take the sum of the input (" + inputs + " columns) and recurrent (" + hidden
                        + " columns) products past int64");
                }
            }
        }

        private static void CheckReserved(int value, int offset)
        {
            if (value != 0)
            {
                throw new ModelFormatException("reserved header field at offset " + offset + " is " + value + ", expected 0");
            }
        }

        // data[index]: a u16 field of the header or of a layer header.
        private static int CheckDimension(byte[] data, int index, string field)
        {
            int value = LittleEndian.ReadUInt16(data, index);
            if (value < 1 || value > BlobLayout.MaxDimension)
            {
                throw new ModelFormatException(field + " " + value + " is outside 1.." + BlobLayout.MaxDimension);
            }

            return value;
        }

        // Every input_scale finite and positive and every input_zero finite (channel by channel), then
        // every channel source known. Each array is scanned once in order (a reader's buffer need not
        // hold both): the first bad channel of either reports, input_scale first within a channel.
        private static void CheckInputSection(BlobSource source, int inputScale, int c)
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

        private static void CheckFloat(BlobSource source, int offset, string field, bool mustBePositive)
        {
            if (FirstBadFloat(source, offset, 1, mustBePositive) == 0)
            {
                uint bits = source.ReadUInt32(offset);
                throw new ModelFormatException(
                    field + " " + LittleEndian.ReadSingle(source.Window, source.WindowIndex).ToString() + " (bits 0x" + bits.ToString("X8")
                    + ") is not finite" + (mustBePositive ? " and positive" : ""));
            }
        }

        private static void CheckShifts(BlobSource source, int offset, int count, string field)
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

        private static void CheckMultipliers(BlobSource source, int offset, int count, string field)
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
        private static void CheckWeights(BlobSource source, int offset, int rows, int columns, string field)
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
