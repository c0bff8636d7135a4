using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using NanoRnn.Simulation;

namespace NanoRnn.Desktop.Simulation
{
    /// <summary>
    /// A recording of raw sensor counts (docs/recording-format.md), replayed as the motion a simulated
    /// sensor measures.
    /// </summary>
    internal sealed class Recording : IMotionSource
    {
        private static readonly string[] MotionColumns = { "t_us", "ax", "ay", "az", "gx", "gy", "gz" };

        private readonly short[] _motion;      // rows × 6
        private readonly int[] _levels;        // rows: bit n = in<n>

        private Recording(short[] motion, int[] levels, int digitalInputs)
        {
            _motion = motion;
            _levels = levels;
            DigitalInputs = digitalInputs;
        }

        public int Samples => _levels.Length;

        public int DigitalInputs { get; }

        public void Sample(int index, short[] counts)
        {
            int row = Math.Min(index, Samples - 1);
            Array.Copy(_motion, row * 6, counts, 0, 6);
        }

        public int Levels(int index)
        {
            return _levels[Math.Min(index, Samples - 1)];
        }

        public static Recording Read(string path, int sampleRateHz)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new DataException($"{path}: cannot read ({e.Message})");
            }

            string[] lines = text.Split('\n');
            string[] header = lines[0].TrimEnd('\r').Split(',');
            int digital = header.Length - MotionColumns.Length;
            if (digital < 0 || digital > 31)
            {
                throw new DataException($"{path}: line 1: {header.Length} columns; expected {string.Join(",", MotionColumns)} and up to 31 digital inputs in0, in1, … (see docs/recording-format.md)");
            }

            for (int i = 0; i < header.Length; i++)
            {
                string expected = i < MotionColumns.Length ? MotionColumns[i] : "in" + (i - MotionColumns.Length);
                if (header[i].Trim() != expected)
                {
                    throw new DataException($"{path}: line 1: column {i + 1} is '{header[i]}', expected '{expected}' (see docs/recording-format.md)");
                }
            }

            long period = 1000000 / sampleRateHz;
            var motion = new List<short>();
            var levels = new List<int>();
            long previous = 0;
            for (int n = 1; n < lines.Length; n++)
            {
                string line = lines[n].TrimEnd('\r');
                if (line.Length == 0)
                {
                    continue;
                }

                string[] cells = line.Split(',');
                if (cells.Length != header.Length)
                {
                    throw new DataException($"{path}: line {n + 1}: {cells.Length} values, the header has {header.Length}");
                }

                long time = Integer(cells[0], long.MinValue, long.MaxValue, path, n, "t_us");
                // Each row against the one before it, so a clock a little off the model's rate does not
                // add up over a long recording into a refused row (the sensor's own clock drifts too).
                long expectedTime = previous + period;
                if (levels.Count > 0 && Math.Abs(time - expectedTime) > period / 4)
                {
                    throw new DataException($"{path}: line {n + 1}: t_us {time} is not one period ({period} µs at {sampleRateHz} Hz) after the previous sample's {previous}; "
                        + $"expected {expectedTime} ± {period / 4}");
                }

                previous = time;

                for (int axis = 1; axis <= 6; axis++)
                {
                    motion.Add((short)Integer(cells[axis], short.MinValue, short.MaxValue, path, n, MotionColumns[axis]));
                }

                int bits = 0;
                for (int d = 0; d < digital; d++)
                {
                    if (Integer(cells[MotionColumns.Length + d], 0, 1, path, n, "in" + d) == 1)
                    {
                        bits |= 1 << d;
                    }
                }

                levels.Add(bits);
            }

            if (levels.Count == 0)
            {
                throw new DataException($"{path}: has no samples");
            }

            return new Recording(motion.ToArray(), levels.ToArray(), digital);
        }

        private static long Integer(string cell, long min, long max, string path, int line, string column)
        {
            if (!long.TryParse(cell.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
                || value < min || value > max)
            {
                throw new DataException($"{path}: line {line + 1}: {column} '{cell}' is not a whole number in {min}..{max}");
            }

            return value;
        }
    }
}
