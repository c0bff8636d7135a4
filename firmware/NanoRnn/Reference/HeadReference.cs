namespace NanoRnn
{
    /// <summary>The head, written as the equations read (tools/nanornn/reference.py: head, dense).</summary>
    internal static class HeadReference
    {
        // PyTorch:  logits = W v + b                      (linear head on the last layer's h)
        //           logits = W2 relu(W1 h + b1) + b2      (MLP head)
        //
        // Integer, row k of a Linear over v:
        //   acc[k] = Σ_j W[k, j] · v[j]                                     int32, exact
        //   MLP:     u[k] = max(0, sat16(rescale(acc[k], m[k], s[k]) + b[k]))  real = u · mlp_scale
        //   output:  q[k] = sat32(rescale(acc[k], m[k], s[k]) + b[k])          logit = q · output_scale
        internal static void Compute(DenseLayer mlp, DenseLayer head, short[] h, short[] units, int[] output, int offset)
        {
            short[] v = h;
            if (mlp != null)
            {
                for (int k = 0; k < mlp.Rows; k++)
                {
                    short u = FixedPoint.Saturate16(FixedPoint.Rescale(Dot(mlp, k, v), mlp.Multiplier[k], mlp.Shift[k]) + mlp.Bias[k]);
                    units[k] = u > 0 ? u : (short)0;
                }

                v = units;
            }

            for (int k = 0; k < head.Rows; k++)
            {
                output[offset + k] = FixedPoint.Saturate32(FixedPoint.Rescale(Dot(head, k, v), head.Multiplier[k], head.Shift[k]) + head.Bias[k]);
            }
        }

        private static int Dot(DenseLayer layer, int row, short[] v)
        {
            int acc = 0;
            for (int j = 0; j < layer.Columns; j++)
            {
                acc += layer.W[row * layer.Columns + j] * v[j];
            }

            return acc;
        }
    }
}
