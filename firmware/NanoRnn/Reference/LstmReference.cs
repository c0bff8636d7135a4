namespace NanoRnn
{
    /// <summary>One LSTM step, written as the equations read (tools/nanornn/reference.py: lstm_step).</summary>
    internal static class LstmReference
    {
        // PyTorch:  i, f, g, o = σ, σ, tanh, σ (W_i* x + b_i* + W_h* h + b_h*)
        //           c' = f ⊙ c + i ⊙ g
        //           h' = o ⊙ tanh(c')
        //
        // Integer, unit j (pre Q3.12, gates Q0.15, c Q(15-cf).cf, h Q0.15):
        //   i = σ(pre[j])   f = σ(pre[H + j])   g = tanh(pre[2H + j])   o = σ(pre[3H + j])
        //   c' = sat16(rshr(f · c, 15) + rshr(i · g, 30 - cf))
        //   h' = rshr(o · tanh(to_q3_12(c', cf)), 15)
        internal static void Step(RnnLayer layer, short[] x, int xOffset, short[] pre, short[] gates, short[] c, short[] h)
        {
            int hidden = layer.HiddenSize;
            int cf = layer.CellFracBits;
            RowReference.PreActivations(layer, x, xOffset, h, pre);
            for (int j = 0; j < hidden; j++)
            {
                short i = Activation.Sigmoid(pre[j]);
                short f = Activation.Sigmoid(pre[hidden + j]);
                short g = Activation.Tanh(pre[2 * hidden + j]);
                short o = Activation.Sigmoid(pre[3 * hidden + j]);
                short cNew = FixedPoint.Saturate16(
                    FixedPoint.RoundingShiftRight(f * c[j], 15) + FixedPoint.RoundingShiftRight(i * g, 30 - cf));
                short hNew = (short)FixedPoint.RoundingShiftRight(o * Activation.Tanh(FixedPoint.ToQ3_12(cNew, cf)), 15);
                gates[j] = i;
                gates[hidden + j] = f;
                gates[2 * hidden + j] = g;
                gates[3 * hidden + j] = o;
                c[j] = cNew;
                h[j] = hNew;
            }
        }
    }
}
