namespace NanoRnn.Pipeline
{
    /// <summary>A monotonic clock in microseconds: HighResTimer on the ESP32, a stopwatch on a PC.</summary>
    public interface IMicrosecondClock
    {
        /// <summary>Microseconds since any fixed origin; never goes back.</summary>
        /// <returns>The current time.</returns>
        long NowMicroseconds();
    }
}
