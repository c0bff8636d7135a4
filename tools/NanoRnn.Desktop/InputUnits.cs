using System;
using System.CommandLine;
using System.Text;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// What an input file's values are (`--input-units`): training units, converted with the blob's
    /// input scale and zero, or int16 counts as the firmware is fed them. The conversion, and the
    /// warning about values that saturate int16, are tools/nanornn/reference.py's to_counts and
    /// saturation_warning, word for word.
    /// </summary>
    internal static class InputUnits
    {
        public const string Training = "training";
        public const string Counts = "counts";

        private static readonly string[] SourceNames = { "?", "ax", "ay", "az", "gx", "gy", "gz", "temp" };

        /// <summary>The `--input-units` option of the commands that read sequences.</summary>
        public static Option<string> CreateOption()
        {
            return CommandLineOptions.OneOf("--input-units",
                "what the input's values are: training units (converted with the blob's input scale and zero) or int16 counts as the sensor gives them",
                Training, Training, Counts);
        }

        /// <summary>Whether an --input-units value means int16 counts.</summary>
        public static bool AreCounts(string units)
        {
            return units == Counts;
        }

        /// <summary>
        /// The input as int16 counts: floor(x / scale + zero + 0.5) from training units, floor(x + 0.5)
        /// from counts, in double, clamped. <paramref name="saturated"/> counts per channel the values
        /// that were clamped among the first <paramref name="lengths"/>[n] steps of sequence n (all steps without lengths).
        /// </summary>
        public static short[] ToCounts(RnnModel model, NpyArray input, string name, bool counts, int[] lengths, long[] saturated)
        {
            SequenceFile.CheckShape(input, name, model.InputChannels);
            int[] shape = input.Shape;
            int channels = model.InputChannels;
            var scale = new double[channels];
            var zero = new double[channels];
            for (int c = 0; c < channels; c++)
            {
                scale[c] = counts ? 1.0 : model.GetInputScale(c);
                zero[c] = counts ? 0.0 : model.GetInputZero(c);
            }

            double[] values = input.Values;
            var result = new short[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                double x = values[i];
                int c = i % channels;
                int step = i / channels;
                if (!double.IsFinite(x))
                {
                    throw new DataException($"{name}: input is not finite at sequence {step / shape[1]}, step {step % shape[1]}, channel {c}");
                }

                double v = Math.Floor(counts ? x + 0.5 : x / scale[c] + zero[c] + 0.5);
                bool valid = lengths == null || step % shape[1] < lengths[step / shape[1]];
                if (valid && (v < short.MinValue || v > short.MaxValue))
                {
                    saturated[c]++;
                }

                result[i] = (short)Math.Clamp(v, short.MinValue, short.MaxValue);
            }

            return result;
        }

        /// <summary>Null, or one sentence on inputs that saturated int16 (no "warning: " prefix).</summary>
        public static string SaturationWarning(string name, RnnModel model, long[] saturated, long total, bool counts)
        {
            long count = 0;
            var channels = new StringBuilder();
            for (int c = 0; c < saturated.Length; c++)
            {
                if (saturated[c] == 0)
                {
                    continue;
                }

                count += saturated[c];
                int source = model.GetChannelSource(c);
                channels.Append(channels.Length == 0 ? string.Empty : ", ").Append(c)
                    .Append(source == ChannelSource.Unspecified ? string.Empty : " (" + SourceName(source) + ")")
                    .Append(' ').Append(saturated[c]);
            }

            if (count == 0)
            {
                return null;
            }

            bool folded = false;
            for (int c = 0; c < model.InputChannels; c++)
            {
                folded |= model.GetInputZero(c) != 0;
            }

            string cause = counts
                ? "with --input-units counts they must be int16 counts, -32768..32767: in training units? leave out --input-units counts"
                : folded
                ? "the blob takes training units, (counts - mean) / std with the mean and std folded in at export: raw sensor counts? pass --input-units counts"
                : "they lie beyond the input range the blob was calibrated for (without --calibration at export: standardised inputs, |x| <= 8): "
                  + "other units or a wider range? export with --calibration on data like these";
            return $"{name}: {count} of {total} input values saturated the int16 input (per channel: {channels}); {cause}";
        }

        private static string SourceName(int source)
        {
            return source < SourceNames.Length ? SourceNames[source] : "in" + (source - ChannelSource.DigitalInputBase);
        }
    }
}
