using System;

namespace NanoRnn.Naive
{
    /// <summary>
    /// The cost harness's baseline: the fixed-point LSTM of docs/model-format.md written the obvious
    /// way, as a straightforward translation of a textbook <c>lstm_step</c> would be — one loop per
    /// gate, one method call per multiply-accumulate, per rescale, per saturation and per activation.
    /// Bit for bit the same numbers as <see cref="RnnNetwork"/> (the harness checks it); only the
    /// cost differs. Never deployed.
    /// </summary>
    public sealed class NaiveLstm
    {
        // Blob offsets (docs/model-format.md, "Blob layout").
        private const int InputChannelsOffset = 16;
        private const int HiddenSizeOffset = 18;
        private const int ClassCountOffset = 20;
        private const int CellFracBitsOffset = 22;
        private const int HeaderBytes = 32;

        private readonly int inputCount;      // C
        private readonly int hiddenCount;     // H
        private readonly int classCount;      // K
        private readonly int cellFracBits;    // cf

        private readonly int[] bias;          // [4H] Q3.12
        private readonly int[] mx;            // [4H]
        private readonly int[] mh;            // [4H]
        private readonly byte[] sx;           // [4H] read as sx, then the row's one shift s
        private readonly byte[] sh;           // [4H]
        private readonly sbyte[] wx;          // [4H·C] row r = gate·H + j
        private readonly sbyte[] wh;          // [4H·H]
        private readonly int[] headBias;      // [K]
        private readonly int[] headM;         // [K]
        private readonly byte[] headS;        // [K]
        private readonly sbyte[] headW;       // [K·H]

        // One buffer per gate, as the textbook writes it.
        private readonly short[] preI, preF, preG, preO;      // [H] Q3.12
        private readonly short[] gateI, gateF, gateG, gateO;  // [H] Q0.15
        private readonly short[] c;                           // [H] Q(15-cf).cf
        private readonly short[] h;                           // [H] Q0.15

        /// <summary>Reads the weights of a blob that <see cref="RnnModel.Load"/> has accepted (nothing is checked here).</summary>
        /// <param name="blob">A valid version-1 LSTM blob.</param>
        public NaiveLstm(byte[] blob)
        {
            inputCount = ReadUInt16(blob, InputChannelsOffset);
            hiddenCount = ReadUInt16(blob, HiddenSizeOffset);
            classCount = ReadUInt16(blob, ClassCountOffset);
            cellFracBits = blob[CellFracBitsOffset];
            int rows = 4 * hiddenCount;

            int offset = HeaderBytes;
            offset += 4 * inputCount + 4 * inputCount + inputCount;   // input_scale, input_zero, channel_source
            offset += 4 * rows + 4 * rows;                             // wx_row_scale, wh_row_scale
            bias = ReadInt32s(blob, ref offset, rows);
            mx = ReadInt32s(blob, ref offset, rows);
            mh = ReadInt32s(blob, ref offset, rows);
            sx = ReadBytes(blob, ref offset, rows);
            sh = ReadBytes(blob, ref offset, rows);
            for (int row = 0; row < rows; row++)
            {
                // One shift per row, s = min(sx, sh); the other multiplier rounded to it (docs/model-format.md).
                int s = sx[row] < sh[row] ? sx[row] : sh[row];
                mx[row] = (int)FixedPoint.RoundingShiftRight((long)mx[row] << 1, sx[row] - s + 1);
                mh[row] = (int)FixedPoint.RoundingShiftRight((long)mh[row] << 1, sh[row] - s + 1);
                sx[row] = (byte)s;
            }

            wx = ReadSBytes(blob, ref offset, rows * inputCount);
            wh = ReadSBytes(blob, ref offset, rows * hiddenCount);
            offset += 4 * classCount;                                  // head w_row_scale
            headBias = ReadInt32s(blob, ref offset, classCount);
            headM = ReadInt32s(blob, ref offset, classCount);
            headS = ReadBytes(blob, ref offset, classCount);
            headW = ReadSBytes(blob, ref offset, classCount * hiddenCount);

            preI = new short[hiddenCount];
            preF = new short[hiddenCount];
            preG = new short[hiddenCount];
            preO = new short[hiddenCount];
            gateI = new short[hiddenCount];
            gateF = new short[hiddenCount];
            gateG = new short[hiddenCount];
            gateO = new short[hiddenCount];
            c = new short[hiddenCount];
            h = new short[hiddenCount];
        }

        /// <summary>h = c = 0.</summary>
        public void Reset()
        {
            Array.Clear(c, 0, hiddenCount);
            Array.Clear(h, 0, hiddenCount);
        }

