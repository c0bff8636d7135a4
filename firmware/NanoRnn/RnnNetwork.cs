using System;

namespace NanoRnn
{
    /// <summary>
    /// The running state of one <see cref="RnnModel"/>: feed it one sample per time step with
    /// <see cref="Step"/>, read the class scores with <see cref="ComputeOutput"/>. Integer-only and
    /// allocation-free after construction. Not thread-safe; use one network per thread.
    /// </summary>
    /// <remarks>
    /// The constructor builds a <see cref="KernelPlan"/>: a kernel for each layer and everything that
    /// kernel needs. <see cref="Step"/> then runs the prepared layers in turn, layer l + 1 reading
    /// layer l's new h at the same step; <see cref="ComputeOutput"/> runs the head on the last h.
    /// </remarks>
    public sealed class RnnNetwork
    {
        private readonly KernelPlan plan;
        private readonly RnnStages stages;
        private readonly short[] mlpUnits;     // MLP head: the intermediate u, [M]; null for a linear head
        private readonly int inputCount;       // C and K, kept here so Step and ComputeOutput make no property calls
        private readonly int classCount;

        /// <summary>
        /// Default budget for packed weights: models whose packed gate weights fit in it get the fast
        /// kernel (see <see cref="UsesPackedWeights"/>); larger ones the compact one.
        /// </summary>
        public const int DefaultPackedWeightBudget = 32 * 1024;

        /// <summary>
        /// Creates a network with zero state for <paramref name="model"/>: on the installed native kernel
        /// when there is one (<see cref="NativeKernels"/>), else with packed weights when they take at
        /// most <see cref="DefaultPackedWeightBudget"/> bytes, else compact. Allocates every buffer now.
        /// </summary>
        /// <param name="model">A loaded model; it may be shared by several networks.</param>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        /// <exception cref="ArgumentException">The model was loaded without its gate weights.</exception>
        public RnnNetwork(RnnModel model)
            : this(model, model == null ? null : KernelPlan.Default(model, DefaultPackedWeightBudget))
        {
        }

        /// <summary>
        /// Whether <see cref="RnnNetwork(RnnModel, bool)"/> with true is possible for
        /// <paramref name="model"/> and its packed weights take at most <paramref name="budgetBytes"/>:
        /// the model has its gate weights and every layer's biases fold exactly. The default
        /// constructor asks this with <see cref="DefaultPackedWeightBudget"/>; an application that
        /// knows its free heap can ask with a share of it.
        /// </summary>
        /// <param name="model">A loaded model.</param>
        /// <param name="budgetBytes">The most RAM the packed weights may take (<see cref="PackedWeightBytes"/>).</param>
        /// <returns>True if the packed kernel fits and folds exactly.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        public static bool PacksWithin(RnnModel model, long budgetBytes)
        {
            if (model == null)
            {
                throw new ArgumentNullException(nameof(model));
            }

            return KernelPlan.PacksWithin(model, budgetBytes);
        }

        /// <summary>
        /// Creates a network with zero state for <paramref name="model"/>, choosing the kernel.
        /// Both kernels compute the same numbers, bit for bit.
        /// </summary>
        /// <param name="model">A loaded model; it may be shared by several networks.</param>
        /// <param name="packWeights">True: gate weights packed two rows to an int64 (two to two and a half times
        /// fewer interpreted instructions per step than the compact kernel, docs/performance.md;
        /// <see cref="PackedWeightBytes"/> more RAM). A plain RNN layer of odd H (an odd number of
        /// rows) always runs the compact kernel. False: the model's int8 weights are used as they are.</param>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="packWeights"/> is true for a model whose
        /// biases and shifts the packed kernel cannot fold exactly (none that tools/quantize.py writes);
        /// or the model was loaded without its gate weights (use <see cref="RnnNetwork(RnnModel, IBlobReader, int)"/>).</exception>
        public RnnNetwork(RnnModel model, bool packWeights)
            : this(model, model == null ? null : KernelPlan.InRam(model, packWeights))
        {
        }

