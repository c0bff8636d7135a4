using System;

namespace NanoRnn.Pipeline
{
    /// <summary>
    /// Sample in, decision out: assembles the feature vector, steps the network, and reports smoothed,
    /// confident decisions; samples lost before a sample are reported to it (<see cref="ReportDropped"/>)
    /// by the <see cref="SensorSampler"/>, which owns the timing. Allocates nothing per sample.
    /// </summary>
    /// <remarks>
    /// Per sample: pending reset → features → <see cref="RnnNetwork.Step"/> → at a
    /// decision point <see cref="RnnNetwork.ComputeOutput"/> → smoothing → margin check → sink.
    /// </remarks>
    public sealed class SamplingPipeline
    {
        private readonly RnnNetwork _network;
        private readonly FeatureAssembler _features;
        private readonly PipelineOptions _options;
        private readonly IDecisionSink _sink;
        private readonly DecisionSmoother _smoother;
        private readonly PipelineStatistics _statistics = new PipelineStatistics();
        private readonly short[] _featureBuffer;
        private readonly int[] _scores;
        private readonly int[] _decisionScores;
        private readonly int _sampleRateHz;

        private long _sampleIndex;          // index of the next sample, counting dropped ones
        private int _stepsSinceDecision;
        private bool _resetRequested;       // set from other threads; a bool store is atomic (nanoFramework has no volatile)

        /// <summary>Creates a pipeline around <paramref name="network"/>.</summary>
        /// <param name="network">The network to step; the pipeline owns its state from now on.</param>
        /// <param name="axes">The board's sensor mounting.</param>
        /// <param name="digitalInputCount">How many digital inputs the board offers as features.</param>
        /// <param name="options">Decision policy; read once, here.</param>
        /// <param name="sink">Receives decisions and gaps.</param>
        /// <param name="sampleRateHz">The rate samples arrive at, 1..1000 Hz.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">The model was trained at another rate, a channel cannot
        /// be assembled on this board, or an option is out of range.</exception>
        public SamplingPipeline(RnnNetwork network, AxisMap axes, int digitalInputCount, PipelineOptions options,
            IDecisionSink sink, int sampleRateHz)
        {
            if (network == null) throw new ArgumentNullException("network");
            if (options == null) throw new ArgumentNullException("options");
            if (sink == null) throw new ArgumentNullException("sink");
            if (sampleRateHz < 1 || sampleRateHz > 1000) throw new ArgumentException("sample rate must be 1..1000 Hz");
            RnnModel model = network.Model;
            if (model.SampleRateHz != 0 && model.SampleRateHz != sampleRateHz)
            {
                throw new ArgumentException("the model was trained at " + model.SampleRateHz
                    + " Hz but samples arrive at " + sampleRateHz + " Hz");
            }

            if (options.WindowLength < 0) throw new ArgumentException("WindowLength must be 0 or positive");
            if (options.DecisionInterval < 1) throw new ArgumentException("DecisionInterval must be at least 1");
            if (options.MinimumMargin < 0) throw new ArgumentException("MinimumMargin must be 0 or positive");

            _network = network;
            _features = new FeatureAssembler(model, axes, digitalInputCount);
            _options = options;
            _sink = sink;
            _smoother = new DecisionSmoother(model.ClassCount, options.SmoothingWindow);
            _featureBuffer = new short[model.InputChannels];
            _scores = new int[model.ClassCount];
            _decisionScores = new int[model.ClassCount];
            _sampleRateHz = sampleRateHz;
            network.Reset();
        }

        /// <summary>The rate samples are expected at.</summary>
        public int SampleRateHz
        {
            get { return _sampleRateHz; }
        }

        /// <summary>Counters: samples, dropped, late, decisions, uncertain, resets.</summary>
        public PipelineStatistics Statistics
        {
            get { return _statistics; }
        }

        /// <summary>
        /// The smoothed score of every class at the last decision point (what <see cref="IDecisionSink.OnDecision"/>
        /// reports the best of), in output units; for a sink to read during OnDecision. Do not modify.
        /// </summary>
        public int[] DecisionScores
        {
            get { return _decisionScores; }
        }

        /// <summary>Index the next sample will have (dropped samples count).</summary>
        public long NextSampleIndex
        {
            get { return _sampleIndex; }
        }

        /// <summary>Asks for the model state to be reset before the next sample (safe from another thread, e.g. a button handler).</summary>
        public void RequestReset()
        {
            _resetRequested = true;
        }

        /// <summary>Feeds one sample, the one after the last fed or reported dropped.</summary>
        /// <param name="motion">ax, ay, az, gx, gy, gz raw counts in sensor axes.</param>
        /// <param name="offset">Index of ax in <paramref name="motion"/>.</param>
        /// <param name="temperature">Raw temperature counts (used only by models with a temperature channel).</param>
        /// <param name="digitalLevels">Bit n is digital input n's level.</param>
        /// <exception cref="ArgumentException"><paramref name="motion"/> holds fewer than 6 values from <paramref name="offset"/>.</exception>
        public void OnSample(short[] motion, int offset, short temperature, int digitalLevels)
        {
            if (motion == null || offset < 0 || offset > motion.Length - 6)
            {
                throw new ArgumentException("motion must hold 6 values from offset");
            }

            if (_resetRequested)
            {
                _resetRequested = false;
                ResetState(true);
            }

            _features.Assemble(motion, offset, temperature, digitalLevels, _featureBuffer);
            _network.Step(_featureBuffer, 0);
            _statistics.Samples++;
            _sampleIndex++;
            _stepsSinceDecision++;

            int interval = _options.WindowLength > 0 ? _options.WindowLength : _options.DecisionInterval;
            if (_stepsSinceDecision >= interval)
            {
                Decide();
                if (_options.WindowLength > 0) ResetState(false);
            }
        }

        /// <summary>
        /// Reports samples lost before the next one (a gap in the data-ready timestamps, a FIFO overflow,
        /// a sensor fault): they are counted, the sink is told, and the state is reset if
        /// <see cref="PipelineOptions.ResetOnGap"/>.
        /// </summary>
        /// <param name="count">Samples lost, at least 1.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
        public void ReportDropped(int count)
        {
            if (count < 1) throw new ArgumentOutOfRangeException("count");
            _statistics.Dropped += count;
            _sampleIndex += count;
            _sink.OnGap(_sampleIndex, count);
            if (_options.ResetOnGap) ResetState(true);
        }

        private void Decide()
        {
            _stepsSinceDecision = 0;
            _network.ComputeOutput(_scores, 0);
            _smoother.Add(_scores, 0);
            for (int k = 0; k < _decisionScores.Length; k++)
            {
                _decisionScores[k] = _smoother.AverageScore(k);
            }

            if (_smoother.Margin >= _options.MinimumMargin)
            {
                _statistics.Decisions++;
                _sink.OnDecision(_smoother.Best, _smoother.BestScore, _smoother.Margin, _sampleIndex - 1);
            }
            else
            {
                _statistics.Uncertain++;
            }
        }

        private void ResetState(bool forgetDecisions)
        {
            _network.Reset();
            _stepsSinceDecision = 0;
            _statistics.Resets++;
            if (forgetDecisions) _smoother.Clear();
        }
    }
}
