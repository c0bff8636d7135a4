using System;
using NanoRnn.Sensors;

namespace NanoRnn.Pipeline
{
    /// <summary>
    /// Moves samples from an MPU sensor (and the board's digital inputs) into a
    /// <see cref="SamplingPipeline"/>, either by draining the sensor's FIFO or on its data-ready flag.
    /// It owns the timing: it tells the pipeline of every sample lost (timestamp gaps, FIFO overflows,
    /// resynchronisation) and counts late samples and the time the pipeline takes.
    /// Buffers are allocated once, in the constructor.
    /// </summary>
    public sealed class SensorSampler
    {
        // Whole 12-byte frames the 1024-byte FIFO can hold.
        private const int MaxFramesPerRead = MpuBase.FifoCapacityBytes / 12;
        private const long MicrosecondsPerSecond = 1000000;
        private const int MaxRateHz = 1000;         // SamplingPipeline's limit

        private readonly MpuBase _sensor;
        private readonly IDigitalInput[] _inputs;
        private readonly SamplingPipeline _pipeline;
        private readonly short[] _frames = new short[MaxFramesPerRead * MpuBase.AxesPerSample];
        private readonly long _periodMicros;
        private long _lastSampleTime;
        private bool _fifoStarted;
        private long _lateAfterMicros;
        private IMicrosecondClock _clock;

        // Stuck outputs: a run of identical readings (all six axes), compared in place, no call per frame.
        private readonly short[] _previous = new short[MpuBase.AxesPerSample];
        private int _stuckLimit;
        private int _identicalRun;
        private bool _stuck;

        /// <summary>Creates a sampler.</summary>
        /// <param name="sensor">A woken, configured sensor.</param>
        /// <param name="digitalInputs">The board's feature inputs, input n at index n (may be empty).</param>
        /// <param name="pipeline">Where samples go.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">More than 31 digital inputs.</exception>
        public SensorSampler(MpuBase sensor, IDigitalInput[] digitalInputs, SamplingPipeline pipeline)
        {
            if (sensor == null) throw new ArgumentNullException("sensor");
            if (digitalInputs == null) throw new ArgumentNullException("digitalInputs");
            if (pipeline == null) throw new ArgumentNullException("pipeline");
            if (digitalInputs.Length > 31) throw new ArgumentException("at most 31 digital inputs");
            _sensor = sensor;
            _inputs = digitalInputs;
            _pipeline = pipeline;
            _periodMicros = MicrosecondsPerSecond / pipeline.SampleRateHz;
            _lateAfterMicros = sensor.FifoCapacity / sensor.FifoFrameSize * _periodMicros / 2;
        }

        /// <summary>The pipeline's counters, which this sampler and its supervisor add to.</summary>
        public PipelineStatistics Statistics
        {
            get { return _pipeline.Statistics; }
        }

        /// <summary>Microseconds between samples at the pipeline's rate.</summary>
        public long PeriodMicros
        {
            get { return _periodMicros; }
        }

        /// <summary>
        /// How long a sample may wait in the FIFO before it counts as <see cref="PipelineStatistics.Late"/>
        /// (measured from the FIFO's depth when it is read: the sensor's own clock). Default: half the time
        /// the sensor's FIFO holds at the pipeline's rate (850 ms for an MPU-6050 at 50 Hz, 420 ms for an
        /// MPU-6500), so that lateness shows while there is still time before the FIFO overflows.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set below one period.</exception>
        public long LateAfterMicros
        {
            get { return _lateAfterMicros; }
            set
            {
                if (value < _periodMicros) throw new ArgumentOutOfRangeException("value", "at least one sample period");
                _lateAfterMicros = value;
            }
        }

        /// <summary>
        /// A clock to time the samples fed from each FIFO read with (two readings per read, none per
        /// sample), into <see cref="PipelineStatistics.TimedSteps"/>, <see cref="PipelineStatistics.TimedMicros"/>
        /// and <see cref="PipelineStatistics.LongestStepMicros"/>; null (the default) times nothing.
        /// </summary>
        public IMicrosecondClock Clock
        {
            get { return _clock; }
            set { _clock = value; }
        }