        /// <summary>
        /// Creates a network with zero state for <paramref name="model"/> that reads the gate weights
        /// from the blob through <paramref name="weights"/> on every step, <paramref name="chunkRows"/>
        /// rows per read, instead of holding them in RAM (the compact kernel's arithmetic, bit for bit;
        /// its cost: docs/performance.md). For a model loaded with <see cref="RnnModel.Load(byte[], bool)"/>
        /// and false; a model with its weights works too (they are then not used). Before returning it
        /// reads the whole blob once through <paramref name="weights"/> and checks that it is the one
        /// the model was loaded from.
        /// </summary>
        /// <param name="model">A loaded model; it may be shared by several networks.</param>
        /// <param name="weights">Reads the blob <paramref name="model"/> was loaded from. Kept and used by every <see cref="Step"/>.</param>
        /// <param name="chunkRows">Weight rows per read, ≥ 1; a layer with fewer rows reads all of them at
        /// once. The network holds one buffer of chunkRows · (inputs + H) bytes of the widest layer.</param>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="weights"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkRows"/> is less than 1.</exception>
        /// <exception cref="ModelFormatException"><paramref name="weights"/> does not hold that blob: its
        /// total_bytes or its CRC-32 differs (the message gives both values).</exception>
        /// <remarks>Whatever <paramref name="weights"/> throws (e.g. reading past its end) is not caught.</remarks>
        public RnnNetwork(RnnModel model, IBlobReader weights, int chunkRows)
            : this(model, StreamedPlan(model, weights, chunkRows))
        {
        }

        // The streamed constructor's plan, after its arguments are checked.
        private static KernelPlan StreamedPlan(RnnModel model, IBlobReader weights, int chunkRows)
        {
            if (model == null)
            {
                throw new ArgumentNullException(nameof(model));
            }

            if (weights == null)
            {
                throw new ArgumentNullException(nameof(weights));
            }

            if (chunkRows < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(chunkRows), "chunkRows " + chunkRows + " is less than 1");
            }

            return KernelPlan.Streamed(model, weights, chunkRows);
        }

        /// <summary>Bytes of RAM the packed gate weights of <paramref name="model"/> take (8 per pair of rows and column, rounded up to whole passes of 16 pairs and blocks of 8 columns; every layer with an even number of rows).</summary>
        /// <param name="model">A loaded model.</param>
        /// <returns>The size in bytes.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        public static long PackedWeightBytes(RnnModel model)
        {
            if (model == null)
            {
                throw new ArgumentNullException(nameof(model));
            }

            return KernelPlan.PackedWeightBytes(model);
        }

        /// <summary>
        /// Creates a network with zero state for <paramref name="model"/> that runs every layer and
        /// the head on the reference kernels: each cell's equations written out row by row, as the
        /// integer reference of tools/quantize.py writes them (firmware/NanoRnn/Reference). The same
        /// numbers as every other kernel, bit for bit, many times slower: for tests and for checking
        /// a fast kernel.
        /// </summary>
        /// <param name="model">A loaded model with its gate weights.</param>
        /// <returns>The network; <see cref="UsesReferenceKernel"/> is true.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        /// <exception cref="ArgumentException">The model was loaded without its gate weights.</exception>
        public static RnnNetwork WithReferenceKernel(RnnModel model)
        {
            if (model == null)
            {
                throw new ArgumentNullException(nameof(model));
            }

            return new RnnNetwork(model, KernelPlan.OnReference(model));
        }

        /// <summary>
        /// Creates a network with zero state for <paramref name="model"/> that runs every layer and the
        /// head on the installed native kernel (<see cref="NativeKernels"/>), whatever the packed budget.
        /// </summary>
        /// <param name="model">A loaded model with its gate weights.</param>
        /// <returns>The network; <see cref="UsesNativeKernel"/> is true.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        /// <exception cref="ArgumentException">The model was loaded without its gate weights.</exception>
        /// <exception cref="InvalidOperationException">No native kernel is installed (a firmware without NanoRnn.Native).</exception>
        public static RnnNetwork WithNativeKernel(RnnModel model)
        {
            if (model == null)
            {
                throw new ArgumentNullException(nameof(model));
            }

            INativeKernel native = NativeKernels.Installed;
            if (native == null)
            {
                throw new InvalidOperationException(
                    "no native kernel is installed: this firmware does not contain NanoRnn.Native (docs/native.md)");
            }

            return new RnnNetwork(model, KernelPlan.OnNative(model, native));
        }

        private RnnNetwork(RnnModel model, KernelPlan plan)
        {
            if (model == null)
            {
                throw new ArgumentNullException(nameof(model));
            }

            this.plan = plan;
            Model = model;
            stages = new RnnStages(model, plan.Layers);
            inputCount = model.InputChannels;
            classCount = model.ClassCount;
            if (model.Mlp != null)
            {
                mlpUnits = new short[model.Mlp.Rows];
            }
        }

        /// <summary>Whether this network reads its gate weights through an <see cref="IBlobReader"/> on every step.</summary>
        public bool StreamsWeights
        {
            get { return plan.Weights != null; }
        }

