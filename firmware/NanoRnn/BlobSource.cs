using System;

namespace NanoRnn
{
    /// <summary>
    /// The bytes of a blob as <see cref="RnnModel"/>'s loader reads them, one window at a time: from
    /// an array (each window is the array itself; nothing is copied), or through an
    /// <see cref="IBlobReader"/> into one buffer of <see cref="RnnModel.LoadBufferBytes"/> (the blob is
    /// never whole in RAM). Every check and every copy of the loader goes through it, so both ways run
    /// the same code in the same order.
    /// </summary>
    /// <remarks>
    /// A section is walked piece by piece: <c>for (source.Start(offset, count, size); source.Next(); )</c>
    /// then values PieceFirst .. PieceFirst + PieceCount - 1 of the section are at Window[WindowIndex ..],
    /// size bytes each. From an array there is one piece; through a reader, pieces of at most the buffer.
    /// </remarks>
    internal sealed class BlobSource
    {
        /// <summary>Bytes of the blob: the array's length, or what the caller says the reader holds.</summary>
        internal readonly int Length;

        /// <summary>The 32 header bytes at index 0 (the blob itself for an array); null until <see cref="ReadHeader"/>.</summary>
        internal byte[] Header;

        // The current window: blob[offset] is Window[WindowIndex], for the offset last fetched.
        internal byte[] Window;
        internal int WindowIndex;

        // The current piece of a section walk: values PieceFirst .. PieceFirst + PieceCount - 1.
        internal int PieceFirst;
        internal int PieceCount;
        private int pieceOffset;      // blob offset of the current piece
        private int pieceSize;        // bytes per value
        private int remaining;        // values after the current piece

        private readonly byte[] blob;         // the whole blob, or null when reading through a reader
        private readonly IBlobReader reader;
        private int bufferStart;              // reader: Window holds blob[bufferStart .. bufferStart + bufferCount)
        private int bufferCount;

        internal BlobSource(byte[] blob)
        {
            this.blob = blob;
            Length = blob.Length;
            Window = blob;
        }

        internal BlobSource(IBlobReader reader, int length)
        {
            this.reader = reader;
            Length = length;
            Window = new byte[RnnModel.LoadBufferBytes];
        }

        /// <summary>Makes the header available as <see cref="Header"/>. The caller has checked that the blob has one.</summary>
        internal byte[] ReadHeader()
        {
            if (blob != null)
            {
                Header = blob;
            }
            else
            {
                Header = new byte[BlobLayout.HeaderBytes];
                Read(0, Header, BlobLayout.HeaderBytes);
            }

            return Header;
        }

        /// <summary>
        /// Makes blob[offset .. offset + n) available at Window[WindowIndex ..], n = count from an
        /// array, else at most the buffer (read unless the last window holds it); returns n. The range
        /// lies inside the blob (the loader has checked the layout against <see cref="Length"/> first).
        /// </summary>
        internal int Fetch(int offset, int count)
        {
            if (blob != null)
            {
                WindowIndex = offset;
                return count;
            }

            int n = count < Window.Length ? count : Window.Length;
            if (offset < bufferStart || offset + n > bufferStart + bufferCount)
            {
                // Exactly what is asked for: the loader walks each section once, in order.
                Read(offset, Window, n);
                bufferStart = offset;
                bufferCount = n;
            }

            WindowIndex = offset - bufferStart;
            return n;
        }

        /// <summary>Starts a walk over <paramref name="count"/> values of <paramref name="size"/> bytes from blob[offset].</summary>
        internal void Start(int offset, int count, int size)
        {
            pieceOffset = offset;
            pieceSize = size;
            remaining = count;
            PieceFirst = 0;
            PieceCount = 0;
        }

        /// <summary>Fetches the next piece of the walk; false when there is none left.</summary>
        internal bool Next()
        {
            PieceFirst += PieceCount;
            pieceOffset += PieceCount * pieceSize;
            if (remaining == 0)
            {
                return false;
            }

            PieceCount = Fetch(pieceOffset, remaining * pieceSize) / pieceSize;
            remaining -= PieceCount;
            return true;
        }

        internal uint ReadUInt32(int offset)
        {
            Fetch(offset, 4);
            return LittleEndian.ReadUInt32(Window, WindowIndex);
        }

        internal float ReadSingle(int offset)
        {
            Fetch(offset, 4);
            return LittleEndian.ReadSingle(Window, WindowIndex);
        }

        /// <summary>Copies count little-endian int32 values from blob[offset].</summary>
        internal int[] ReadInt32s(int offset, int count)
        {
            int[] values = new int[count];
            for (Start(offset, count, 4); Next();)
            {
                byte[] window = Window;
                int at = WindowIndex;
                int end = PieceFirst + PieceCount;
                for (int i = PieceFirst; i < end; i++)
                {
                    values[i] = LittleEndian.ReadInt32(window, at);
                    at += 4;
                }
            }

            return values;
        }

        /// <summary>Copies count bytes from blob[offset].</summary>
        internal byte[] ReadBytes(int offset, int count)
        {
            byte[] values = new byte[count];
            for (Start(offset, count, 1); Next();)
            {
                Array.Copy(Window, WindowIndex, values, PieceFirst, PieceCount);
            }

            return values;
        }

        /// <summary>Copies count int8 values from blob[offset].</summary>
        internal sbyte[] ReadSBytes(int offset, int count)
        {
            sbyte[] values = new sbyte[count];
            for (Start(offset, count, 1); Next();)
            {
                byte[] window = Window;
                int at = WindowIndex - PieceFirst;    // window index of value i
                int end = PieceFirst + PieceCount;
                for (int i = PieceFirst; i < end; i++)
                {
                    values[i] = (sbyte)window[at + i];
                }
            }

            return values;
        }

        // One read through the reader; whatever it throws becomes one ModelFormatException saying where.
        private void Read(int position, byte[] destination, int count)
        {
            try
            {
                reader.Read(position, destination, 0, count);
            }
            catch (Exception e)
            {
                throw new ModelFormatException(
                    "reading bytes " + position + ".." + (position + count - 1) + " of the " + Length + "-byte blob failed: "
                    + e.GetType().Name + ": " + e.Message, e);
            }
        }
    }
}
