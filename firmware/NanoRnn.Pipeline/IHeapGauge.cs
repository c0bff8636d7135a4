namespace NanoRnn.Pipeline
{
    /// <summary>How much managed heap is free, for choosing how the weights are kept (<see cref="BoardApplication"/>).</summary>
    public interface IHeapGauge
    {
        /// <summary>Free heap in bytes, once whatever can be collected has been.</summary>
        /// <returns>Free bytes.</returns>
        long FreeBytes();
    }
}