        /// <summary>Whether this network packs its gate weights (every layer with an even number of rows).</summary>
        public bool UsesPackedWeights
        {
            get { return plan.Packs; }
        }

        /// <summary>Whether this network runs on the reference kernels (<see cref="WithReferenceKernel"/>).</summary>
        public bool UsesReferenceKernel
        {
            get { return plan.Reference; }
        }

        /// <summary>Whether this network runs on the installed native kernel (<see cref="NativeKernels"/>).</summary>
        public bool UsesNativeKernel
        {
            get { return plan.Native != null; }
        }

        /// <summary>What the last step computed inside each layer, and the state: for tests and tools.</summary>
        public RnnStages Stages
        {
            get { return stages; }
        }

        /// <summary>The model this network runs.</summary>
        public RnnModel Model { get; }

        /// <summary>Starts a new sequence: every layer's h = c = 0 (and the last step's pre-activations and gates are cleared).</summary>
        public void Reset()
        {
            PreparedLayer[] layers = plan.Layers;
            for (int l = 0; l < layers.Length; l++)
            {
                PreparedLayer layer = layers[l];
                Array.Clear(layer.Pre, 0, layer.Pre.Length);
                Array.Clear(layer.Gates, 0, layer.Gates.Length);
                Array.Clear(layer.Cell, 0, layer.Cell.Length);
                Array.Clear(layer.Hidden, 0, layer.Hidden.Length);
            }
        }

        /// <summary>Advances every layer by one time step. Allocates nothing.</summary>
        /// <param name="sample">Holds the <see cref="RnnModel.InputChannels"/> int16 inputs (raw counts) of this step.</param>
        /// <param name="offset">Index in <paramref name="sample"/> of channel 0.</param>
        /// <exception cref="ArgumentNullException"><paramref name="sample"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">sample[offset .. offset + C) does not exist.</exception>
        public void Step(short[] sample, int offset)
        {
            // The range test inline, as it runs on every sample; CheckRange says what is wrong.
            if (sample == null || offset < 0 || offset > sample.Length - inputCount)
            {
                ArgumentChecks.CheckRange(sample, offset, inputCount, nameof(sample));
            }

            // The native kernel straight from here, as StepUnchecked would, without the call to it.
            KernelPlan p = plan;
            if (p.Native != null)
            {
                p.Native.StepLayers(p.NativeShapes, p.NativeArrays, sample, offset);
                return;
            }

            StepUnchecked(sample, offset);
        }

