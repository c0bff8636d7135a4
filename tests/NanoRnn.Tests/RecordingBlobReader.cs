using System;

namespace NanoRnn.Tests
{
    /// <summary>
    /// A <see cref="ByteArrayBlobReader"/> that records what it is asked for (reads, bytes, the largest
    /// read) and can misbehave on purpose: throw on one read, or copy one byte short every time.
    /// </summary>
    internal sealed class RecordingBlobReader : IBlobReader
    {
        /// <summary>Reads so far (including one that threw).</summary>
        internal int Reads;

        /// <summary>Bytes asked for so far.</summary>
        internal long BytesRead;

        /// <summary>The most bytes asked for by one read.</summary>
        internal int LargestRead;

        /// <summary>The read (0 = the first) that throws an InvalidOperationException instead; -1: none.</summary>
        internal int ThrowOnRead = -1;

        /// <summary>True: every read copies count - 1 bytes and leaves the last one as it was.</summary>
        internal bool ShortReads;

        private readonly ByteArrayBlobReader source;

        internal RecordingBlobReader(byte[] blob)
        {
            source = new ByteArrayBlobReader(blob);
        }

        public void Read(int position, byte[] destination, int destinationOffset, int count)
        {
            int read = Reads;
            Reads++;
            if (read == ThrowOnRead)
            {
                throw new InvalidOperationException("read " + read + " failed on purpose");
            }

            BytesRead += count;
            LargestRead = count > LargestRead ? count : LargestRead;
            source.Read(position, destination, destinationOffset, ShortReads && count > 0 ? count - 1 : count);
        }
    }
}
