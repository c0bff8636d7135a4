namespace NanoRnn
{
    /// <summary>
    /// Reads bytes of a model's blob from wherever it is stored: on the ESP32 the flash resource it
    /// was deployed as, on a PC or in tests an array (<see cref="ByteArrayBlobReader"/>). A network
    /// built with <see cref="RnnNetwork(RnnModel, IBlobReader, int)"/> reads its gate weights through
    /// it, a few rows at a time, on every step.
    /// </summary>
    public interface IBlobReader
    {
        /// <summary>Copies blob[position .. position + count) to destination[destinationOffset ..].</summary>
        /// <param name="position">Offset in the blob of the first byte, ≥ 0.</param>
        /// <param name="destination">Receives the bytes.</param>
        /// <param name="destinationOffset">Index in <paramref name="destination"/> of the first byte.</param>
        /// <param name="count">Number of bytes, ≥ 0. An implementation copies exactly this many or throws.</param>
        void Read(int position, byte[] destination, int destinationOffset, int count);
    }
}
