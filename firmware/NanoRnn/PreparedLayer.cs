namespace NanoRnn
{
    /// <summary>
    /// One layer of a network as its <see cref="KernelPlan"/> prepared it: which kernel runs it, what
    /// that kernel needs, and the layer's state and stage buffers.
    /// </summary>
    /// <remarks>
    /// Buffers, R = rows of the layer (<see cref="RnnLayer"/>):
    ///
    ///   LSTM  Pre [ i | f | g | o ] Q3.12      Gates [ σ(i) | σ(f) | tanh(g) | σ(o) ] Q0.15
    ///         Cell [ c_0 .. c_H-1 ] Q(15-cf).cf
    ///   GRU   Pre [ r | z | n_x | n_h ] Q3.12  Gates [ σ(r) | σ(z) | n Q0.15 | r ⊙ n_h Q3.12 ]
    ///   RNN   Pre [ H ] Q3.12 (relu: h's scale) Gates: the Hidden array itself
    ///
    ///   Hidden [ h_0 .. h_H-1 ] Q0.15, or for RNN-relu in units of the layer's hidden_scale; the next
    ///   layer reads it as its input. Cell is empty but for an LSTM.
    /// </remarks>
    internal sealed class PreparedLayer
    {
        internal const int KernelCompact = 0;     // GatePreActivations over the model's int8 rows, then the cell's Compute
        internal const int KernelPacked = 1;      // PackedGatePreActivations, then the cell's ComputePacked
        internal const int KernelStreamed = 2;    // StreamedGatePreActivations over the blob's rows, then the cell's Compute
        internal const int KernelReference = 3;   // Reference/: the equations as written, row by row
        internal const int KernelNative = 4;      // the installed INativeKernel (NanoRnn.Native): every layer in one call

        internal readonly RnnLayer Layer;
        internal readonly int Kernel;
        internal readonly PackedGatePreActivations Packed;   // the packed kernel's weights; else null
        internal readonly int ChunkRows;                     // streamed: weight rows per read; else 0
        internal readonly short[] Pre;
        internal readonly short[] Gates;
        internal readonly short[] Cell;
        internal readonly short[] Hidden;

        internal PreparedLayer(RnnLayer layer, int kernel, PackedGatePreActivations packed, int chunkRows)
        {
            Layer = layer;
            Kernel = kernel;
            Packed = packed;
            ChunkRows = chunkRows;
            int h = layer.HiddenSize;
            Pre = new short[layer.RowCount];
            Hidden = new short[h];
            // A plain RNN's one row per unit has no gate but h itself.
            Gates = BlobLayout.RowsPerUnit(layer.CellType) == 1 ? Hidden : new short[layer.RowCount];
            Cell = new short[layer.CellType == RnnModel.CellTypeLstm ? h : 0];
        }
    }
}
