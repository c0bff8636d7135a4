namespace NanoRnn
{
    /// <summary>
    /// Where each field of a format-version-2 or -3 blob lives (docs/model-format.md, "format version 2"),
    /// found by walking the layer headers, and the loader's checks of such a blob (steps 4 and 5);
    /// version 3's records (<see cref="BlobRecords"/>) follow the head.
    /// </summary>
    internal sealed class StackLayout
    {
        // Header: offset                          type     field (magic .. total_bytes, C, K, output_scale
        //                                                  and sample_rate are where version 1 has them)
        internal const int Reserved12Offset = 12;   // u8     0
        internal const int LayerCountOffset = 13;   // u8     1..4
        internal const int HeadTypeOffset = 14;     // u8     1 = linear, 2 = MLP (Linear, ReLU, Linear)
        internal const int HeadStepsOffset = 15;    // u8     0 = trained on the last step, 1 = on every step
        internal const int MlpHiddenOffset = 18;    // u16    M, 1..512 for an MLP head, 0 for a linear one
        internal const int Reserved22Offset = 22;   // u8     0
        internal const int Reserved23Offset = 23;   // u8     0

        internal const int FormatVersion = 2;
        internal const int MaxLayerCount = 4;
        internal const int HeadTypeLinear = 1;
        internal const int HeadTypeMlp = 2;

        // Layer header: offset within it            type     field
        private const int LayerCellTypeOffset = 0;   // u8     RnnModel.CellType*
        private const int LayerCellFracOffset = 1;   // u8     LSTM: 4..15; other cells: 0
        private const int LayerHiddenOffset = 2;     // u16    H, 1..512
        private const int LayerHiddenScaleOffset = 4; // f32   real value of one count of h; finite, > 0
        private const int LayerHeaderBytes = 8;

        internal readonly int InputScale;            // f32 C, then input_zero f32 C, channel_source u8 C
        internal readonly int LayerCount;
        internal readonly int[] LayerHeaders;        // offset of each layer's header
        internal readonly int[] LayerSections;       // offset of each layer's wx_row_scale
        internal readonly int[] CellTypes;
        internal readonly int[] CellFracBits;
        internal readonly int[] InputSizes;          // C, then the previous layer's H
        internal readonly int[] HiddenSizes;
        internal readonly int MlpUnits;              // M, 0 for a linear head
        internal readonly int MlpSections;           // offset of the MLP's w_row_scale (mlp_scale f32 just before)
        internal readonly int HeadSections;          // offset of the output Linear's w_row_scale
        internal readonly int RecordsStart;          // version 3: offset of the first record (the CRC's when none)
        internal BlobRecords Records;                // version 3: what the records hold; null for version 2

        // Step 4 for version 2: header fields, then each layer header in turn; total_bytes must equal
        // the size they imply.
        private StackLayout(BlobSource source, int version)
        {
            byte[] header = source.Header;
            LayerCount = header[LayerCountOffset];
            if (LayerCount < 1 || LayerCount > MaxLayerCount)
            {
                throw new ModelFormatException("layer_count " + LayerCount + " is outside 1.." + MaxLayerCount);
            }

            int headType = header[HeadTypeOffset];
            if (headType != HeadTypeLinear && headType != HeadTypeMlp)
            {
                throw new ModelFormatException("head_type " + headType + " is not supported (1 = linear, 2 = MLP)");
            }

            int headSteps = header[HeadStepsOffset];
            if (headSteps > 1)
            {
                throw new ModelFormatException("head_steps " + headSteps + " is not 0 (last step) or 1 (every step)");
            }

            RnnModel.CheckReserved(header[Reserved12Offset], Reserved12Offset);
            RnnModel.CheckReserved(header[Reserved22Offset], Reserved22Offset);
            RnnModel.CheckReserved(header[Reserved23Offset], Reserved23Offset);
            RnnModel.CheckReserved(LittleEndian.ReadUInt16(header, BlobLayout.Reserved30Offset), BlobLayout.Reserved30Offset);
            int c = RnnModel.CheckDimension(header, BlobLayout.InputChannelsOffset, "input_channels");
            int k = RnnModel.CheckDimension(header, BlobLayout.ClassCountOffset, "class_count");
            if (headType == HeadTypeMlp)
            {
                MlpUnits = RnnModel.CheckDimension(header, MlpHiddenOffset, "mlp_hidden");
            }
            else if (LittleEndian.ReadUInt16(header, MlpHiddenOffset) != 0)
            {
                throw new ModelFormatException(
                    "mlp_hidden " + LittleEndian.ReadUInt16(header, MlpHiddenOffset) + " is not 0 for a linear head");
            }

            int end = source.Length - BlobLayout.CrcBytes;
            InputScale = BlobLayout.HeaderBytes;
            int offset = InputScale + 9 * c;
            LayerHeaders = new int[LayerCount];
            LayerSections = new int[LayerCount];
            CellTypes = new int[LayerCount];
            CellFracBits = new int[LayerCount];
            InputSizes = new int[LayerCount];
            HiddenSizes = new int[LayerCount];
            int width = c;
            for (int l = 0; l < LayerCount; l++)
            {
                CheckFits(source, offset + LayerHeaderBytes, end, "layer " + l + " header");
                string prefix = "layer " + l + " ";
                source.Fetch(offset, LayerHeaderBytes);
                byte[] layerHeader = source.Window;
                int at = source.WindowIndex;
                int cell = layerHeader[at + LayerCellTypeOffset];
                if (cell < RnnModel.CellTypeLstm || cell > RnnModel.CellTypeRnnRelu)
                {
                    throw new ModelFormatException(
                        prefix + "cell_type " + cell + " is not supported (1 LSTM, 2 GRU, 3 RNN-tanh, 4 RNN-relu)");
                }

                int cf = layerHeader[at + LayerCellFracOffset];
                if (cell == RnnModel.CellTypeLstm && (cf < BlobLayout.MinCellFracBits || cf > BlobLayout.MaxCellFracBits))
                {
                    throw new ModelFormatException(
                        prefix + "cell_frac_bits " + cf + " is outside " + BlobLayout.MinCellFracBits + ".." + BlobLayout.MaxCellFracBits);
                }

                if (cell != RnnModel.CellTypeLstm && cf != 0)
                {
                    throw new ModelFormatException(prefix + "cell_frac_bits " + cf + " is not 0 for a layer without cell state");
                }

                int h = RnnModel.CheckDimension(layerHeader, at + LayerHiddenOffset, prefix + "hidden_size");
                RnnModel.CheckFloat(source, offset + LayerHiddenScaleOffset, prefix + "hidden_scale", true);
                LayerHeaders[l] = offset;
                LayerSections[l] = offset + LayerHeaderBytes;
                CellTypes[l] = cell;
                CellFracBits[l] = cf;
                InputSizes[l] = width;
                HiddenSizes[l] = h;
                offset += LayerHeaderBytes + RnnLayer.SectionBytes(RnnLayer.RowsPerUnit(cell) * h, width, h);
                width = h;
            }

            if (MlpUnits > 0)
            {
                MlpSections = offset + 4;
                offset = MlpSections + DenseLayer.SectionBytes(MlpUnits, width);
                width = MlpUnits;
            }

            HeadSections = offset;
            offset += DenseLayer.SectionBytes(k, width);
            RecordsStart = offset;
            if (version == BlobRecords.FormatVersion && offset <= end)
            {
                return;
            }

            if (offset != end)
            {
                throw new ModelFormatException(
                    "total_bytes " + source.Length + " does not match the layers and head (expected "
                    + (offset + BlobLayout.CrcBytes) + ")");
            }
        }

        /// <summary>
        /// Steps 4 and 5 of the loader's checks for a version-2 or -3 blob whose identity, size and CRC
        /// are checked; then, for version 3, step 6: the records.
        /// </summary>
        internal static StackLayout Check(BlobSource source, int version)
        {
            StackLayout layout = new StackLayout(source, version);
            layout.CheckSections(source);
            if (version == BlobRecords.FormatVersion)
            {
                byte[] header = source.Header;
                layout.Records = BlobRecords.Read(source, layout.RecordsStart, source.Length - BlobLayout.CrcBytes,
                    LittleEndian.ReadUInt16(header, BlobLayout.InputChannelsOffset), LittleEndian.ReadUInt16(header, BlobLayout.ClassCountOffset));
            }

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

        // Step 5: output_scale, the input section, then each layer's shifts, multipliers and weights,
        // then the head's (MLP first).
        private void CheckSections(BlobSource source)
        {
            RnnModel.CheckFloat(source, BlobLayout.OutputScaleOffset, "output_scale", true);
            int c = LittleEndian.ReadUInt16(source.Header, BlobLayout.InputChannelsOffset);
            RnnModel.CheckInputSection(source, InputScale, c);
            for (int l = 0; l < LayerCount; l++)
            {
                int r = RnnLayer.RowsPerUnit(CellTypes[l]) * HiddenSizes[l];
                int sx = LayerSections[l] + 20 * r;      // after the f32 and i32 row arrays
                string prefix = "layer " + l + " ";
                RnnModel.CheckShifts(source, sx, r, prefix + "sx");
                RnnModel.CheckShifts(source, sx + r, r, prefix + "sh");
                RnnModel.CheckMultipliers(source, LayerSections[l] + 12 * r, r, prefix + "mx");
                RnnModel.CheckMultipliers(source, LayerSections[l] + 16 * r, r, prefix + "mh");
                RnnModel.CheckWeights(source, sx + 2 * r, r, InputSizes[l], prefix + "wx");
                RnnModel.CheckWeights(source, sx + 2 * r + r * InputSizes[l], r, HiddenSizes[l], prefix + "wh");
            }

            int width = HiddenSizes[LayerCount - 1];
            if (MlpUnits > 0)
            {
                RnnModel.CheckFloat(source, MlpSections - 4, "mlp_scale", true);
                CheckDense(source, MlpSections, MlpUnits, width, "mlp_");
                width = MlpUnits;
            }

            CheckDense(source, HeadSections, LittleEndian.ReadUInt16(source.Header, BlobLayout.ClassCountOffset), width, "head_");
        }

        private static void CheckDense(BlobSource source, int sections, int rows, int columns, string prefix)
        {
            RnnModel.CheckShifts(source, sections + 12 * rows, rows, prefix + "s");
            RnnModel.CheckMultipliers(source, sections + 8 * rows, rows, prefix + "m");
            RnnModel.CheckWeights(source, sections + 13 * rows, rows, columns, prefix + "w");
        }
    }
}