        /// <summary>
        /// How many identical readings in a row (all six axes equal) mean the sensor's outputs are stuck,
        /// at least 2; 0 (the default) turns the check off. A live MPU's accelerometer and gyroscope
        /// noise moves at least one axis by a count within a few samples, even at rest.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to 1 or to a negative value.</exception>
        public int StuckReadingLimit
        {
            get { return _stuckLimit; }
            set
            {
                if (value < 0 || value == 1) throw new ArgumentOutOfRangeException("value", "0 (off) or at least 2");
                _stuckLimit = value;
                _identicalRun = 0;
            }
        }

        /// <summary>
        /// True once <see cref="StuckReadingLimit"/> identical readings arrived in a row; <see cref="PollFifo"/>
        /// then feeds nothing more until <see cref="Resynchronize"/>.
        /// </summary>
        public bool OutputsStuck
        {
            get { return _stuck; }
        }

        /// <summary>
        /// Tells the pipeline that the stream broke: every sample due since the last one read is
        /// reported lost (at least one, so the model state is reset if the pipeline resets on gaps) and
        /// the next frame is stamped after <paramref name="nowMicros"/>. Clears <see cref="OutputsStuck"/>.
        /// Call it after the sensor's FIFO was emptied or its configuration restored.
        /// </summary>
        /// <param name="nowMicros">The current time.</param>
        public void Resynchronize(long nowMicros)
        {
            long lost = (nowMicros - _lastSampleTime) / _periodMicros;
            if (lost < 1) lost = 1;
            _pipeline.ReportDropped(lost > int.MaxValue ? int.MaxValue : (int)lost);
            _lastSampleTime += lost * _periodMicros;
            _stuck = false;
            _identicalRun = 0;
        }

        /// <summary>
        /// Sets the sensor's sample-rate divider so that it samples at the pipeline's rate (the
        /// gyroscope output rate must be a multiple of it: 1 kHz with the low-pass filter on).
        /// </summary>
        /// <exception cref="ArgumentException">The sensor cannot sample at that rate.</exception>
        /// <exception cref="System.IO.IOException">The bus failed.</exception>
        public void ConfigureRate()
        {
            int outputRate = _sensor.GyroscopeOutputRateHz;
            int rate = _pipeline.SampleRateHz;
            int divider = RateDivider(outputRate, rate);
            if (divider < 0)
            {
                throw new ArgumentException("the sensor cannot sample at " + rate + " Hz from a "
                    + outputRate + " Hz output rate");
            }

            _sensor.SampleRateDivider = (byte)divider;
        }

        /// <summary>
        /// The sample-rate divider (SMPLRT_DIV) that makes <paramref name="outputRateHz"/> / (1 + divider)
        /// exactly <paramref name="rateHz"/>, or -1 when no divider 0..255 does. <see cref="ConfigureRate"/>
        /// uses it; tools list the rates a model may be exported for with it.
        /// </summary>
        /// <param name="outputRateHz">The sensor's gyroscope output rate (<see cref="MpuBase.GyroscopeOutputRateHz"/>).</param>
        /// <param name="rateHz">The wanted sample rate.</param>
        /// <returns>0..255, or -1.</returns>
        public static int RateDivider(int outputRateHz, int rateHz)
        {
            if (rateHz < 1 || outputRateHz % rateHz != 0)
            {
                return -1;
            }

            int divider = outputRateHz / rateHz - 1;
            return divider >= 0 && divider <= 255 ? divider : -1;
        }

        /// <summary>
        /// Every rate, 1..1000 Hz (what <see cref="SamplingPipeline"/> takes), that <see cref="RateDivider"/>
        /// can make exactly from <paramref name="outputRateHz"/>, ascending: what a refused rate's message lists.
        /// </summary>
        /// <param name="outputRateHz">The sensor's gyroscope output rate.</param>
        /// <returns>The rates.</returns>
        public static int[] SampleRates(int outputRateHz)
        {
            int count = 0;
            for (int rate = 1; rate <= MaxRateHz; rate++)
            {
                if (RateDivider(outputRateHz, rate) >= 0) count++;
            }

            var rates = new int[count];
            for (int rate = 1, i = 0; rate <= MaxRateHz; rate++)
            {
                if (RateDivider(outputRateHz, rate) >= 0) rates[i++] = rate;
            }

            return rates;
        }

