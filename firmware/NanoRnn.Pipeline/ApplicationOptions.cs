namespace NanoRnn.Pipeline
{
    /// <summary>The settings of a <see cref="BoardApplication"/>; the defaults are the firmware's.</summary>
    public sealed class ApplicationOptions
    {
        /// <summary>The decision policy; null: one-second windows (WindowLength = the model's rate).</summary>
        public PipelineOptions Pipeline;

        /// <summary>Sensor retry, reset and stuck-output settings.</summary>
        public SensorSupervisorOptions Supervisor = new SensorSupervisorOptions();

        /// <summary>
        /// A blob longer than this is loaded through the store in pieces and run with its gate weights
        /// left there, read on every step: it is never whole in RAM (docs/performance.md, "Memory").
        /// </summary>
        public int GateWeightsInRamBudget = 32 * 1024;

        /// <summary>Gate-weight rows per read when the weights are streamed.</summary>
        public int StreamChunkRows = 16;

        /// <summary>The class that leaves the LED dark.</summary>
        public int RestingClass;

        /// <summary>Time between statistics lines, in microseconds.</summary>
        public long StatisticsEveryMicros = 10000000;

        /// <summary>Time between attempts to find the sensor while none answers, in microseconds.</summary>
        public long SensorRetryMicros = 1000000;

        /// <summary>Network steps timed at start-up for the step-time figure.</summary>
        public int TimingSteps = 16;

        /// <summary>The sensor's DLPF_CFG: 3 gives the 1 kHz output rate the sample-rate divider divides.</summary>
        public int DigitalLowPassFilter = 3;
    }
}
