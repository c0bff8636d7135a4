namespace NanoRnn.Pipeline
{
    /// <summary>How <see cref="SensorSupervisor"/> retries, re-initialises and spots a stuck sensor. Times in microseconds.</summary>
    public sealed class SensorSupervisorOptions
    {
        /// <summary>Wait after the first failure before trying again; it doubles with every failure in a row.</summary>
        public long FirstRetryDelayMicros = 10000;

        /// <summary>The longest wait between attempts (the back-off stops doubling here, and retries never stop).</summary>
        public long MaxRetryDelayMicros = 1000000;

        /// <summary>
        /// After writing PWR_MGMT_1 DEVICE_RESET, how long to leave the chip before configuring it again
        /// (both chips need well under 100 ms).
        /// </summary>
        public long DeviceResetDelayMicros = 100000;

        /// <summary>
        /// Identical readings in a row (all six axes) that make the outputs stuck, at least 2; 0 turns
        /// the check off. The default, 100, is two seconds at 50 Hz: a live MPU-6050 or MPU-6886 never
        /// holds all six axes on the same count that long, even lying still, because its noise is
        /// several counts.
        /// </summary>
        public int StuckReadingLimit = 100;
    }
}
