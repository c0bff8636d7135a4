using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace NanoRnn.Desktop.Robustness
{
    /// <summary>
    /// `soak`: long runs of adversarial int16 inputs (full scale, square waves, noise) through the
    /// firmware's RnnNetwork, one network per stream, with checkpoints written as the CSV that
    /// `quantize.py soak` writes from the integer reference (the two must be identical). Checks on
    /// the way that no step allocates and, for an LSTM, that h never reaches -32768; exit 1 if either fails.
    /// The input generator is tools/nanornn/soak.py's, operation for operation. With --input, stream
    /// s replays sequence s of the file instead, over and over (step t takes its step t mod its length).
    /// </summary>
    internal static class SoakCommand
    {
        private const ulong LcgMultiplier = 6364136223846793005UL;
        private const ulong LcgIncrement = 1442695040888963407UL;
        private const int ModeShift = 10;
        private const ulong SeedStride = 1000003UL;

        // Steps between two looks at the progress line: often enough for it, rare enough to cost nothing.
        private const int StepsPerProgressReport = 1024;

        /// <summary>The `soak` command: its options, the rules between them and what runs it.</summary>
        public static Command Create(Streams io)
        {
            Option<string> model = CommandLineOptions.Path("--model", "MODEL.nrnn", "the model blob", required: true);
            Option<string> output = CommandLineOptions.Path("--output", "OUT.csv",
                "where the checkpoints go, as `quantize.py soak` writes them", required: true);
            Option<int> streams = CommandLineOptions.WholeNumber("--streams", "independent input streams, one network each", 1, 100000, 4);
            Option<string> input = CommandLineOptions.Path("--input", "X.npy|X.npz",
                "replay these sequences instead, one stream each, over and over (step t takes step t mod its length)");
            Option<string> inputUnits = InputUnits.CreateOption();
            Option<int> steps = CommandLineOptions.WholeNumber("--steps", "steps per stream", 1, int.MaxValue, 5000);
            Option<int> every = CommandLineOptions.WholeNumber("--every", "steps between two checkpoints", 1, int.MaxValue, 1000);
            Option<int> seed = CommandLineOptions.WholeNumber("--seed", "the adversarial inputs' seed", 0, int.MaxValue, 1);
            var command = new Command("soak",
                "Long runs of adversarial int16 inputs (full scale, square waves, noise) through the firmware's network, with checkpoints "
                + "as `quantize.py soak` writes them from the integer reference; exit 1 if a step allocates or the state leaves its range.")
            {
                model, output, streams, input, inputUnits, steps, every, seed,
            };
            command.Validators.Add(result =>
            {
                if (CommandLineOptions.IsGiven(result, input) && CommandLineOptions.IsGiven(result, streams))
                {
                    result.AddError("--streams and --input go separately: with --input each sequence is one stream");
                }
                else if (!CommandLineOptions.IsGiven(result, input) && CommandLineOptions.IsGiven(result, inputUnits))
                {
                    result.AddError("--input-units describes --input");
                }
            });
            command.SetAction(parsed => Run(io, parsed.GetValue(model), parsed.GetValue(output), parsed.GetValue(streams), parsed.GetValue(input),
                InputUnits.AreCounts(parsed.GetValue(inputUnits)), parsed.GetValue(steps), parsed.GetValue(every), parsed.GetValue(seed)));
            return command;
        }

        private static int Run(Streams io, string path, string output, int streams, string inputPath, bool inCounts, int steps, int every, int seed)
        {
            RnnModel model = ModelFile.Load(path);
            SequenceFile input = inputPath == null ? null : SequenceFile.Read(inputPath, model.InputChannels);
            short[] replay = input == null ? null : InferCommand.ReadCounts(model, input, inputPath, inCounts, io.Error);
            if (input != null)
            {
                streams = input.Array.Shape[0];
            }

            int c = model.InputChannels;
            int h = model.HiddenSize;
            int k = model.ClassCount;
            bool lastIsLstm = model.GetCellType(model.LayerCount - 1) == RnnModel.CellTypeLstm;
            int cells = lastIsLstm ? h : 0;    // the last layer's c: LSTM only
            int width = k + h + cells;
            int checkpoints = steps / every;
            var recorded = new int[(long)streams * checkpoints * width];
            var sample = new short[c];
            var scores = new int[k];
            var hidden = new short[h];
            var cell = new short[cells];
            int hiddenMin = 0, hiddenMax = 0, cellMin = 0, cellMax = 0;
            var network = new RnnNetwork(model);
            network.Step(sample, 0); // warm up: JIT, static tables
            network.ComputeOutput(scores, 0);
            network.Stages.CopyHidden(hidden, 0);
            network.Stages.CopyCell(cell, 0);

            Progress progress = io.Progress("soak", (long)streams * steps, "steps");
            long progressBytes = 0; // what the progress line allocated, which is not the network's
            var watch = Stopwatch.StartNew();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int s = 0; s < streams; s++)
            {
                network.Reset();
                ulong state = (ulong)seed * SeedStride + (ulong)s;
                int checkpoint = 0;
                for (int t = 0; t < steps; t++)
                {
                    if (t % StepsPerProgressReport == 0)
                    {
                        long reportBefore = GC.GetAllocatedBytesForCurrentThread();
                        progress.Report((long)s * steps + t);
                        progressBytes += GC.GetAllocatedBytesForCurrentThread() - reportBefore;
                    }

                    int mode = ((t >> ModeShift) + s) % 4;
                    if (replay != null)
                    {
                        Array.Copy(replay, ((long)s * input.Array.Shape[1] + t % input.Length(s)) * c, sample, 0, c);
                    }
                    else
                    {
                        for (int ch = 0; ch < c; ch++)
                        {
                            state = state * LcgMultiplier + LcgIncrement;
                            int r = (int)(state >> 48);
                            sample[ch] = mode == 0 ? (r >= 32768 ? short.MaxValue : short.MinValue)
                                : mode == 1 ? ((t / (4 + ch)) % 2 == 1 ? short.MaxValue : short.MinValue)
                                : mode == 2 ? (short)(r - 32768)
                                : (short)((r & 63) - 32);
                        }
                    }

                    network.Step(sample, 0);
                    network.Stages.CopyHidden(hidden, 0);
                    network.Stages.CopyCell(cell, 0);
                    for (int j = 0; j < h; j++)
                    {
                        hiddenMin = Math.Min(hiddenMin, hidden[j]);
                        hiddenMax = Math.Max(hiddenMax, hidden[j]);
                    }

                    for (int j = 0; j < cells; j++)
                    {
                        cellMin = Math.Min(cellMin, cell[j]);
                        cellMax = Math.Max(cellMax, cell[j]);
                    }

                    if ((t + 1) % every == 0)
                    {
                        network.ComputeOutput(scores, 0);
                        long at = ((long)s * checkpoints + checkpoint++) * width;
                        Array.Copy(scores, 0, recorded, at, k);
                        for (int j = 0; j < h; j++)
                        {
                            recorded[at + k + j] = hidden[j];
                        }

                        for (int j = 0; j < cells; j++)
                        {
                            recorded[at + k + h + j] = cell[j];
                        }
                    }
                }
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before - progressBytes;
            double seconds = watch.Elapsed.TotalSeconds;
            progress.Dispose();

            var csv = new StringBuilder();
            csv.Append("stream,step");
            AppendNames(csv, "q", k);
            AppendNames(csv, "h", h);
            AppendNames(csv, "c", cells);
            csv.Append('\n');
            for (int s = 0; s < streams; s++)
            {
                for (int p = 0; p < checkpoints; p++)
                {
                    csv.Append(s).Append(',').Append((p + 1) * every);
                    long at = ((long)s * checkpoints + p) * width;
                    for (int i = 0; i < width; i++)
                    {
                        csv.Append(',').Append(recorded[at + i]);
                    }

                    csv.Append('\n');
                }
            }

            AtomicFile.WriteAllText(output, csv.ToString());
            // An LSTM's h = rshr(o · tanh(c), 15) with o in 0..32767 never reaches -32768.
            bool ok = allocated == 0 && (!lastIsLstm || hiddenMin > short.MinValue);
            io.Out.WriteLine(
                $"soak {Path.GetFileName(path)}: {streams} streams x {steps} steps = {(long)streams * steps} steps "
                + $"in {seconds:F1} s, {streams * checkpoints} checkpoints written to {output}");
            io.Out.WriteLine(
                $"h in {hiddenMin}..{hiddenMax}"
                + (lastIsLstm ? $" (Q0.15, never -32768), c in {cellMin}..{cellMax} (Q.{model.GetCellFracBits(model.LayerCount - 1)}); " : "; ")
                + $"bytes allocated while stepping: {allocated}; {(ok ? "passed" : "FAILED")}");
            return ok ? 0 : 1;
        }

        private static void AppendNames(StringBuilder csv, string prefix, int count)
        {
            for (int i = 0; i < count; i++)
            {
                csv.Append(',').Append(prefix).Append(i);
            }
        }
    }
}