        /// <summary>One LSTM step on x[offset .. offset + C).</summary>
        /// <param name="x">The int16 inputs.</param>
        /// <param name="offset">Index of channel 0.</param>
        public void Step(short[] x, int offset)
        {
            // z_gate = W_i(gate) x + W_h(gate) h + b(gate), gate order i, f, g, o
            GatePreActivation(0, x, offset, preI);
            GatePreActivation(1, x, offset, preF);
            GatePreActivation(2, x, offset, preG);
            GatePreActivation(3, x, offset, preO);

            // i = σ(z_i)
            for (int j = 0; j < hiddenCount; j++)
            {
                gateI[j] = Activation.Sigmoid(preI[j]);
            }

            // f = σ(z_f)
            for (int j = 0; j < hiddenCount; j++)
            {
                gateF[j] = Activation.Sigmoid(preF[j]);
            }

            // g = tanh(z_g)
            for (int j = 0; j < hiddenCount; j++)
            {
                gateG[j] = Activation.Tanh(preG[j]);
            }

            // o = σ(z_o)
            for (int j = 0; j < hiddenCount; j++)
            {
                gateO[j] = Activation.Sigmoid(preO[j]);
            }

            // c' = f ⊙ c + i ⊙ g
            for (int j = 0; j < hiddenCount; j++)
            {
                c[j] = FixedPoint.Saturate16(
                    FixedPoint.RoundingShiftRight(gateF[j] * c[j], 15)
                    + FixedPoint.RoundingShiftRight(gateI[j] * gateG[j], 30 - cellFracBits));
            }

            // h' = o ⊙ tanh(c')
            for (int j = 0; j < hiddenCount; j++)
            {
                short t = Activation.Tanh(FixedPoint.ToQ3_12(c[j], cellFracBits));
                h[j] = (short)FixedPoint.RoundingShiftRight(gateO[j] * t, 15);
            }
        }

        /// <summary>Class scores from the current h: q = sat32(rescale(W h, m, s) + b).</summary>
        /// <param name="output">Receives K int32 scores.</param>
        /// <param name="offset">Index of class 0.</param>
        public void ComputeOutput(int[] output, int offset)
        {
            for (int k = 0; k < classCount; k++)
            {
                int acc = 0;
                for (int j = 0; j < hiddenCount; j++)
                {
                    acc = Mac(acc, headW[k * hiddenCount + j], h[j]);
                }

                output[offset + k] = FixedPoint.Saturate32(FixedPoint.Rescale(acc, headM[k], headS[k]) + headBias[k]);
            }
        }

        /// <summary>Copies h (Q0.15).</summary>
        /// <param name="destination">Receives H values.</param>
        /// <param name="offset">Index of the first.</param>
        public void CopyHidden(short[] destination, int offset)
        {
            Array.Copy(h, 0, destination, offset, hiddenCount);
        }

        /// <summary>Copies c (Q(15-cf).cf).</summary>
        /// <param name="destination">Receives H values.</param>
        /// <param name="offset">Index of the first.</param>
        public void CopyCell(short[] destination, int offset)
        {
            Array.Copy(c, 0, destination, offset, hiddenCount);
        }

        // pre[j] = sat16(rescale_sum(Σ_c Wx[r, c] x[c], mx', Σ_k Wh[r, k] h[k], mh', s) + bias), r = gate·H + j
        private void GatePreActivation(int gate, short[] x, int xOffset, short[] pre)
        {
            for (int j = 0; j < hiddenCount; j++)
            {
                int row = gate * hiddenCount + j;
                int accx = 0;
                for (int col = 0; col < inputCount; col++)
                {
                    accx = Mac(accx, wx[row * inputCount + col], x[xOffset + col]);
                }

                int acch = 0;
                for (int k = 0; k < hiddenCount; k++)
                {
                    acch = Mac(acch, wh[row * hiddenCount + k], h[k]);
                }

                pre[j] = FixedPoint.Saturate16(FixedPoint.RescaleSum(accx, mx[row], acch, mh[row], sx[row]) + bias[row]);
            }
        }

        // acc + w · v
        private static int Mac(int acc, int w, int v)
        {
            return acc + w * v;
        }

        private static int ReadUInt16(byte[] blob, int offset)
        {
            return blob[offset] | (blob[offset + 1] << 8);
        }

        private static int ReadInt32(byte[] blob, int offset)
        {
            return blob[offset] | (blob[offset + 1] << 8) | (blob[offset + 2] << 16) | (blob[offset + 3] << 24);
        }

        private static int[] ReadInt32s(byte[] blob, ref int offset, int count)
        {
            int[] values = new int[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = ReadInt32(blob, offset + 4 * i);
            }

            offset += 4 * count;
            return values;
        }

        private static byte[] ReadBytes(byte[] blob, ref int offset, int count)
        {
            byte[] values = new byte[count];
            Array.Copy(blob, offset, values, 0, count);
            offset += count;
            return values;
        }

        private static sbyte[] ReadSBytes(byte[] blob, ref int offset, int count)
        {
            sbyte[] values = new sbyte[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (sbyte)blob[offset + i];
            }

            offset += count;
            return values;
        }
    }
}
