namespace NanoRnn.Pipeline
{
    /// <summary>Counters the pipeline keeps; read them at any time.</summary>
    public sealed class PipelineStatistics
    {
        /// <summary>Samples fed to the model.</summary>
        public long Samples;

        /// <summary>Samples that never arrived (gaps in timestamps, FIFO overflows).</summary>
        public long Dropped;

        /// <summary>
        /// Samples fed late: with the data-ready flag, more than a quarter period after they were due; from
        /// the FIFO, after waiting in it longer than <see cref="SensorSampler.LateAfterMicros"/> (by default
        /// half the time the FIFO can hold), a sign that the steps do not keep up and the FIFO will overflow.
        /// </summary>
        public long Late;

        /// <summary>Decisions reported to the sink.</summary>
        public long Decisions;

        /// <summary>Decision points whose margin was below <see cref="PipelineOptions.MinimumMargin"/>.</summary>
        public long Uncertain;

        /// <summary>Model state resets (windows, gaps and requests).</summary>
        public long Resets;

        /// <summary>FIFO overflows: the sensor overwrote samples before they were read (each also counts its samples as dropped).</summary>
        public long FifoOverflows;

        /// <summary>Failed bus operations: NACK, bus timeout, short read, nothing at the address (<see cref="SensorSupervisor"/>).</summary>
        public long BusErrors;

        /// <summary>Attempts to bring the sensor back after a fault, successful or not (<see cref="SensorSupervisor"/>).</summary>
        public long Retries;

        /// <summary>Times the sensor was found with its configuration lost (reset, power cycle, replug) and configured again.</summary>
        public long Reinitialisations;

        /// <summary>Times the sensor's outputs were found stuck (<see cref="SensorSupervisorOptions.StuckReadingLimit"/> identical readings in a row).</summary>
        public long StuckFaults;

        /// <summary>Times the device at the sensor's address answered with another WHO_AM_I.</summary>
        public long WrongDevice;

        /// <summary>Samples whose processing time was measured (<see cref="SensorSampler.Clock"/> set).</summary>
        public long TimedSteps;

        /// <summary>Microseconds spent feeding <see cref="TimedSteps"/> samples through the pipeline, network steps included.</summary>
        public long TimedMicros;

        /// <summary>The longest time per sample over one FIFO read, in microseconds.</summary>
        public long LongestStepMicros;

        /// <summary>The average time per sample, in microseconds, or -1 when none was timed.</summary>
        /// <returns>Microseconds.</returns>
        public long AverageStepMicros()
        {
            return TimedSteps == 0 ? -1 : TimedMicros / TimedSteps;
        }
    }
}
