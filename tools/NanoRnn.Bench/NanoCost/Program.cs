using System;
using NanoRnn.Bench.StandIns;

namespace NanoRnn.Bench.NanoCost
{
    /// <summary>
    /// The nanoCLR cost run: every cost model with every kernel, stepped on nanoCLR itself while
    /// valgrind's callgrind counts the interpreter's host instructions. tools/NanoRnn.Bench/nanoclr_cost.py
    /// starts it and reads the counts (README.md beside this file).
    /// </summary>
    /// <remarks>
    /// Protocol, one line per Console.WriteLine, each of which callgrind dumps its counters before:
    /// <c>cost MODEL|KERNEL|GATE_MACS|N1|N2</c>, then <c>.</c>, N1 steps, <c>.</c>, N2 steps, <c>.</c>.
    /// The part between the first two dots holds one dot's output and N1 steps, the next one dot's
    /// and N2 steps, so (part 2 - part 1) / (N2 - N1) is one step, with nothing of loading, building or
    /// printing in it. <c>skip MODEL|KERNEL|why</c> stands for a kernel that does not apply.
    /// </remarks>
    public static class Program
    {
        /// <summary>Steps before the first measured part, so every table and buffer is in use.</summary>
        private const int WarmupSteps = 3;

        /// <summary>Steps of the first and the second measured part.</summary>
        private const int FirstSteps = 2;
        private const int SecondSteps = 6;

        /// <summary>
        /// The same for the native kernel, whose step is a few tens of thousands of host instructions:
        /// over 40 steps, one more or one fewer event of nanoCLR's scheduler (which looks at the clock)
        /// moves the figure per step by well under 1%, where over 4 it could move it by 10%.
        /// </summary>
        private const int NativeFirstSteps = 10;
        private const int NativeSecondSteps = 50;

        private const int StreamedChunkRows = 16;

        private static readonly string[] Kernels =
        {
            "reference", "native", "compact", "packed", "packed, stages recorded",
            "streamed 16, array", "streamed all, array", "streamed 16, resource", "streamed all, resource",
        };

        /// <summary>Runs every model with every kernel; prints the protocol above.</summary>
        public static void Main()
        {
            for (int m = 0; m < CostModelIndex.Count; m++)
            {
                byte[] blob = CostModelIndex.Blob(m);
                RnnModel model = RnnModel.Load(blob);
                short[] input = Inputs(model.InputChannels, WarmupSteps + NativeFirstSteps + NativeSecondSteps);
                for (int k = 0; k < Kernels.Length; k++)
                {
                    string skip;
                    Stepper stepper = Build(Kernels[k], model, blob, out skip);
                    if (stepper == null)
                    {
                        Console.WriteLine("skip " + CostModelIndex.Name(m) + "|" + Kernels[k] + "|" + skip);
                        continue;
                    }

                    bool native = Kernels[k] == "native";
                    int first = native ? NativeFirstSteps : FirstSteps;
                    int second = native ? NativeSecondSteps : SecondSteps;
                    Console.WriteLine("cost " + CostModelIndex.Name(m) + "|" + Kernels[k] + "|" + GateMacs(model) + "|"
                                      + first + "|" + second);
                    int c = model.InputChannels;
                    int t = 0;
                    for (; t < WarmupSteps; t++)
                    {
                        stepper.Step(input, t * c);
                    }

                    Console.WriteLine(".");
                    for (int end = t + first; t < end; t++)
                    {
                        stepper.Step(input, t * c);
                    }

                    Console.WriteLine(".");
                    for (int end = t + second; t < end; t++)
                    {
                        stepper.Step(input, t * c);
                    }

                    Console.WriteLine(".");
                }
            }

            Console.WriteLine("cost run done");
        }

        // One step of the library's network with the kernel it was built for.
        private sealed class Stepper
        {
            public RnnNetwork Network;

            public void Step(short[] input, int offset)
            {
                Network.Step(input, offset);
            }
        }

        private static Stepper Build(string kernel, RnnModel model, byte[] blob, out string skip)
        {
            skip = null;
            var stepper = new Stepper();
            switch (kernel)
            {
                case "reference":
                    stepper.Network = RnnNetwork.WithReferenceKernel(model);
                    return stepper;
                case "native":
                    if (NativeKernels.Installed == null)
                    {
                        skip = "this nanoCLR has no NanoRnn.Native (docs/native.md)";
                        return null;
                    }

                    stepper.Network = RnnNetwork.WithNativeKernel(model);
                    return stepper;
                case "compact":
                    stepper.Network = new RnnNetwork(model, false);
                    return stepper;
                case "packed":
                case "packed, stages recorded":
                    stepper.Network = new RnnNetwork(model, true);
                    stepper.Network.Stages.Record = kernel != "packed";
                    return stepper;
                default:
                    // The streamed kernels read their gate weights from the blob on every step.
                    IBlobReader reader = kernel.IndexOf("resource") >= 0
                        ? (IBlobReader)new AllocatingBlobReader(blob)
                        : new ByteArrayBlobReader(blob);
                    int rows = kernel.IndexOf("all") >= 0 ? int.MaxValue : StreamedChunkRows;
                    stepper.Network = new RnnNetwork(RnnModel.Load(blob, false), reader, rows);
                    return stepper;
            }
        }

        // Gate multiply-accumulates per step: rows × (inputs + hidden) over the layers (LSTM and GRU 4H rows, RNN H).
        private static long GateMacs(RnnModel model)
        {
            long macs = 0;
            int inputs = model.InputChannels;
            for (int l = 0; l < model.LayerCount; l++)
            {
                int h = model.GetHiddenSize(l);
                int cell = model.GetCellType(l);
                int rows = cell == RnnModel.CellTypeLstm || cell == RnnModel.CellTypeGru ? 4 * h : h;
                macs += (long)rows * (inputs + h);
                inputs = h;
            }

            return macs;
        }

        // Mid-range samples that change every step: a fixed 16-bit sequence (x ← 75·x mod 65537).
        private static short[] Inputs(int channels, int steps)
        {
            var input = new short[channels * steps];
            int x = 1;
            for (int i = 0; i < input.Length; i++)
            {
                x = (int)((75L * x) % 65537);
                input[i] = (short)((x & 0x3FFF) - 0x2000);
            }

            return input;
        }
    }
}
