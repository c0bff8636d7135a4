namespace NanoRnn.Pipeline
{
    /// <summary>
    /// Prints each decision with its class name and probability, and each gap, one line apiece:
    /// <c>    1.00 s  sample     49  shake     p 0.98  logit  4.99  margin  4.51</c>. The probability is
    /// a softmax over the smoothed scores, dequantised with the model's output scale; it is computed
    /// here, once per decision, never on the per-sample path.
    /// </summary>
    public sealed class DecisionReport : IDecisionSink
    {
        private readonly ILineOutput _output;
        private readonly string[] _labels;
        private readonly int _sampleRateHz;
        private readonly double _outputScale;
        private readonly IExponential _exponential;
        private readonly IDecisionSink _next;
        private SamplingPipeline _pipeline;

        /// <summary>Creates a report; call <see cref="Attach"/> with the pipeline that feeds it.</summary>
        /// <param name="output">Where lines go.</param>
        /// <param name="labels">Class names, one per class.</param>
        /// <param name="sampleRateHz">The model's rate, for the time column.</param>
        /// <param name="outputScale">Logit per score unit (<see cref="RnnModel.OutputScale"/>).</param>
        /// <param name="exponential">e to a power.</param>
        /// <param name="next">Told of every decision and gap after the line is written; may be null.</param>
        /// <exception cref="System.ArgumentNullException">output, labels or exponential is null.</exception>
        public DecisionReport(ILineOutput output, string[] labels, int sampleRateHz, double outputScale, IExponential exponential, IDecisionSink next)
        {
            if (output == null) throw new System.ArgumentNullException("output");
            if (labels == null) throw new System.ArgumentNullException("labels");
            if (exponential == null) throw new System.ArgumentNullException("exponential");
            _output = output;
            _labels = labels;
            _sampleRateHz = sampleRateHz;
            _outputScale = outputScale;
            _exponential = exponential;
            _next = next;
        }

        /// <summary>The pipeline whose smoothed scores the probabilities come from.</summary>
        /// <param name="pipeline">The pipeline this report is the sink of.</param>
        public void Attach(SamplingPipeline pipeline)
        {
            _pipeline = pipeline;
        }

        /// <summary>
        /// The softmax probability of <paramref name="classIndex"/> over <paramref name="count"/> scores:
        /// 1 / Σ exp((score_j − score_class) × scale), with every exponent at most 0 for the winning class.
        /// </summary>
        /// <param name="scores">Scores in output units.</param>
        /// <param name="offset">Index of class 0's score.</param>
        /// <param name="count">Classes.</param>
        /// <param name="classIndex">The class whose probability is wanted.</param>
        /// <param name="outputScale">Logit per score unit.</param>
        /// <param name="exponential">e to a power.</param>
        /// <returns>0..1.</returns>
        public static double Probability(int[] scores, int offset, int count, int classIndex, double outputScale, IExponential exponential)
        {
            int best = scores[offset];
            for (int k = 1; k < count; k++)
            {
                if (scores[offset + k] > best) best = scores[offset + k];
            }

            double sum = 0;
            for (int k = 0; k < count; k++)
            {
                sum += exponential.Exp((scores[offset + k] - (double)best) * outputScale);
            }

            return exponential.Exp((scores[offset + classIndex] - (double)best) * outputScale) / sum;
        }

        /// <inheritdoc/>
        public void OnDecision(int classIndex, int score, int margin, long sampleIndex)
        {
            string probability = "";
            if (_pipeline != null)
            {
                int[] scores = _pipeline.DecisionScores;
                probability = "  p " + TextFormat.Fixed(Probability(scores, 0, scores.Length, classIndex, _outputScale, _exponential), 2);
            }

            _output.WriteLine(Seconds(sampleIndex + 1) + "  sample " + TextFormat.Right(sampleIndex.ToString(), 6) + "  "
                + TextFormat.Left(Label(classIndex), 8) + probability
                + "  logit " + TextFormat.Right(TextFormat.Fixed(score * _outputScale, 2), 6)
                + "  margin " + TextFormat.Right(TextFormat.Fixed(margin * _outputScale, 2), 5));
            if (_next != null) _next.OnDecision(classIndex, score, margin, sampleIndex);
        }

        /// <inheritdoc/>
        public void OnGap(long sampleIndex, int dropped)
        {
            _output.WriteLine(Seconds(sampleIndex) + "  " + dropped + " samples lost, state reset");
            if (_next != null) _next.OnGap(sampleIndex, dropped);
        }

        /// <summary>The name of class <paramref name="classIndex"/>, or "class N" past the labels.</summary>
        /// <param name="classIndex">A class.</param>
        /// <returns>Its name.</returns>
        public string Label(int classIndex)
        {
            return classIndex < _labels.Length ? _labels[classIndex] : "class " + classIndex;
        }

        private string Seconds(long samples)
        {
            return TextFormat.Right(TextFormat.Fixed(samples / (double)_sampleRateHz, 2), 8) + " s";
        }
    }
}
