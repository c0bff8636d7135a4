namespace NanoRnn.Pipeline
{
    /// <summary>
    /// Where a model blob lives: a flash resource on the board, a file's bytes on a PC. Read in pieces
    /// (<see cref="IBlobReader.Read"/>) to stream a large model's weights, or whole to load a small one.
    /// </summary>
    public interface IModelStore : IBlobReader
    {
        /// <summary>The blob's length in bytes.</summary>
        /// <returns>The length.</returns>
        int MeasureLength();

        /// <summary>A copy of the whole blob, in a new array.</summary>
        /// <returns>The blob.</returns>
        byte[] ReadAll();
    }
}
