using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Text;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// `infer`: runs every sequence of an N×T×C .npy, or of an .npz of variable-length sequences
    /// (training units, or int16 counts with --input-units counts), through the firmware's RnnNetwork
    /// and writes `pred,q…,logit…` rows — or, with --every-step (or for a model whose head was trained
    /// on every step), `seq,step,pred,q…,logit…` rows for every valid step — the same CSV as
    /// `quantize.py reference`, which also warns in the same words when input values saturate int16.
    /// </summary>
    internal static class InferCommand
    {
        public static Command Create(Streams io)
        {
            Option<string> model = CommandLineOptions.Path("--model", "MODEL.nrnn", "the model blob, as `quantize.py export` writes it", required: true);
            Option<string> input = CommandLineOptions.Path("--input", "X.npy|X.npz",
                "the sequences: an N×T×C .npy, or an .npz of variable-length T×C sequences", required: true);
            Option<string> output = CommandLineOptions.Path("--output", "OUT.csv", "where the CSV goes (default: stdout); written whole or not at all");
            Option<bool> everyStep = CommandLineOptions.Flag("--every-step",
                "a row for every valid step, `seq,step,pred,…` (the default for a model whose head was trained on every step)");
            Option<string> inputUnits = InputUnits.CreateOption();
            var command = new Command("infer",
                "Runs sequences through the firmware's network and writes `pred,q…,logit…` rows, one per sequence, as "
                + "`quantize.py reference` does; warns on stderr when input values saturate int16.")
            {
                model, input, output, everyStep, inputUnits,
            };
            command.SetAction(parsed => Run(io, parsed.GetValue(model), parsed.GetValue(input), parsed.GetValue(output),
                parsed.GetValue(everyStep), InputUnits.AreCounts(parsed.GetValue(inputUnits))));
            return command;
        }

        private static int Run(Streams io, string modelPath, string inputPath, string output, bool everyStepGiven, bool inCounts)
        {
            RnnModel model = ModelFile.Load(modelPath);
            SequenceFile input = SequenceFile.Read(inputPath, model.InputChannels);
            short[] counts = ReadCounts(model, input, inputPath, inCounts, io.Error);
            int sequences = input.Array.Shape[0];
            int steps = input.Array.Shape[1];
            int channels = model.InputChannels;
            bool everyStep = everyStepGiven || model.HeadOnEveryStep;

            var network = new RnnNetwork(model);
            var scores = new int[model.ClassCount];
            var csv = new StringBuilder();
            csv.Append(everyStep ? "seq,step," : string.Empty).Append(Header(model.ClassCount)).Append('\n');
            for (int n = 0; n < sequences; n++)
            {
                network.Reset();
                int length = input.Length(n);
                for (int t = 0; t < length; t++)
                {
                    network.Step(counts, (n * steps + t) * channels);
                    if (everyStep)
                    {
                        network.ComputeOutput(scores, 0);
                        csv.Append(n).Append(',').Append(t).Append(',');
                        AppendRow(csv, model, scores);
                    }
                }

                if (!everyStep)
                {
                    network.ComputeOutput(scores, 0);
                    AppendRow(csv, model, scores);
                }
            }

            if (output == null)
            {
                io.Out.Write(csv.ToString());
            }
            else
            {
                AtomicFile.WriteAllText(output, csv.ToString());
            }

            return 0;
        }

        /// <summary>
        /// Training units to int16 counts, exactly as tools/nanornn/reference.py quantize_input:
        /// floor(x / scale + zero + 0.5) in double, clamped.
        /// </summary>
        public static short[] Quantize(RnnModel model, NpyArray input, string name)
        {
            return InputUnits.ToCounts(model, input, name, false, null, new long[model.InputChannels]);
        }

        /// <summary>The sequences as int16 counts; writes `warning: …` to <paramref name="stderr"/> when values saturate.</summary>
        public static short[] ReadCounts(RnnModel model, SequenceFile input, string name, bool inCounts, TextWriter stderr)
        {
            var saturated = new long[model.InputChannels];
            short[] counts = InputUnits.ToCounts(model, input.Array, name, inCounts, input.Lengths, saturated);
            long steps = 0;
            for (int n = 0; n < input.Array.Shape[0]; n++)
            {
                steps += input.Length(n);
            }

            string warning = InputUnits.SaturationWarning(name, model, saturated, steps * model.InputChannels, inCounts);
            if (warning != null)
            {
                stderr.WriteLine("warning: " + warning);
            }

            return counts;
        }

        public static string Header(int classes)
        {
            var header = new StringBuilder("pred");
            for (int k = 0; k < classes; k++)
            {
                header.Append(",q").Append(k);
            }

            for (int k = 0; k < classes; k++)
            {
                header.Append(",logit").Append(k);
            }

            return header.ToString();
        }

        private static void AppendRow(StringBuilder csv, RnnModel model, int[] scores)
        {
            csv.Append(RnnNetwork.ArgMax(scores, 0, scores.Length));
            foreach (int q in scores)
            {
                csv.Append(',').Append(q.ToString(CultureInfo.InvariantCulture));
            }

            double outputScale = model.OutputScale;
            foreach (int q in scores)
            {
                csv.Append(',').Append((q * outputScale).ToString("F6", CultureInfo.InvariantCulture));
            }

            csv.Append('\n');
        }
    }
}
