using System;

namespace NanoRnn
{
    /// <summary>
    /// Reads the blob's little-endian fields: while loading, and from the input section a model keeps.
    /// Callers have already checked that the bytes exist.
    /// </summary>
    internal static class LittleEndian
    {
        // Not BitConverter.IsLittleEndian: nanoFramework declares it as a property and .NET as a
        // field, so a DLL compiled against one fails on the other with MissingMethodException.
        private static readonly bool MachineIsLittleEndian = BitConverter.GetBytes(1)[0] == 1;

        internal static int ReadUInt16(byte[] data, int offset)
        {
            return data[offset] | (data[offset + 1] << 8);
        }

        internal static int ReadInt32(byte[] data, int offset)
        {
            return data[offset] | (data[offset + 1] << 8) | (data[offset + 2] << 16) | (data[offset + 3] << 24);
        }

        internal static uint ReadUInt32(byte[] data, int offset)
        {
            return (uint)ReadInt32(data, offset);
        }

        /// <summary>An IEEE 754 binary32, whatever the byte order of the machine.</summary>
        internal static float ReadSingle(byte[] data, int offset)
        {
            if (MachineIsLittleEndian)
            {
                return BitConverter.ToSingle(data, offset);
            }

            byte[] swapped = new byte[] { data[offset + 3], data[offset + 2], data[offset + 1], data[offset] };
            return BitConverter.ToSingle(swapped, 0);
        }
    }
}
