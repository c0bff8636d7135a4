using System;
using System.Resources;
using nanoFramework.Runtime.Native;
using NanoRnn.Pipeline;

namespace NanoRnn.App
{
    /// <summary>
    /// Reads a model blob straight from its binary resource in flash, for a model loaded without it in
    /// RAM (<see cref="RnnModel.Load(IBlobReader, int)"/>) and a network that streams its gate weights
    /// (<see cref="RnnNetwork(RnnModel, IBlobReader, int)"/>). Each read is one
    /// <c>ResourceUtility.GetObject(rm, id, offset, length)</c>, which returns a new array of that
    /// many bytes, copied here into the destination: the cost is in docs/performance.md ("resource" rows).
    /// </summary>
    internal sealed class ResourceBlobReader : IModelStore
    {
        private readonly ResourceManager resources;
        private readonly Enum id;

        /// <param name="resources">The application's resources (Resources.ResourceManager).</param>
        /// <param name="id">The blob's resource, e.g. Resources.BinaryResources.model.</param>
        public ResourceBlobReader(ResourceManager resources, Enum id)
        {
            this.resources = resources;
            this.id = id;
        }

        // A resource is far smaller than this (an ESP32 has at most 16 MB of flash).
        private const int LengthBound = 1 << 30;

        /// <summary>
        /// The resource's length in bytes, without copying it: bisection on whether byte n exists, each
        /// probe a one-byte <c>GetObject(rm, id, n, 1)</c>. For a binary resource, GetObject with an offset
        /// at or past the end throws IndexOutOfRangeException (nf-interpreter,
        /// <c>ResourceManager::GetObjectInternal(short, int, int)</c>); 30 probes, each allocating one byte
        /// or that exception.
        /// </summary>
        public int MeasureLength()
        {
            int present = -1;               // the last byte known to exist; -1: none yet
            int absent = LengthBound;       // a byte known not to exist
            while (absent - present > 1)
            {
                int probe = present + (absent - present) / 2;
                if (Exists(probe))
                {
                    present = probe;
                }
                else
                {
                    absent = probe;
                }
            }

            return absent;
        }

        /// <summary>The whole resource, copied from flash into a new array.</summary>
        /// <returns>The blob.</returns>
        public byte[] ReadAll()
        {
            return (byte[])ResourceUtility.GetObject(resources, id);
        }

        private bool Exists(int position)
        {
            try
            {
                ResourceUtility.GetObject(resources, id, position, 1);
                return true;
            }
            catch (IndexOutOfRangeException)
            {
                return false;
            }
        }

        /// <summary>Copies bytes position .. position + count - 1 of the resource into destination.</summary>
        /// <exception cref="InvalidOperationException">The resource did not return count bytes there.</exception>
        public void Read(int position, byte[] destination, int destinationOffset, int count)
        {
            if (count == 0)
            {
                return;
            }

            byte[] chunk = (byte[])ResourceUtility.GetObject(resources, id, position, count);
            if (chunk == null || chunk.Length != count)
            {
                throw new InvalidOperationException(
                    "resource " + id.ToString() + " gave " + (chunk == null ? 0 : chunk.Length) + " bytes at " + position + ", expected " + count);
            }

            Array.Copy(chunk, 0, destination, destinationOffset, count);
        }
    }
}
