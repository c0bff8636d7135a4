namespace NanoRnn
{
    /// <summary>
    /// One recurrent layer of a model, as the kernels read it: R rows of int8 weights over the
    /// layer's input and its own hidden state, with their rescales and biases (docs/model-format.md).
    /// </summary>
    /// <remarks>
    /// Rows per hidden unit and their order (PyTorch's gate order):
    ///
    ///   LSTM       4H   i | f | g | o
    ///   GRU        4H   r | z | n_x | n_h     n_x = W_in x + b_in (recurrent weights 0),
    ///                                          n_h = W_hn h + b_hn (input weights 0)
    ///   RNN        H    the single pre-activation
    /// </remarks>
    internal sealed class RnnLayer
    {
        internal readonly int CellType;           // RnnModel.CellType*
        internal readonly int InputChannels;      // columns of Wx: C for layer 0, the previous layer's H after
        internal readonly int HiddenSize;         // H
        internal readonly int RowCount;           // R
        internal readonly int CellFracBits;       // LSTM: cell state Q(15-cf).cf; 0 otherwise
        internal readonly sbyte[] Wx;             // [R·in] row-major; null if loaded without gate weights
        internal readonly sbyte[] Wh;             // [R·H] row-major; null if loaded without gate weights
        internal readonly int WxOffset;           // where Wx starts in the blob (what a streamed network reads)
        internal readonly int WhOffset;           // where Wh starts in the blob
        internal readonly int[] GateBias;         // [R] in pre-activation units (Q3.12; RNN-relu: h's own scale)
        internal readonly int[] Mx;               // [R] multiplier of the input product, at Shift (mx')
        internal readonly int[] Mh;               // [R] multiplier of the recurrent product, at Shift (mh')
        internal readonly byte[] Shift;           // [R] the row's one right shift, min(sx, sh), 1..62

        // sections: the offset of wx_row_scale, where the layer's sections start (BlobLayout).
        // copyGateWeights false: Wx and Wh stay in the blob, only their offsets are kept.
        // name: how messages name the layer ("layer l ").
        internal RnnLayer(
            BlobSource source, int sections, int cellType, int cellFracBits, int inputChannels, int hiddenSize, bool copyGateWeights,
            string name)
        {
            CellType = cellType;
            CellFracBits = cellFracBits;
            InputChannels = inputChannels;
            HiddenSize = hiddenSize;
            int r = BlobLayout.RowsPerUnit(cellType) * hiddenSize;
            RowCount = r;
            GateBias = source.ReadInt32s(sections + BlobLayout.LayerBiasPerRow * r, r);
            Mx = source.ReadInt32s(sections + BlobLayout.LayerMxPerRow * r, r);
            Mh = source.ReadInt32s(sections + BlobLayout.LayerMhPerRow * r, r);
            Shift = source.ReadBytes(sections + BlobLayout.LayerSxPerRow * r, r);
            byte[] sh = source.ReadBytes(sections + BlobLayout.LayerShPerRow * r, r);
            CommonShift(Mx, Shift, Mh, sh);
            BlobChecker.CheckRescaleRange(Mx, Mh, Shift, inputChannels, hiddenSize, name);
            WxOffset = sections + BlobLayout.LayerWxPerRow * r;
            WhOffset = WxOffset + r * inputChannels;
            if (copyGateWeights)
            {
                Wx = source.ReadSBytes(WxOffset, r * inputChannels);
                Wh = source.ReadSBytes(WhOffset, r * hiddenSize);
            }
        }

        /// <summary>
        /// Turns each row's two rescales (mx, sx) and (mh, sh) into one shift s = min(sx, sh), in
        /// place: sx becomes s, and the multiplier whose shift was larger is rounded to it,
        /// m' = rshr(m, shift − s) (docs/model-format.md, "Row pre-activations").
        /// </summary>
        internal static void CommonShift(int[] mx, byte[] sx, int[] mh, byte[] sh)
        {
            for (int r = 0; r < mx.Length; r++)
            {
                int s = sx[r] < sh[r] ? sx[r] : sh[r];
                mx[r] = Narrow(mx[r], sx[r] - s);
                mh[r] = Narrow(mh[r], sh[r] - s);
                sx[r] = (byte)s;
            }
        }

        // rshr(m, d) for d ≥ 1, m for d = 0; m < 2^31, so m + 2^(d-1) needs a long only for d ≥ 31.
        private static int Narrow(int multiplier, int d)
        {
            return d == 0 ? multiplier : (int)((multiplier + (1L << (d - 1))) >> d);
        }
    }
}
