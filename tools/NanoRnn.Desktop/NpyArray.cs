using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// A NumPy .npy file (format versions 1 to 3), C order, read into doubles: float16, float32 or
    /// float64, or signed or unsigned integers of 1 to 8 bytes, either byte order (what
    /// tools/quantize.py reads too). The header is a Python dict literal:
    /// {'descr': '&lt;f4', 'fortran_order': False, 'shape': (N, T, C), }.
    /// </summary>
    internal sealed class NpyArray
    {
        private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };
        private static readonly Regex Descr = new Regex(@"'descr'\s*:\s*'([^']*)'");
        private static readonly Regex Fortran = new Regex(@"'fortran_order'\s*:\s*(True|False)");
        private static readonly Regex ShapeEntry = new Regex(@"'shape'\s*:\s*\(([^)]*)\)");
        private static readonly Regex DtypeForm = new Regex(@"^([<>|])([fiu])(\d)$");

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

        /// <summary>True if the file held integers.</summary>
        public bool IsInteger { get; private set; }

        /// <summary>Parses a .npy; integers above 2^53 in magnitude are rounded to the nearest double, as NumPy's float64 conversion does.</summary>
        public static NpyArray Parse(byte[] data, string name)
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
            Match type = DtypeForm.Match(dtype);
            int itemSize = type.Success ? int.Parse(type.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
            char kind = type.Success ? type.Groups[2].Value[0] : '?';
            bool known = kind == 'f' ? itemSize == 2 || itemSize == 4 || itemSize == 8
                : itemSize == 1 || itemSize == 2 || itemSize == 4 || itemSize == 8;
            if (!type.Success || !known || (itemSize > 1 && type.Groups[1].Value == "|"))
            {
                throw new DataException($"{name}: dtype '{dtype}' is not supported; save float16, float32, float64 or integers");
            }

            bool bigEndian = type.Groups[1].Value == ">";
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
                values[i] = Element(body.Slice(itemSize * i, itemSize), kind, bigEndian);
            }

            return new NpyArray(dims, values) { IsInteger = kind != 'f' };
        }

        // One element of kind f (float), i (signed) or u (unsigned), its size given by the span.
        private static double Element(ReadOnlySpan<byte> bytes, char kind, bool bigEndian)
        {
            Span<byte> little = stackalloc byte[8];
            bytes.CopyTo(little);
            if (bigEndian)
            {
                little.Slice(0, bytes.Length).Reverse();
            }

            switch (kind, bytes.Length)
            {
                case ('f', 2): return (double)BinaryPrimitives.ReadHalfLittleEndian(little);
                case ('f', 4): return BinaryPrimitives.ReadSingleLittleEndian(little);
                case ('f', 8): return BinaryPrimitives.ReadDoubleLittleEndian(little);
                case ('i', 1): return (sbyte)little[0];
                case ('i', 2): return BinaryPrimitives.ReadInt16LittleEndian(little);
                case ('i', 4): return BinaryPrimitives.ReadInt32LittleEndian(little);
                case ('i', 8): return BinaryPrimitives.ReadInt64LittleEndian(little);
                case ('u', 1): return little[0];
                case ('u', 2): return BinaryPrimitives.ReadUInt16LittleEndian(little);
                case ('u', 4): return BinaryPrimitives.ReadUInt32LittleEndian(little);
                default: return BinaryPrimitives.ReadUInt64LittleEndian(little);
            }
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
