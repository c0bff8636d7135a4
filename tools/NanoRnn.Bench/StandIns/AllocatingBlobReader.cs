using System;

namespace NanoRnn.Bench.StandIns
{
    /// <summary>
    /// The cost harness's stand-in for a reader over an ESP32 flash resource: nanoFramework's
    /// <c>ResourceUtility.GetObject(rm, id, offset, length)</c> returns a new byte[] per call, which the
    /// reader copies into the destination (as firmware/NanoRnn.App's ResourceBlobReader does). Here the
    /// new array is filled from the blob in RAM (GetObject copies it natively from flash, not counted).
    /// Never deployed.
    /// </summary>
    public sealed class AllocatingBlobReader : IBlobReader
    {
        private readonly byte[] blob;

        public AllocatingBlobReader(byte[] blob)
        {
            this.blob = blob;
        }

        public void Read(int position, byte[] destination, int destinationOffset, int count)
        {
            byte[] chunk = GetObject(position, count);
            Array.Copy(chunk, 0, destination, destinationOffset, count);
        }

        // What GetObject(rm, id, offset, length) hands back: a fresh array of length bytes.
        private byte[] GetObject(int offset, int length)
        {
            byte[] value = new byte[length];
            Array.Copy(blob, offset, value, 0, length);
            return value;
        }
    }
}
