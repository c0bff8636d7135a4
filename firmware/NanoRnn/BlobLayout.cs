namespace NanoRnn
{
    /// <summary>
    /// Where the parts of one blob are: the constants of the format (BlobLayout.g.cs, from
    /// tools/nanornn/layout.py) and, for a blob that <see cref="BlobChecker"/> has walked, the offset
    /// and shape of each layer, of the head and of the records.
    /// </summary>
    internal sealed partial class BlobLayout
    {
        internal const int InputSection = HeaderBytes;  // input_scale f32 [C], input_zero f32 [C], channel_source u8 [C]
        internal const int InputBytesPerChannel = 9;

        internal readonly int InputChannels;             // C
        internal readonly int ClassCount;                // K
        internal readonly int[] LayerHeaders;            // offset of each layer's header
        internal readonly int[] LayerSections;           // offset of each layer's first section, wx_row_scale
        internal readonly int[] CellTypes;
        internal readonly int[] CellFracBits;
        internal readonly int[] InputSizes;              // in: C, then the previous layer's H
        internal readonly int[] HiddenSizes;
        internal int MlpUnits;                           // M, 0 for a linear head
        internal int MlpSections;                        // offset of the MLP Linear's w_row_scale (mlp_scale f32 just before)
        internal int HeadSections;                       // offset of the output Linear's w_row_scale
        internal int RecordsStart;                       // offset of the first record (the CRC's when there are none)

        internal BlobLayout(int inputChannels, int classCount, int layerCount)
        {
            InputChannels = inputChannels;
            ClassCount = classCount;
            LayerHeaders = new int[layerCount];
            LayerSections = new int[layerCount];
            CellTypes = new int[layerCount];
            CellFracBits = new int[layerCount];
            InputSizes = new int[layerCount];
            HiddenSizes = new int[layerCount];
        }

        internal int LayerCount
        {
            get { return LayerHeaders.Length; }
        }

        /// <summary>Rows per hidden unit: 4 (LSTM, GRU), 1 (RNN).</summary>
        internal static int RowsPerUnit(int cellType)
        {
            return cellType == CellTypeLstm || cellType == CellTypeGru ? 4 : 1;
        }

        /// <summary>Bytes of a layer's sections, R rows over in inputs and H hidden units.</summary>
        internal static int LayerSectionBytes(int rows, int inputSize, int hiddenSize)
        {
            return rows * (LayerWxPerRow + inputSize + hiddenSize);
        }

        /// <summary>Bytes of a head Linear's sections.</summary>
        internal static int DenseSectionBytes(int rows, int columns)
        {
            return rows * (DenseWPerRow + columns);
        }
    }
}
