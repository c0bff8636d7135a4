using System;
using System.Resources;
using nanoFramework.Runtime.Native;

namespace NanoRnn.App
{
    /// <summary>
    /// Reads a model blob straight from its binary resource in flash, for a network that streams its
    /// gate weights (<see cref="RnnNetwork(RnnModel, IBlobReader, int)"/>). Each read is one
    /// <c>ResourceUtility.GetObject(rm, id, offset, length)</c>, which returns a new array of that
    /// many bytes, copied here into the destination: the cost is in docs/performance.md ("resource" rows).
    /// </summary>
    internal sealed class ResourceBlobReader : IBlobReader
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
