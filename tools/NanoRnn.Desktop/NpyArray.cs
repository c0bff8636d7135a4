using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// A NumPy .npy file (format versions 1 to 3) of float32 or float64, C order, read into doubles.
    /// The header is a Python dict literal: {'descr': '&lt;f4', 'fortran_order': False, 'shape': (N, T, C), }.
    /// </summary>
    internal sealed class NpyArray
    {
        private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };
        private static readonly Regex Descr = new Regex(@"'descr'\s*:\s*'([^']*)'");
        private static readonly Regex Fortran = new Regex(@"'fortran_order'\s*:\s*(True|False)");
        private static readonly Regex ShapeEntry = new Regex(@"'shape'\s*:\s*\(([^)]*)\)");

        /// <summary>An array built in memory (e.g. sequences of an .npz padded to one length).</summary>
        public NpyArray(int[] shape, double[] values)
        {
            Shape = shape;
            Values = values;
        }

        public int[] Shape { get; }

        public double[] Values { get; }

        public static NpyArray Read(string path)
        {
            byte[] data = InputFile.ReadAllBytes(path);

            return Parse(data, path);
        }

        /// <summary>True if the file held integers (only with <c>integers: true</c>).</summary>
        public bool IsInteger { get; private set; }

        public static NpyArray Parse(byte[] data, string name)
        {
            return Parse(data, name, false);
        }

        /// <summary>Parses a .npy; <paramref name="integers"/> also accepts int32 and int64 (read exactly into doubles below 2^53).</summary>
        public static NpyArray Parse(byte[] data, string name, bool integers)
        {
            if (data.Length < 10 || !data.AsSpan(0, 6).SequenceEqual(Magic))
            {
                throw new DataException($"{name}: not a .npy file (no \\x93NUMPY magic)");
            }

            int major = data[6];
            int headerLength;
            int headerStart;
            if (major == 1)
            {
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(8));
                headerStart = 10;
            }
            else if (major == 2 || major == 3)
            {
                if (data.Length < 12)
                {
                    throw new DataException($"{name}: truncated .npy header");
                }

                headerLength = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(8)));
                headerStart = 12;
            }
            else
            {
                throw new DataException($"{name}: .npy format version {major} is not supported (1 to 3)");
            }

            if ((long)headerStart + headerLength > data.Length)
            {
                throw new DataException($"{name}: truncated .npy header");
            }

            string header = Encoding.UTF8.GetString(data, headerStart, headerLength);
            Match descr = Descr.Match(header);
            Match fortran = Fortran.Match(header);
            Match shape = ShapeEntry.Match(header);
            if (!descr.Success || !fortran.Success || !shape.Success)
            {
                throw new DataException($"{name}: malformed .npy header {header.Trim()}");
            }

            string dtype = descr.Groups[1].Value;
            bool isInteger = integers && (dtype == "<i4" || dtype == "<i8");
            int itemSize = dtype switch
            {
                "<f4" => 4,
                "<f8" => 8,
                "<i4" when isInteger => 4,
                "<i8" when isInteger => 8,
                string other => throw new DataException(integers
                    ? $"{name}: dtype '{other}' is not supported; save int32 or int64"
                    : $"{name}: dtype '{other}' is not supported; save float32 or float64"),
            };
            if (fortran.Groups[1].Value == "True")
            {
                throw new DataException($"{name}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
            }

            int[] dims = ParseShape(shape.Groups[1].Value, name);
            long count = 1;
            foreach (int d in dims)
            {
                count *= d;
                if (count > int.MaxValue / 8)
                {
                    throw new DataException($"{name}: array of shape ({shape.Groups[1].Value}) is too large");
                }
            }

            int dataStart = headerStart + headerLength;
            long expected = count * itemSize;
            if (data.Length - dataStart != expected)
            {
                throw new DataException($"{name}: shape ({shape.Groups[1].Value}) needs {expected} data bytes but the file has {data.Length - dataStart}");
            }

            var values = new double[count];
            ReadOnlySpan<byte> body = data.AsSpan(dataStart);
            for (int i = 0; i < count; i++)
            {
                values[i] = isInteger
                    ? (itemSize == 4 ? BinaryPrimitives.ReadInt32LittleEndian(body.Slice(4 * i)) : BinaryPrimitives.ReadInt64LittleEndian(body.Slice(8 * i)))
                    : itemSize == 4
                    ? BinaryPrimitives.ReadSingleLittleEndian(body.Slice(4 * i))
                    : BinaryPrimitives.ReadDoubleLittleEndian(body.Slice(8 * i));
            }

            return new NpyArray(dims, values) { IsInteger = isInteger };
        }

        private static int[] ParseShape(string text, string name)
        {
            string[] parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var dims = new int[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]))
                {
                    throw new DataException($"{name}: malformed shape ({text})");
                }
            }

            return dims;
        }
    }
}
