using System;

namespace NanoRnn
{
    /// <summary>
    /// CRC-32 as in IEEE 802.3 and zlib.crc32 (reflected, polynomial 0xEDB88320, initial value and
    /// final XOR 0xFFFFFFFF): the checksum in the last four bytes of a model blob.
    /// </summary>
    public static class Crc32
    {
        private const uint ReflectedPolynomial = 0xEDB88320;

        // Table[n] = CRC register after shifting the byte n through it (1 KB, built on first use).
        private static readonly uint[] Table = CreateTable();

        /// <summary>Computes the CRC-32 of <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
        /// <param name="data">The bytes.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes; 0 gives 0.</param>
        /// <returns>The CRC-32, e.g. 0xCBF43926 for the ASCII bytes "123456789".</returns>
        /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range lies outside <paramref name="data"/>.</exception>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return Append(0, data, offset, count);
        }

        /// <summary>
        /// Extends a CRC-32 over more bytes, for data that arrives in pieces (as zlib.crc32(data, crc)):
        /// Append(Compute(a), b) = Compute(a followed by b), and Append(0, a) = Compute(a).
        /// </summary>
        /// <param name="crc">The CRC-32 of the bytes so far; 0 before the first piece.</param>
        /// <param name="data">The next piece.</param>
        /// <param name="offset">Index of its first byte.</param>
        /// <param name="count">Its number of bytes; 0 returns <paramref name="crc"/>.</param>
        /// <returns>The CRC-32 of the bytes so far followed by this piece.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range lies outside <paramref name="data"/>.</exception>
        public static uint Append(uint crc, byte[] data, int offset, int count)
        {
            ArgumentChecks.CheckRange(data, offset, count, nameof(data));
            uint register = ~crc;       // the final XOR undone: the shift register where the last piece left it
            int end = offset + count;
            for (int index = offset; index < end; index++)
            {
                register = Table[(register ^ data[index]) & 0xFF] ^ (register >> 8);
            }

            return ~register;
        }

        private static uint[] CreateTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint value = n;
                for (int bit = 0; bit < 8; bit++)
                {
                    value = (value & 1) != 0 ? (value >> 1) ^ ReflectedPolynomial : value >> 1;
                }

                table[n] = value;
            }

            return table;
        }
    }
}
