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
        internal readonly int[] GateBiasQ3_12;    // [R] in pre-activation units (Q3.12; RNN-relu: h's own scale)
        internal readonly int[] Mx;               // [R] multiplier of the input product, at Shift (mx')
        internal readonly int[] Mh;               // [R] multiplier of the recurrent product, at Shift (mh')
        internal readonly byte[] Shift;           // [R] the row's one right shift, min(sx, sh), 1..62

        // sections: the offset of wx_row_scale, where a layer's sections start (same order in versions 1 and 2).
        // copyGateWeights false: Wx and Wh stay in the blob, only their offsets are kept.
        // name: how messages name the layer ("" in version 1, "layer l " in version 2).
        internal RnnLayer(
            BlobSource source, int sections, int cellType, int cellFracBits, int inputChannels, int hiddenSize, bool copyGateWeights,
            string name)
        {
            CellType = cellType;
            CellFracBits = cellFracBits;
            InputChannels = inputChannels;
            HiddenSize = hiddenSize;
            int r = RowsPerUnit(cellType) * hiddenSize;
            RowCount = r;
            int bias = sections + 8 * r;          // after wx_row_scale and wh_row_scale (information only)
            GateBiasQ3_12 = source.ReadInt32s(bias, r);
            Mx = source.ReadInt32s(bias + 4 * r, r);
            Mh = source.ReadInt32s(bias + 8 * r, r);
            Shift = source.ReadBytes(bias + 12 * r, r);
            byte[] sh = source.ReadBytes(bias + 13 * r, r);
            CommonShift(Mx, Shift, Mh, sh);
            CheckRescaleRange(Mx, Mh, Shift, inputChannels, hiddenSize, name);
            WxOffset = bias + 14 * r;
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

        /// <summary>
        /// Refuses a row whose rescale_sum could leave int64: (in · mx' + H · mh') · 127 · 32768 +
        /// 2^(s − 1) must stay below 2^63 (docs/model-format.md, "Limits"). Only rows with a shift of
        /// 57 or more in layers with in + H near 1024 can fail it.
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

        // rshr(m, d) for d ≥ 1, m for d = 0; m < 2^31, so m + 2^(d-1) needs a long only for d ≥ 31.
        private static int Narrow(int multiplier, int d)
        {
            return d == 0 ? multiplier : (int)((multiplier + (1L << (d - 1))) >> d);
        }

        /// <summary>Rows per hidden unit: 4 (LSTM, GRU), 1 (RNN).</summary>
        internal static int RowsPerUnit(int cellType)
        {
            return cellType == RnnModel.CellTypeLstm || cellType == RnnModel.CellTypeGru ? 4 : 1;
        }

        /// <summary>Bytes of a layer's sections: R·(22 + in + H).</summary>
        internal static int SectionBytes(int rows, int inputChannels, int hiddenSize)
        {
            return rows * (22 + inputChannels + hiddenSize);
        }
    }

    /// <summary>One head layer: rows of int8 weights, q = rescale(W v, m, s) + bias (docs/model-format.md).</summary>
    internal sealed class DenseLayer
    {
        internal readonly int Rows;
        internal readonly int Columns;
        internal readonly sbyte[] W;              // [rows·columns] row-major
        internal readonly int[] Bias;             // [rows]
        internal readonly int[] Multiplier;       // [rows]
        internal readonly byte[] Shift;           // [rows] 1..62

        // sections: the offset of w_row_scale; then bias, m, s, W (same order in versions 1 and 2).
        internal DenseLayer(BlobSource source, int sections, int rows, int columns)
        {
            Rows = rows;
            Columns = columns;
            int bias = sections + 4 * rows;
            Bias = source.ReadInt32s(bias, rows);
            Multiplier = source.ReadInt32s(bias + 4 * rows, rows);
            Shift = source.ReadBytes(bias + 8 * rows, rows);
            W = source.ReadSBytes(bias + 9 * rows, rows * columns);
        }

        /// <summary>Bytes of a head layer's sections: rows·(13 + columns).</summary>
        internal static int SectionBytes(int rows, int columns)
        {
            return rows * (13 + columns);
        }
    }
}
