using System;

namespace NanoRnn.Pipeline
{
    /// <summary>
    /// Sample in, decision out: assembles the feature vector, steps the network, watches the
    /// timestamps for lost and late samples, and reports smoothed, confident decisions.
    /// Allocates nothing per sample.
    /// </summary>
    /// <remarks>
    /// Per sample: gap check → pending reset → features → <see cref="RnnNetwork.Step"/> → at a
    /// decision point <see cref="RnnNetwork.ComputeOutput"/> → smoothing → margin check → sink.
    /// </remarks>
    public sealed class SamplingPipeline
    {
        private const long MicrosecondsPerSecond = 1000000;

        private readonly RnnNetwork _network;
        private readonly FeatureAssembler _features;
        private readonly PipelineOptions _options;
        private readonly IDecisionSink _sink;
        private readonly DecisionSmoother _smoother;
        private readonly PipelineStatistics _statistics = new PipelineStatistics();
        private readonly short[] _featureBuffer;
        private readonly int[] _scores;
        private readonly long _periodMicros;
        private readonly int _sampleRateHz;

        private long _sampleIndex;          // index of the next sample, counting dropped ones
        private long _lastTimestamp;
        private bool _haveTimestamp;
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
            _sampleRateHz = sampleRateHz;
            _periodMicros = MicrosecondsPerSecond / sampleRateHz;
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

        /// <summary>
        /// Feeds one sample. A timestamp more than half a period beyond the expected one counts the
        /// samples in between as dropped (and resets the state if <see cref="PipelineOptions.ResetOnGap"/>);
        /// one more than a quarter period late counts as late.
        /// </summary>
        /// <param name="motion">ax, ay, az, gx, gy, gz raw counts in sensor axes.</param>
        /// <param name="offset">Index of ax in <paramref name="motion"/>.</param>
        /// <param name="temperature">Raw temperature counts (used only by models with a temperature channel).</param>
        /// <param name="digitalLevels">Bit n is digital input n's level.</param>
        /// <param name="timestampMicros">When the sample was taken, in microseconds on any monotonic clock.</param>
        /// <exception cref="ArgumentException"><paramref name="motion"/> holds fewer than 6 values from <paramref name="offset"/>.</exception>
        public void OnSample(short[] motion, int offset, short temperature, int digitalLevels, long timestampMicros)
        {
            if (motion == null || offset < 0 || offset > motion.Length - 6)
            {
                throw new ArgumentException("motion must hold 6 values from offset");
            }

            if (_haveTimestamp)
            {
                long gap = timestampMicros - _lastTimestamp;
                long missing = (gap + _periodMicros / 2) / _periodMicros - 1;
                if (missing > 0)
                {
                    Drop(missing > int.MaxValue ? int.MaxValue : (int)missing);
                }
                else if (gap > _periodMicros + _periodMicros / 4)
                {
                    _statistics.Late++;
                }
            }

            _lastTimestamp = timestampMicros;
            _haveTimestamp = true;
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
        /// Reports samples known to be lost without a timestamp gap (for example a FIFO overflow):
        /// they are counted, the sink is told, and the state is reset if <see cref="PipelineOptions.ResetOnGap"/>.
        /// The next timestamp is expected <paramref name="count"/> periods later.
        /// </summary>
        /// <param name="count">Samples lost, at least 1.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
        public void ReportDropped(int count)
        {
            if (count < 1) throw new ArgumentOutOfRangeException("count");
            Drop(count);
            _lastTimestamp += count * _periodMicros;
        }

        private void Drop(int count)
        {
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
