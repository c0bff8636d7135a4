using System;

namespace NanoRnn.Pipeline
{
    /// <summary>An <see cref="IModelStore"/> over a blob already in memory (a file read on a PC, a test's bytes).</summary>
    public sealed class ModelBytes : IModelStore
    {
        private readonly byte[] _blob;

        /// <summary>Wraps <paramref name="blob"/>; it is not copied.</summary>
        /// <param name="blob">The blob.</param>
        /// <exception cref="ArgumentNullException"><paramref name="blob"/> is null.</exception>
        public ModelBytes(byte[] blob)
        {
            if (blob == null) throw new ArgumentNullException("blob");
            _blob = blob;
        }

        /// <inheritdoc/>
        public int MeasureLength()
        {
            return _blob.Length;
        }

        /// <inheritdoc/>
        public byte[] ReadAll()
        {
            var copy = new byte[_blob.Length];
            Array.Copy(_blob, copy, _blob.Length);
            return copy;
        }

        /// <inheritdoc/>
        public void Read(int position, byte[] destination, int destinationOffset, int count)
        {
            if (position < 0 || count < 0 || position > _blob.Length - count)
            {
                throw new ArgumentOutOfRangeException("position", "bytes " + position + ".." + (position + count) + " are outside the " + _blob.Length + "-byte blob");
            }

            Array.Copy(_blob, position, destination, destinationOffset, count);
        }
    }
}
