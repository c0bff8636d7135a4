namespace NanoRnn
{
    /// <summary>One plain RNN step, written as the equations read (tools/nanornn/reference.py: rnn_step).</summary>
    internal static class RnnReference
    {
        // PyTorch:  h' = tanh(W_ih x + b_ih + W_hh h + b_hh)      (nonlinearity="tanh")
        //           h' = relu(W_ih x + b_ih + W_hh h + b_hh)      (nonlinearity="relu")
        //
        // Integer, unit j:
        //   tanh: h' = tanh(pre[j])       pre Q3.12, h Q0.15
        //   relu: h' = max(pre[j], 0)     pre and h in units of the layer's hidden_scale
        internal static void Step(RnnLayer layer, short[] x, int xOffset, short[] pre, short[] h)
        {
            RowReference.PreActivations(layer, x, xOffset, h, pre);
            bool tanh = layer.CellType == RnnModel.CellTypeRnnTanh;
            for (int j = 0; j < layer.HiddenSize; j++)
            {
                h[j] = tanh ? Activation.Tanh(pre[j]) : pre[j] > 0 ? pre[j] : (short)0;
            }
        }
    }
}
