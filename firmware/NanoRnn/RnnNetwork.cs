using System;

namespace NanoRnn
{
    /// <summary>
    /// The running state of one <see cref="RnnModel"/>: feed it one sample per time step with
    /// <see cref="Step"/>, read the class scores with <see cref="ComputeOutput"/>. Integer-only and
    /// allocation-free after construction. Not thread-safe; use one network per thread.
    /// </summary>
    public sealed class RnnNetwork
    {
        // Buffers, allocated once. R = 4H rows, row r = gate·H + j, gate order i, f, g, o.
        //
        //   preQ3_12    [ i_0 .. i_H-1 | f_0 .. f_H-1 | g_0 .. g_H-1 | o_0 .. o_H-1 ]   Q3.12
        //   gatesQ0_15  [ σ(i)         | σ(f)         | tanh(g)      | σ(o)         ]   Q0.15
        //   cellQ       [ c_0 .. c_H-1 ]                                                 Q(15-cf).cf
        //   hiddenQ0_15 [ h_0 .. h_H-1 ]                                                 Q0.15
        //
        // pre and gates are outputs of the last step, kept so tests and tools can inspect them.
        private readonly short[] preQ3_12;
        private readonly short[] gatesQ0_15;
        private readonly short[] cellQ;
        private readonly short[] hiddenQ0_15;

        // Packed (fast, 4 bytes per weight) or null: the compact kernel over the model's int8 rows.
        private readonly PackedGatePreActivations packed;

        private readonly int inputCount;
        private readonly int hiddenCount;
        private readonly int rowCount;
        private readonly int classCount;
        private readonly int cellFracBits;

        /// <summary>
        /// Default budget for packed weights: models whose packed gate weights fit in it get the fast
        /// kernel (see <see cref="UsesPackedWeights"/>); larger ones the compact one.
        /// </summary>
        public const int DefaultPackedWeightBudget = 32 * 1024;

        /// <summary>
        /// Creates a network with zero state for <paramref name="model"/>, with packed weights when
        /// they take at most <see cref="DefaultPackedWeightBudget"/> bytes. Allocates every buffer now.
        /// </summary>
        /// <param name="model">A loaded model; it may be shared by several networks.</param>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        public RnnNetwork(RnnModel model)
            : this(model, model != null && PackedWeightBytes(model) <= DefaultPackedWeightBudget
                && PackedGatePreActivations.CanPack(model.GateBiasQ3_12, model.Sx))
        {
        }

        /// <summary>
        /// Creates a network with zero state for <paramref name="model"/>, choosing the kernel.
        /// Both kernels compute the same numbers, bit for bit.
        /// </summary>
        /// <param name="model">A loaded model; it may be shared by several networks.</param>
        /// <param name="packWeights">True: gate weights packed two rows to an int64 (three to five times
        /// fewer interpreted instructions per step than the compact kernel, docs/performance.md;
        /// <see cref="PackedWeightBytes"/> more RAM). False: the model's int8 weights are used as they are.</param>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="packWeights"/> is true for a model whose
        /// biases and shifts the packed kernel cannot fold exactly (none that tools/quantize.py writes).</exception>
        public RnnNetwork(RnnModel model, bool packWeights)
        {
            if (model == null)
            {
                throw new ArgumentNullException(nameof(model));
            }

            Model = model;
            inputCount = model.InputChannels;
            hiddenCount = model.HiddenSize;
            rowCount = BlobLayout.LstmGateCount * hiddenCount;
            classCount = model.ClassCount;
            cellFracBits = model.CellFracBits;
            preQ3_12 = new short[rowCount];
            gatesQ0_15 = new short[rowCount];
            cellQ = new short[hiddenCount];
            hiddenQ0_15 = new short[hiddenCount];
            if (packWeights)
            {
                if (!PackedGatePreActivations.CanPack(model.GateBiasQ3_12, model.Sx))
                {
                    throw new ArgumentException(
                        "this model's biases and shifts are outside what the packed kernel folds exactly; use the compact kernel",
                        nameof(packWeights));
                }

                int[] highRow, lowRow;
                LstmCellUpdate.LstmPairs(hiddenCount, out highRow, out lowRow);
                packed = new PackedGatePreActivations(
                    model.Wx, model.Wh, model.GateBiasQ3_12, model.Mx, model.Sx, model.Mh, model.Sh,
                    inputCount, hiddenCount, highRow, lowRow);
            }
        }

