namespace NanoRnn.Pipeline
{
    /// <summary>Counters the pipeline keeps; read them at any time.</summary>
    public sealed class PipelineStatistics
    {
        /// <summary>Samples fed to the model.</summary>
        public long Samples;

        /// <summary>Samples that never arrived (gaps in timestamps, FIFO overflows).</summary>
        public long Dropped;

        /// <summary>Samples that arrived more than a quarter period after they were due.</summary>
        public long Late;

        /// <summary>Decisions reported to the sink.</summary>
        public long Decisions;

        /// <summary>Decision points whose margin was below <see cref="PipelineOptions.MinimumMargin"/>.</summary>
        public long Uncertain;

        /// <summary>Model state resets (windows, gaps and requests).</summary>
        public long Resets;
    }
}
