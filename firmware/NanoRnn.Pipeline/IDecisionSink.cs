namespace NanoRnn.Pipeline
{
    /// <summary>Receives what the pipeline decides and when its input stream breaks.</summary>
    public interface IDecisionSink
    {
        /// <summary>A confident decision, after smoothing.</summary>
        /// <param name="classIndex">The winning class.</param>
        /// <param name="score">Its smoothed score, in the model's output units (logit = score × OutputScale).</param>
        /// <param name="margin">Smoothed score minus the runner-up's, same units.</param>
        /// <param name="sampleIndex">Index of the sample the decision was taken at (counting dropped ones).</param>
        void OnDecision(int classIndex, int score, int margin, long sampleIndex);

        /// <summary>Samples were lost before <paramref name="sampleIndex"/>.</summary>
        /// <param name="sampleIndex">Index of the first sample after the gap.</param>
        /// <param name="dropped">How many were lost.</param>
        void OnGap(long sampleIndex, int dropped);
    }
}