        /// <summary>Bytes of RAM the packed gate weights of <paramref name="model"/> take (8 per pair of rows and column, rounded up to whole passes of 16 pairs and blocks of 8 columns).</summary>
        /// <param name="model">A loaded model.</param>
        /// <returns>The size in bytes.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        public static long PackedWeightBytes(RnnModel model)
        {
            if (model == null)
            {
                throw new ArgumentNullException(nameof(model));
            }

            return PackedGatePreActivations.PackedBytes(
                BlobLayout.LstmGateCount * model.HiddenSize, model.InputChannels, model.HiddenSize);
        }

        /// <summary>Whether this network runs the packed kernel.</summary>
        public bool UsesPackedWeights
        {
            get { return packed != null; }
        }

        /// <summary>The model this network runs.</summary>
        public RnnModel Model { get; }

        /// <summary>Starts a new sequence: h = c = 0 (and the last step's pre-activations and gates are cleared).</summary>
        public void Reset()
        {
            Array.Clear(preQ3_12, 0, rowCount);
            Array.Clear(gatesQ0_15, 0, rowCount);
            Array.Clear(cellQ, 0, hiddenCount);
            Array.Clear(hiddenQ0_15, 0, hiddenCount);
        }

        /// <summary>Advances the LSTM by one time step. Allocates nothing.</summary>
        /// <param name="sample">Holds the <see cref="RnnModel.InputChannels"/> int16 inputs (raw counts) of this step.</param>
        /// <param name="offset">Index in <paramref name="sample"/> of channel 0.</param>
        /// <exception cref="ArgumentNullException"><paramref name="sample"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">sample[offset .. offset + C) does not exist.</exception>
        public void Step(short[] sample, int offset)
        {
            ArgumentChecks.CheckRange(sample, offset, inputCount, nameof(sample));
            StepUnchecked(sample, offset);
        }

        /// <summary>Computes the class scores from the current hidden state. Allocates nothing.</summary>
        /// <param name="output">Receives <see cref="RnnModel.ClassCount"/> int32 scores; logit = score · <see cref="RnnModel.OutputScale"/>.</param>
        /// <param name="offset">Index in <paramref name="output"/> of class 0.</param>
        /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">output[offset .. offset + K) does not exist.</exception>
        public void ComputeOutput(int[] output, int offset)
        {
            ArgumentChecks.CheckRange(output, offset, classCount, nameof(output));
            RnnModel m = Model;
            LinearHead.Compute(
                m.HeadW, m.HeadBias, m.HeadMultiplier, m.HeadShift,
                hiddenQ0_15, hiddenCount, classCount,
                output, offset);
        }

        /// <summary>
        /// Classifies one whole sequence: <see cref="Reset"/>, <paramref name="steps"/> × <see cref="Step"/>,
        /// then <see cref="ComputeOutput"/>. Every argument is checked before the state changes.
        /// </summary>
        /// <param name="samples">steps × C int16 values, time-major (step t, channel c at offset + t·C + c).</param>
        /// <param name="offset">Index in <paramref name="samples"/> of step 0, channel 0.</param>
        /// <param name="steps">Number of time steps, ≥ 0 (0 gives the scores of the zero state).</param>
        /// <param name="output">Receives K int32 scores.</param>
        /// <param name="outputOffset">Index in <paramref name="output"/> of class 0.</param>
        /// <exception cref="ArgumentNullException"><paramref name="samples"/> or <paramref name="output"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is negative, or a range does not exist.</exception>
        public void Run(short[] samples, int offset, int steps, int[] output, int outputOffset)
        {
            if (steps < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(steps), "steps " + steps + " is negative");
            }

