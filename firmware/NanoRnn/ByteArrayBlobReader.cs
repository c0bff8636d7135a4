using System;

namespace NanoRnn
{
    /// <summary>An <see cref="IBlobReader"/> over a blob held in an array (a PC, tests). Allocates nothing per read.</summary>
    public sealed class ByteArrayBlobReader : IBlobReader
    {
        private readonly byte[] blob;

        /// <summary>Reads from <paramref name="blob"/>, which is not copied: changing it changes what is read.</summary>
        /// <param name="blob">The whole <c>.nrnn</c> file.</param>
        /// <exception cref="ArgumentNullException"><paramref name="blob"/> is null.</exception>
        public ByteArrayBlobReader(byte[] blob)
        {
            if (blob == null)
            {
                throw new ArgumentNullException(nameof(blob));
            }

            this.blob = blob;
        }

        /// <summary>Copies blob[position .. position + count) to destination[destinationOffset ..].</summary>
        /// <param name="position">Offset in the blob of the first byte.</param>
        /// <param name="destination">Receives the bytes.</param>
        /// <param name="destinationOffset">Index in <paramref name="destination"/> of the first byte.</param>
        /// <param name="count">Number of bytes, ≥ 0.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">count is negative, or either range does not exist.</exception>
        public void Read(int position, byte[] destination, int destinationOffset, int count)
        {
            ArgumentChecks.CheckRange(destination, destinationOffset, count, nameof(destination));
            if (position < 0 || position > blob.Length - count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(position), "position " + position + " and " + count + " bytes run outside the blob's " + blob.Length);
            }

            Array.Copy(blob, position, destination, destinationOffset, count);
        }
    }
}
