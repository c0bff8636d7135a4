using System;
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
        public const string Usage =
            "infer --model MODEL.nrnn --input X.npy|X.npz [--output OUT.csv] [--every-step]\n" +
            "        [--input-units training|counts]";

        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            var options = new Arguments("infer", args, 1, "model", "input", "output", "input-units", "!every-step");
            bool inCounts = InputUnits.AreCounts(options);
            RnnModel model = ModelFile.Load(options.Required("model"));
            string inputPath = options.Required("input");
            SequenceFile input = SequenceFile.Read(inputPath, model.InputChannels);
            short[] counts = ReadCounts(model, input, inputPath, inCounts, stderr);
            int sequences = input.Array.Shape[0];
            int steps = input.Array.Shape[1];
            int channels = model.InputChannels;
            bool everyStep = options.Flag("every-step") || model.HeadOnEveryStep;

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

            string output = options.Optional("output", null);
            if (output == null)
            {
                stdout.Write(csv.ToString());
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
