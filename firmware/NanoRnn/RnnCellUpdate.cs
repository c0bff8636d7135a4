namespace NanoRnn
{
    /// <summary>Second half of a plain RNN step: the new hidden state from its pre-activation.</summary>
    internal static class RnnCellUpdate
    {
        // PyTorch: h' = tanh(W_ih x + b_ih + W_hh h + b_hh)   or   relu(…) with nonlinearity="relu"
        //
        // Integer, for every hidden unit j (one row each):
        //   tanh: h'[j] = TANH(pre[j])          pre Q3.12, h' Q0.15
        //   relu: h'[j] = max(pre[j], 0)        pre already in h's own scale (hidden_scale), so the
        //                                        int16 saturation of pre is h's calibrated range
        internal static void ComputeTanh(short[] preQ3_12, int hiddenCount, short[] hiddenQ0_15)
        {
            short[] tanh = ActivationTables.Tanh;
            for (int j = 0; j < hiddenCount; j++)
            {
                int u = preQ3_12[j] + 32768;
                int k = u >> 7;
                int low = tanh[k];
                hiddenQ0_15[j] = (short)(low + (((tanh[k + 1] - low) * (u & 127) + 64) >> 7));
            }
        }

        internal static void ComputeRelu(short[] pre, int hiddenCount, short[] hidden)
        {
            for (int j = 0; j < hiddenCount; j++)
            {
                short v = pre[j];
                hidden[j] = v > 0 ? v : (short)0;
            }
        }
    }
}
