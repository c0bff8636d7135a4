namespace NanoRnn
{
    /// <summary>The head's Linear layers: the output one (int32 scores) and an MLP's first one with its ReLU (int16 units).</summary>
    internal static class DenseKernel
    {
        // PyTorch: logits = W v + b
        //
        // Integer, for every class k (v int16: h of the last layer, or u of an MLP head):
        //   acc[k] = Σ_j W[k, j] · v[j]                                   int32, exact
        //   q[k]   = sat32(rescale(acc[k], m[k], s[k]) + bias[k])         logit = q · output_scale
        internal static void Compute(
            sbyte[] w, int[] bias, int[] multiplier, byte[] shift,
            short[] v, int columns, int classCount,
            int[] output, int outputOffset)
        {
            int wIndex = 0;     // start of row k in w
            for (int k = 0; k < classCount; k++)
            {
                // acc[k] = Σ_j W[k, j] · h[j]
                int acc = 0;
                for (int j = 0; j < columns; j++)
                {
                    acc += w[wIndex + j] * v[j];
                }

                // q[k] = sat32(rescale(acc, m, s) + bias)
                output[outputOffset + k] = FixedPoint.Saturate32(FixedPoint.Rescale(acc, multiplier[k], shift[k]) + bias[k]);
                wIndex += columns;
            }
        }

        // The first Linear of an MLP head, then ReLU (PyTorch: u = relu(W1 h + b1)):
        //   acc[m] = Σ_j W1[m, j] · h[j]                                  int32, exact
        //   u[m]   = max(0, sat16(rescale(acc[m], m1[m], s1[m]) + b1[m]))  int16, real = u · mlp_scale
        internal static void ComputeRelu16(
            sbyte[] w, int[] bias, int[] multiplier, byte[] shift,
            short[] v, int columns, int unitCount,
            short[] units)
        {
            int wIndex = 0;
            for (int m = 0; m < unitCount; m++)
            {
                int acc = 0;
                for (int j = 0; j < columns; j++)
                {
                    acc += w[wIndex + j] * v[j];
                }

                long q = FixedPoint.Rescale(acc, multiplier[m], shift[m]) + bias[m];
                units[m] = (short)(q > short.MaxValue ? short.MaxValue : q < 0 ? 0 : q);
                wIndex += columns;
            }
        }
    }
}
