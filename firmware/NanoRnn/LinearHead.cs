namespace NanoRnn
{
    /// <summary>The classifier head on the last hidden state: one int32 score per class.</summary>
    internal static class LinearHead
    {
        // PyTorch: logits = W h + b
        //
        // Integer, for every class k:
        //   acc[k] = Σ_j W[k, j] · h[j]                                   int32, exact
        //   q[k]   = sat32(rescale(acc[k], m[k], s[k]) + bias[k])         logit = q · output_scale
        internal static void Compute(
            sbyte[] w, int[] bias, int[] multiplier, byte[] shift,
            short[] hQ0_15, int hiddenCount, int classCount,
            int[] output, int outputOffset)
        {
            int wIndex = 0;     // start of row k in w
            for (int k = 0; k < classCount; k++)
            {
                // acc[k] = Σ_j W[k, j] · h[j]
                int acc = 0;
                for (int j = 0; j < hiddenCount; j++)
                {
                    acc += w[wIndex + j] * hQ0_15[j];
                }

                // q[k] = sat32(rescale(acc, m, s) + bias)
                output[outputOffset + k] = FixedPoint.Saturate32(FixedPoint.Rescale(acc, multiplier[k], shift[k]) + bias[k]);
                wIndex += hiddenCount;
            }
        }
    }
}
