using System;
using NanoRnn.Sensors;

namespace NanoRnn.Pipeline
{
    /// <summary>
    /// Moves samples from an MPU sensor (and the board's digital inputs) into a
    /// <see cref="SamplingPipeline"/>, either by draining the sensor's FIFO or on its data-ready flag.
    /// Buffers are allocated once, in the constructor.
    /// </summary>
    public sealed class SensorSampler
    {
        // Whole 12-byte frames the 1024-byte FIFO can hold.
        private const int MaxFramesPerRead = MpuBase.FifoCapacityBytes / 12;
        private const long MicrosecondsPerSecond = 1000000;

        private readonly MpuBase _sensor;
        private readonly IDigitalInput[] _inputs;
        private readonly SamplingPipeline _pipeline;
        private readonly short[] _frames = new short[MaxFramesPerRead * MpuBase.AxesPerSample];
        private readonly long _periodMicros;
        private long _lastSampleTime;
        private bool _fifoStarted;

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
            int divider = outputRate / rate - 1;
            if (outputRate % rate != 0 || divider < 0 || divider > 255)
            {
                throw new ArgumentException("the sensor cannot sample at " + rate + " Hz from a "
                    + outputRate + " Hz output rate");
            }

            _sensor.SampleRateDivider = (byte)divider;
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
        /// the previous; after an overflow every sample due since the last one read is reported lost.
        /// </summary>
        /// <param name="nowMicros">The current time.</param>
        /// <returns>Samples fed to the pipeline.</returns>
        /// <exception cref="InvalidOperationException"><see cref="StartFifo"/> was not called.</exception>
        /// <exception cref="System.IO.IOException">The bus failed.</exception>
        public int PollFifo(long nowMicros)
        {
            if (!_fifoStarted) throw new InvalidOperationException("call StartFifo first");
            int levels = ReadLevels();
            short temperature = _sensor.LastTemperatureRaw;
            int fed = 0;
            while (true)
            {
                int frames;
                if (!_sensor.TryReadFifoFrames(_frames, 0, MaxFramesPerRead, out frames))
                {
                    long lost = (nowMicros - _lastSampleTime) / _periodMicros;
                    if (lost < 1) lost = 1;
                    _pipeline.ReportDropped(lost > int.MaxValue ? int.MaxValue : (int)lost);
                    _lastSampleTime += lost * _periodMicros;
                    return fed;
                }

                for (int i = 0; i < frames; i++)
                {
                    _lastSampleTime += _periodMicros;
                    _pipeline.OnSample(_frames, i * MpuBase.AxesPerSample, temperature, levels, _lastSampleTime);
                }

                fed += frames;
                if (frames < MaxFramesPerRead) return fed;
            }
        }

        /// <summary>
        /// Feeds one sample if the sensor's data-ready flag is set (use with the INT line as the sample
        /// clock); the pipeline checks the timestamps for late and lost samples.
        /// </summary>
        /// <param name="nowMicros">The current time, the sample's timestamp.</param>
        /// <returns>True when a sample was fed.</returns>
        /// <exception cref="System.IO.IOException">The bus failed.</exception>
        public bool PollDataReady(long nowMicros)
        {
            if (!_sensor.IsDataReady()) return false;
            _sensor.ReadSample(_frames, 0);
            _pipeline.OnSample(_frames, 0, _sensor.LastTemperatureRaw, ReadLevels(), nowMicros);
            return true;
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
