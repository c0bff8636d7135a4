using System;

namespace NanoRnn
{
    /// <summary>Copies typed arrays out of a blob (little-endian), once, at load time.</summary>
    internal static class BlobReader
    {
        internal static float[] ReadSingles(byte[] blob, int offset, int count)
        {
            float[] values = new float[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = LittleEndian.ReadSingle(blob, offset + 4 * i);
            }

            return values;
        }

        internal static int[] ReadInt32s(byte[] blob, int offset, int count)
        {
            int[] values = new int[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = LittleEndian.ReadInt32(blob, offset + 4 * i);
            }

            return values;
        }

        internal static byte[] ReadBytes(byte[] blob, int offset, int count)
        {
            byte[] values = new byte[count];
            Array.Copy(blob, offset, values, 0, count);
            return values;
        }

        internal static sbyte[] ReadSBytes(byte[] blob, int offset, int count)
        {
            sbyte[] values = new sbyte[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (sbyte)blob[offset + i];
            }

            return values;
        }
    }
}