        /// <summary>
        /// Computes the class scores from the current hidden state of the last layer. Allocates
        /// nothing. Call it after any step: after the last one for a whole-sequence classifier, after
        /// every one for sequence labelling (<see cref="RnnModel.HeadOnEveryStep"/>).
        /// </summary>
        /// <param name="output">Receives <see cref="RnnModel.ClassCount"/> int32 scores; logit = score · <see cref="RnnModel.OutputScale"/>.</param>
        /// <param name="offset">Index in <paramref name="output"/> of class 0.</param>
        /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">output[offset .. offset + K) does not exist.</exception>
        public void ComputeOutput(int[] output, int offset)
        {
            ArgumentChecks.CheckRange(output, offset, classCount, nameof(output));
            ComputeOutputUnchecked(output, offset);
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

            ComputeOutputUnchecked(output, outputOffset);
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

        // One step of every layer, arguments already checked: all of them in one call on the native
        // kernel, else per layer, by its kernel:
        //   packed, stages not recorded: the products of every row pair (PackedGatePreActivations),
        //                then each unit straight from its sums (the cell's ComputePacked)
        //   reference:   the cell's equations, row by row (Reference/)
        //   otherwise:   Pre from the layer's input and its old h (packed, streamed or compact
        //                kernel), then gates, c and h from Pre, unit by unit (the cell's Compute)
        private void StepUnchecked(short[] sample, int offset)
        {
            if (plan.Native != null)
            {
                plan.Native.StepLayers(plan.NativeShapes, plan.NativeArrays, sample, offset);
                return;
            }

            PreparedLayer[] layers = plan.Layers;
            bool record = stages.Recording;
            short[] input = sample;
            int inputOffset = offset;
            for (int l = 0; l < layers.Length; l++)
            {
                PreparedLayer prepared = layers[l];
                RnnLayer layer = prepared.Layer;
                short[] hidden = prepared.Hidden;
                int cell = layer.CellType;
                int kernel = prepared.Kernel;
                if (kernel == PreparedLayer.KernelPacked && !record)
                {
                    PackedGatePreActivations packed = prepared.Packed;
                    packed.Accumulate(input, inputOffset, hidden);
                    if (cell == RnnModel.CellTypeLstm)
                    {
                        LstmCellUpdate.ComputePacked(packed, layer.HiddenSize, layer.CellFracBits, prepared.Cell, hidden);
                    }
                    else if (cell == RnnModel.CellTypeGru)
                    {
                        GruCellUpdate.ComputePacked(packed, layer.HiddenSize, hidden);
                    }
                    else if (cell == RnnModel.CellTypeRnnTanh)
                    {
                        RnnCellUpdate.ComputePackedTanh(packed, layer.HiddenSize, hidden);
                    }
                    else
                    {
                        RnnCellUpdate.ComputePackedRelu(packed, layer.HiddenSize, hidden);
                    }
                }
                else if (kernel == PreparedLayer.KernelReference)
                {
                    if (cell == RnnModel.CellTypeLstm)
                    {
                        LstmReference.Step(layer, input, inputOffset, prepared.Pre, prepared.Gates, prepared.Cell, hidden);
                    }
                    else if (cell == RnnModel.CellTypeGru)
                    {
                        GruReference.Step(layer, input, inputOffset, prepared.Pre, prepared.Gates, hidden);
                    }
                    else
                    {
                        RnnReference.Step(layer, input, inputOffset, prepared.Pre, hidden);
                    }
                }
                else
                {
                    short[] pre = prepared.Pre;
                    if (kernel == PreparedLayer.KernelPacked)
                    {
                        prepared.Packed.Compute(input, inputOffset, hidden, pre);
                    }
                    else if (kernel == PreparedLayer.KernelStreamed)
                    {
                        StreamedGatePreActivations.Compute(
                            plan.Weights, layer.WxOffset, layer.WhOffset, prepared.ChunkRows, plan.Chunk,
                            layer.GateBias, layer.Mx, layer.Mh, layer.Shift,
                            input, inputOffset, layer.InputChannels,
                            hidden, layer.HiddenSize,
                            layer.RowCount,
                            pre);
                    }
                    else
                    {
                        GatePreActivations.Compute(
                            layer.Wx, layer.Wh, layer.GateBias, layer.Mx, layer.Mh, layer.Shift,
                            input, inputOffset, layer.InputChannels,
                            hidden, layer.HiddenSize,
                            layer.RowCount,
                            pre);
                    }

                    if (cell == RnnModel.CellTypeLstm)
                    {
                        LstmCellUpdate.Compute(pre, layer.HiddenSize, layer.CellFracBits, prepared.Gates, prepared.Cell, hidden);
                    }
                    else if (cell == RnnModel.CellTypeGru)
                    {
                        GruCellUpdate.Compute(pre, layer.HiddenSize, prepared.Gates, hidden);
                    }
                    else if (cell == RnnModel.CellTypeRnnTanh)
                    {
                        RnnCellUpdate.ComputeTanh(pre, layer.HiddenSize, hidden);
                    }
                    else
                    {
                        RnnCellUpdate.ComputeRelu(pre, layer.HiddenSize, hidden);
                    }
                }

                input = hidden;
                inputOffset = 0;
            }
        }

        // The head on the last layer's h: linear, or Linear, ReLU (into mlpUnits), Linear.
        private void ComputeOutputUnchecked(int[] output, int offset)
        {
            RnnModel m = Model;
            PreparedLayer[] layers = plan.Layers;
            short[] v = layers[layers.Length - 1].Hidden;
            if (plan.Reference)
            {
                HeadReference.Compute(m.Mlp, m.Head, v, mlpUnits, output, offset);
                return;
            }

            int width = v.Length;
            DenseLayer mlp = m.Mlp;
            INativeKernel native = plan.Native;
            if (mlp != null)
            {
                if (native != null)
                {
                    native.LinearRelu(mlp.W, mlp.Bias, mlp.Multiplier, mlp.Shift, v, width, mlp.Rows, mlpUnits);
                }
                else
                {
                    DenseKernel.ComputeRelu16(mlp.W, mlp.Bias, mlp.Multiplier, mlp.Shift, v, width, mlp.Rows, mlpUnits);
                }

                v = mlpUnits;
                width = mlp.Rows;
            }

            DenseLayer head = m.Head;
            if (native != null)
            {
                native.Linear(head.W, head.Bias, head.Multiplier, head.Shift, v, width, classCount, output, offset);
                return;
            }

            DenseKernel.Compute(head.W, head.Bias, head.Multiplier, head.Shift, v, width, classCount, output, offset);
        }
    }
}