            long needed = (long)steps * inputCount;
            if (samples != null && needed > samples.Length)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(steps), steps + " steps of " + inputCount + " channels need " + needed
                    + " values, but samples has " + samples.Length);
            }

            ArgumentChecks.CheckRange(samples, offset, (int)needed, nameof(samples));
            ArgumentChecks.CheckRange(output, outputOffset, classCount, nameof(output));

            Reset();
            int index = offset;
            for (int t = 0; t < steps; t++)
            {
                StepUnchecked(samples, index);
                index += inputCount;
            }

            RnnModel m = Model;
            LinearHead.Compute(
                m.HeadW, m.HeadBias, m.HeadMultiplier, m.HeadShift,
                hiddenQ0_15, hiddenCount, classCount,
                output, outputOffset);
        }

        /// <summary>Copies the last step's 4H gate pre-activations (Q3.12), rows i, f, g, o of H each.</summary>
        /// <param name="destination">Receives 4 · <see cref="RnnModel.HiddenSize"/> values.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range does not exist.</exception>
        public void CopyPreActivations(short[] destination, int offset)
        {
            Copy(preQ3_12, destination, offset);
        }

        /// <summary>Copies the last step's 4H gate activations (Q0.15): σ(i), σ(f), tanh(g), σ(o), H each.</summary>
        /// <param name="destination">Receives 4 · <see cref="RnnModel.HiddenSize"/> values.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range does not exist.</exception>
        public void CopyGates(short[] destination, int offset)
        {
            Copy(gatesQ0_15, destination, offset);
        }

        /// <summary>Copies the cell state c, Q(15-cf).cf with cf = <see cref="RnnModel.CellFracBits"/>.</summary>
        /// <param name="destination">Receives <see cref="RnnModel.HiddenSize"/> values.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range does not exist.</exception>
        public void CopyCell(short[] destination, int offset)
        {
            Copy(cellQ, destination, offset);
        }

        /// <summary>Copies the hidden state h, Q0.15.</summary>
        /// <param name="destination">Receives <see cref="RnnModel.HiddenSize"/> values.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range does not exist.</exception>
        public void CopyHidden(short[] destination, int offset)
        {
            Copy(hiddenQ0_15, destination, offset);
        }

        /// <summary>The index of the largest value; the first one on ties (as NumPy's argmax).</summary>
        /// <param name="values">The values, e.g. the scores from <see cref="ComputeOutput"/>.</param>
        /// <param name="offset">Index of the first value considered.</param>
        /// <param name="count">Number of values considered, ≥ 1.</param>
        /// <returns>0 .. count - 1, relative to <paramref name="offset"/>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1, or the range does not exist.</exception>
        public static int ArgMax(int[] values, int offset, int count)
        {
            if (values == null)
            {
                throw new ArgumentNullException(nameof(values));
            }

            if (count < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(count), "count " + count + " is less than 1");
            }

            ArgumentChecks.CheckRange(values, offset, count, nameof(values));
            int best = 0;
            int bestValue = values[offset];
            for (int i = 1; i < count; i++)
            {
                if (values[offset + i] > bestValue)
                {
                    best = i;
                    bestValue = values[offset + i];
                }
            }

            return best;
        }

        // One LSTM step, arguments already checked.
        //   packed:  products of both pairs of each unit (PackedGatePreActivations), then pre,
        //            gates, c and h unit by unit straight from them (LstmCellUpdate.ComputePacked)
        //   compact: pre = gate pre-activations from x and the old h (GatePreActivations), then
        //            gates, c, h from pre, unit by unit (LstmCellUpdate.Compute)
        private void StepUnchecked(short[] sample, int offset)
        {
            if (packed != null)
            {
                packed.Accumulate(sample, offset, hiddenQ0_15);
                LstmCellUpdate.ComputePacked(packed, hiddenCount, cellFracBits, preQ3_12, gatesQ0_15, cellQ, hiddenQ0_15);
                return;
            }

            RnnModel m = Model;
            GatePreActivations.Compute(
                m.Wx, m.Wh, m.GateBiasQ3_12, m.Mx, m.Sx, m.Mh, m.Sh,
                sample, offset, inputCount,
                hiddenQ0_15, hiddenCount,
                rowCount,
                preQ3_12);
            LstmCellUpdate.Compute(preQ3_12, hiddenCount, cellFracBits, gatesQ0_15, cellQ, hiddenQ0_15);
        }

        private static void Copy(short[] source, short[] destination, int offset)
        {
            ArgumentChecks.CheckRange(destination, offset, source.Length, nameof(destination));
            Array.Copy(source, 0, destination, offset, source.Length);
        }
    }
}
