namespace NanoRnn
{
    /// <summary>One head layer: rows of int8 weights, q = rescale(W v, m, s) + bias (docs/model-format.md).</summary>
    internal sealed class DenseLayer
    {
        internal readonly int Rows;
        internal readonly int Columns;
        internal readonly sbyte[] W;              // [rows·columns] row-major
        internal readonly int[] Bias;             // [rows]
        internal readonly int[] Multiplier;       // [rows]
        internal readonly byte[] Shift;           // [rows] 1..62

        // sections: the offset of w_row_scale, where the Linear's sections start (BlobLayout).
        internal DenseLayer(BlobSource source, int sections, int rows, int columns)
        {
            Rows = rows;
            Columns = columns;
            Bias = source.ReadInt32s(sections + BlobLayout.DenseBiasPerRow * rows, rows);
            Multiplier = source.ReadInt32s(sections + BlobLayout.DenseMPerRow * rows, rows);
            Shift = source.ReadBytes(sections + BlobLayout.DenseSPerRow * rows, rows);
            W = source.ReadSBytes(sections + BlobLayout.DenseWPerRow * rows, rows * columns);
        }
    }
}
