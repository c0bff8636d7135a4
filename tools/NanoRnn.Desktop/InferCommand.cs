using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// `infer`: runs every sequence of an N×T×C .npy (training units) through the firmware's
    /// RnnNetwork and writes `pred,q…,logit…` rows, the same CSV as `quantize.py reference`.
    /// </summary>
    internal static class InferCommand
    {
        public const string Usage = "infer --model MODEL.nrnn --input X.npy [--output OUT.csv]";

        public static int Run(string[] args, TextWriter stdout)
        {
            var options = new Arguments("infer", args, 1, "model", "input", "output");
            RnnModel model = ModelFile.Load(options.Required("model"));
            string inputPath = options.Required("input");
            NpyArray input = NpyArray.Read(inputPath);
            short[] counts = Quantize(model, input, inputPath);
            int sequences = input.Shape[0];
            int steps = input.Shape[1];

            var network = new RnnNetwork(model);
            var scores = new int[model.ClassCount];
            var csv = new StringBuilder();
            csv.Append(Header(model.ClassCount)).Append('\n');
            for (int n = 0; n < sequences; n++)
            {
                network.Run(counts, n * steps * model.InputChannels, steps, scores, 0);
                AppendRow(csv, model, scores);
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
            int[] shape = input.Shape;
            if (shape.Length != 3)
            {
                throw new DataException($"{name}: shape ({string.Join(", ", shape)}) is not N×T×C");
            }

            if (shape[0] == 0 || shape[1] == 0)
            {
                throw new DataException($"{name}: is empty (shape {shape[0]}×{shape[1]}×{shape[2]})");
            }

            int channels = model.InputChannels;
            if (shape[2] != channels)
            {
                throw new DataException($"{name}: has {shape[2]} channels, the model takes {channels}");
            }

            var scale = new double[channels];
            var zero = new double[channels];
            for (int c = 0; c < channels; c++)
            {
                scale[c] = model.GetInputScale(c);
                zero[c] = model.GetInputZero(c);
            }

            double[] values = input.Values;
            var counts = new short[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                double x = values[i];
                int c = i % channels;
                if (!double.IsFinite(x))
                {
                    int step = i / channels;
                    throw new DataException($"{name}: input is not finite at sequence {step / shape[1]}, step {step % shape[1]}, channel {c}");
                }

                double v = Math.Floor(x / scale[c] + zero[c] + 0.5);
                counts[i] = (short)Math.Clamp(v, short.MinValue, short.MaxValue);
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
