namespace NanoRnn.Pipeline
{
    /// <summary>How often and how confidently the pipeline decides.</summary>
    public sealed class PipelineOptions
    {
        /// <summary>
        /// Samples per window. A positive value runs the model the way it was trained on fixed
        /// windows: the state starts at zero, a decision is taken after the window's last sample, and
        /// the state is reset. 0 keeps the state across samples and decides every
        /// <see cref="DecisionInterval"/> samples.
        /// </summary>
        public int WindowLength = 0;

        /// <summary>With <see cref="WindowLength"/> 0: samples between decisions (1 = every sample).</summary>
        public int DecisionInterval = 1;

        /// <summary>Decisions whose scores are averaged before the argmax (1 = no smoothing), at most 16.</summary>
        public int SmoothingWindow = 1;

        /// <summary>
        /// Smallest margin between the best and second-best smoothed score for a decision to be
        /// reported, in the model's output units; weaker ones are counted as uncertain.
        /// </summary>
        public int MinimumMargin = 0;

        /// <summary>Whether lost samples reset the model state (the sequence it was following is broken).</summary>
        public bool ResetOnGap = true;
    }
}
