namespace NanoRnn
{
    /// <summary>The row pre-activations every cell starts from, written as the equation reads.</summary>
    internal static class RowReference
    {
        // For every row r of the layer (PyTorch: W_ih x + b_ih + W_hh h + b_hh, one gate block of rows each):
        //   accx[r] = Σ_c Wx[r, c] · x[c]                                   int32, exact
        //   acch[r] = Σ_k Wh[r, k] · h[k]                                   int32, exact
        //   pre[r]  = sat16(rescale_sum(accx, mx'[r], acch, mh'[r], s[r]) + bias[r])
        // with the row's one shift s and multipliers mx', mh' (RnnLayer.CommonShift at load).
        // tools/nanornn/reference.py: pre_activations.
        internal static void PreActivations(RnnLayer layer, short[] x, int xOffset, short[] h, short[] pre)
        {
            int inputs = layer.InputChannels;
            int hidden = layer.HiddenSize;
            for (int r = 0; r < layer.RowCount; r++)
            {
                int accx = 0;
                for (int c = 0; c < inputs; c++)
                {
                    accx += layer.Wx[r * inputs + c] * x[xOffset + c];
                }

                int acch = 0;
                for (int k = 0; k < hidden; k++)
                {
                    acch += layer.Wh[r * hidden + k] * h[k];
                }

                pre[r] = FixedPoint.Saturate16(
                    FixedPoint.RescaleSum(accx, layer.Mx[r], acch, layer.Mh[r], layer.Shift[r]) + layer.GateBias[r]);
            }
        }
    }
}