        /// <summary>Configures the rate and starts the FIFO; <paramref name="nowMicros"/> is time zero for <see cref="PollFifo"/>.</summary>
        /// <param name="nowMicros">The current time.</param>
        /// <exception cref="ArgumentException">The sensor cannot sample at the pipeline's rate.</exception>
        /// <exception cref="System.IO.IOException">The bus failed.</exception>
        public void StartFifo(long nowMicros)
        {
            ConfigureRate();
            _sensor.EnableFifo();
            _lastSampleTime = nowMicros;
            _fifoStarted = true;
        }

        /// <summary>
        /// Feeds every frame the FIFO holds. Frames carry no time, so each is stamped one period after
        /// the previous; after an overflow every sample due since the last one read is reported lost
        /// (and counted in <see cref="PipelineStatistics.FifoOverflows"/>). A frame that waited in the FIFO
        /// longer than <see cref="LateAfterMicros"/> counts as late. Stops at the reading that
        /// makes the outputs stuck (<see cref="StuckReadingLimit"/>), and feeds nothing while they are.
        /// </summary>
        /// <param name="nowMicros">The current time.</param>
        /// <returns>Samples fed to the pipeline.</returns>
        /// <exception cref="InvalidOperationException"><see cref="StartFifo"/> was not called.</exception>
        /// <exception cref="System.IO.IOException">The bus failed.</exception>
        public int PollFifo(long nowMicros)
        {
            if (!_fifoStarted) throw new InvalidOperationException("call StartFifo first");
            if (_stuck) return 0;
            int levels = ReadLevels();
            short temperature = _sensor.LastTemperatureRaw;
            int fed = 0;
            while (true)
            {
                int frames;
                if (!_sensor.TryReadFifoFrames(_frames, 0, MaxFramesPerRead, out frames))
                {
                    _pipeline.Statistics.FifoOverflows++;
                    Resynchronize(nowMicros);
                    return fed;
                }

                // Frame i waited (waiting - 1 - i) periods: those beyond the limit are late.
                long late = _sensor.FifoFramesWaiting - 1 - _lateAfterMicros / _periodMicros;
                if (late > 0)
                {
                    _pipeline.Statistics.Late += late < frames ? late : frames;
                }

                IMicrosecondClock clock = _clock;
                long started = clock != null && frames > 0 ? clock.NowMicroseconds() : 0;
                short[] f = _frames;
                short[] p = _previous;
                for (int i = 0; i < frames; i++)
                {
                    int at = i * MpuBase.AxesPerSample;
                    _lastSampleTime += _periodMicros;
                    _pipeline.OnSample(f, at, temperature, levels);
                    if (_stuckLimit > 0)
                    {
                        if (f[at] == p[0] && f[at + 1] == p[1] && f[at + 2] == p[2]
                            && f[at + 3] == p[3] && f[at + 4] == p[4] && f[at + 5] == p[5])
                        {
                            if (++_identicalRun >= _stuckLimit)
                            {
                                _stuck = true;
                                if (clock != null) Time(started, i + 1);
                                return fed + i + 1;
                            }
                        }
                        else
                        {
                            p[0] = f[at];
                            p[1] = f[at + 1];
                            p[2] = f[at + 2];
                            p[3] = f[at + 3];
                            p[4] = f[at + 4];
                            p[5] = f[at + 5];
                            _identicalRun = 1;
                        }
                    }
                }

                if (clock != null && frames > 0) Time(started, frames);
                fed += frames;
                if (frames < MaxFramesPerRead) return fed;
            }
        }

        private void Time(long started, int samples)
        {
            long elapsed = _clock.NowMicroseconds() - started;
            PipelineStatistics statistics = _pipeline.Statistics;
            statistics.TimedSteps += samples;
            statistics.TimedMicros += elapsed;
            long perSample = elapsed / samples;
            if (perSample > statistics.LongestStepMicros) statistics.LongestStepMicros = perSample;
        }

        private int ReadLevels()
        {
            int levels = 0;
            for (int n = 0; n < _inputs.Length; n++)
            {
                if (_inputs[n].Read()) levels |= 1 << n;
            }

            return levels;
        }
    }
}
