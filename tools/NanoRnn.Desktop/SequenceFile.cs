using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// The sequences `infer` runs, as tools/nanornn/inputs.py load_sequences reads them: an N×T×C .npy (every
    /// sequence T steps), or an .npz of variable-length sequences — arrays arr_0, arr_1, … of T_i×C
    /// (np.savez(path, *sequences)), or one N×T×C array plus `lengths` (N integers, 1..T).
    /// </summary>
    internal sealed class SequenceFile
    {
        private static readonly byte[] ZipMagic = { (byte)'P', (byte)'K', 3, 4 };

        private SequenceFile(NpyArray array, int[] lengths)
        {
            Array = array;
            Lengths = lengths;
        }

        /// <summary>N×T×C training units; steps past a sequence's length are 0.</summary>
        public NpyArray Array { get; }

        /// <summary>Valid steps per sequence, or null: every sequence is T steps.</summary>
        public int[] Lengths { get; }

        /// <summary>Steps of sequence n.</summary>
        public int Length(int n)
        {
            return Lengths == null ? Array.Shape[1] : Lengths[n];
        }

        public static SequenceFile Read(string path, int channels)
        {
            byte[] data = InputFile.ReadAllBytes(path);
            if (data.Length < 4 || !data.AsSpan(0, 4).SequenceEqual(ZipMagic))
            {
                return new SequenceFile(CheckShape(NpyArray.Parse(data, path), path, channels), null);
            }

            Dictionary<string, byte[]> entries = Entries(data, path);
            if (entries.ContainsKey("lengths"))
            {
                return WithLengths(entries, path, channels);
            }

            return FromList(entries, path, channels);
        }

        private static Dictionary<string, byte[]> Entries(byte[] data, string path)
        {
            var entries = new Dictionary<string, byte[]>();
            try
            {
                using var zip = new ZipArchive(new MemoryStream(data), ZipArchiveMode.Read);
                foreach (ZipArchiveEntry entry in zip.Entries)
                {
                    string name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal)
                        ? entry.FullName.Substring(0, entry.FullName.Length - 4)
                        : entry.FullName;
                    using Stream stream = entry.Open();
                    var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    entries[name] = copy.ToArray();
                }
            }
            catch (InvalidDataException e)
            {
                throw new DataException($"{path}: not a valid .npz (zip) file ({e.Message})");
            }

            return entries;
        }

        // An N×T×C array and `lengths`.
        private static SequenceFile WithLengths(Dictionary<string, byte[]> entries, string path, int channels)
        {
            var others = new List<string>(entries.Keys);
            others.Remove("lengths");
            if (others.Count != 1)
            {
                throw new DataException($"{path}: with `lengths`, exactly one other array is expected (found {(others.Count == 0 ? "none" : string.Join(", ", others))})");
            }

            string name = $"{path}[{others[0]}]";
            NpyArray array = CheckShape(NpyArray.Parse(entries[others[0]], name), name, channels);
            NpyArray raw = NpyArray.Parse(entries["lengths"], $"{path}[lengths]");
            if (raw.Shape.Length != 1 || !raw.IsInteger)
            {
                throw new DataException($"{path}[lengths]: expected a 1-D integer array");
            }

            int n = array.Shape[0], steps = array.Shape[1];
            if (raw.Shape[0] != n)
            {
                throw new DataException($"{path}[lengths]: has {raw.Shape[0]} entries for {n} sequences");
            }

            var lengths = new int[n];
            for (int i = 0; i < n; i++)
            {
                double length = raw.Values[i];
                if (length < 1 || length > steps)
                {
                    throw new DataException($"{path}[lengths]: lengths[{i}] = {length} is outside 1..{steps}");
                }

                lengths[i] = (int)length;
            }

            // Steps past a sequence's length are never read; zero them so NaN padding is harmless.
            double[] values = array.Values;
            for (int i = 0; i < n; i++)
            {
                System.Array.Clear(values, (i * steps + lengths[i]) * channels, (steps - lengths[i]) * channels);
            }

            return new SequenceFile(array, lengths);
        }

        // arr_0, arr_1, … each T_i×C, padded with zeros to the longest.
        private static SequenceFile FromList(Dictionary<string, byte[]> entries, string path, int channels)
        {
            int n = entries.Count;
            for (int i = 0; i < n; i++)
            {
                if (!entries.ContainsKey("arr_" + i))
                {
                    throw new DataException($"{path}: expected arrays arr_0, arr_1, … (np.savez(path, *sequences)) or an array plus `lengths`, found {(n == 0 ? "nothing" : string.Join(", ", entries.Keys))}");
                }
            }

            var sequences = new NpyArray[n];
            var lengths = new int[n];
            int steps = 0;
            for (int i = 0; i < n; i++)
            {
                string name = $"{path}[arr_{i}]";
                NpyArray sequence = NpyArray.Parse(entries["arr_" + i], name);
                int[] shape = sequence.Shape;
                if (shape.Length != 2 || shape[0] == 0)
                {
                    throw new DataException($"{name}: shape ({string.Join(", ", shape)}) is not T×C with T >= 1");
                }

                if (shape[1] != channels)
                {
                    throw new DataException($"{name}: has {shape[1]} channels, the model takes {channels}");
                }

                sequences[i] = sequence;
                lengths[i] = shape[0];
                steps = Math.Max(steps, shape[0]);
            }

            var values = new double[(long)n * steps * channels];
            for (int i = 0; i < n; i++)
            {
                System.Array.Copy(sequences[i].Values, 0, values, (long)i * steps * channels, sequences[i].Values.Length);
            }

            return new SequenceFile(new NpyArray(new[] { n, steps, channels }, values), lengths);
        }

        /// <summary>Throws unless <paramref name="array"/> is N×T×C with N, T ≥ 1 and C = <paramref name="channels"/>.</summary>
        public static NpyArray CheckShape(NpyArray array, string name, int channels)
        {
            int[] shape = array.Shape;
            if (shape.Length != 3)
            {
                throw new DataException($"{name}: shape ({string.Join(", ", shape)}) is not N×T×C");
            }

            if (shape[0] == 0 || shape[1] == 0)
            {
                throw new DataException($"{name}: is empty (shape {shape[0]}×{shape[1]}×{shape[2]})");
            }

            if (shape[2] != channels)
            {
                throw new DataException($"{name}: has {shape[2]} channels, the model takes {channels}");
            }

            return array;
        }
    }
}
