using System;
using System.IO;
using NanoRnn.Boards;
using NanoRnn.Sensors;

namespace NanoRnn.Pipeline
{
    /// <summary>
    /// The whole application, built from a board description, a model store and the board's I/O
    /// (<see cref="BoardIo"/>): the memory policy and kernel, the boot check against the reference,
    /// the measured step time and its budget, the sensor found on the bus, the sampler, supervisor and
    /// pipeline, the LED, the reset button, the decision report and the statistics. NanoRnn.App passes
    /// the ESP32's buses and clock, `simulate` their simulations; nothing else differs.
    /// </summary>
    /// <remarks>
    /// Ownership: the sampler owns timing (stamps, lateness, step time) and gaps; the pipeline owns
    /// the one <see cref="PipelineStatistics"/>, which the sampler and supervisor add to; the
    /// supervisor sees only the sensor and the sampler; the labels come with the model.
    /// Construction throws on what cannot be run (a bad blob, a rate the sensor
    /// cannot produce, a kernel that disagrees with the reference); <see cref="Poll"/> never throws.
    /// </remarks>
    public sealed class BoardApplication
    {
        private const long MicrosecondsPerSecond = 1000000;
        private const int QuietRetries = 60;      // a "not found" line every this many attempts
        private const string Compact = "compact kernel, int8 weights in RAM";

        private readonly BoardDescription _board;
        private readonly BoardIo _io;
        private readonly ApplicationOptions _options;
        private readonly RnnModel _model;
        private readonly string[] _labels;
        private readonly SamplingPipeline _pipeline;
        private readonly ResetButton _button;
        private readonly RnnNetwork _network;
        private readonly string _kernel;
        private readonly ReferenceCheckResult _check;
        private readonly long _stepMicros;

        private MpuBase _sensor;
        private SensorSupervisor _supervisor;
        private long _nextSensorAttempt = long.MinValue;
        private int _failedAttempts;
        private string _lastSensorError = string.Empty;
        private long _nextStatistics = long.MinValue;
        private string _lastLoopError = string.Empty;

        /// <summary>
        /// Loads the model and chooses its kernel, checks the kernel against the reference scores stored
        /// in the blob (falling back to the compact kernel if the packed or native one disagrees), times a step and
        /// builds the pipeline, printing what runs, the check and the step's budget.
        /// </summary>
        /// <param name="board">The board (pins, bus, sensor mounting).</param>
        /// <param name="store">The model blob.</param>
        /// <param name="io">The board's I/O; every member but Led, Button and Observer is required.</param>
        /// <param name="options">Settings; null for the defaults.</param>
        /// <exception cref="ArgumentNullException">board, store, io or one of io's required members is null.</exception>
        /// <exception cref="ArgumentException">The blob is not a valid model (the message names the field), it records no
        /// sample rate or one the sensors cannot produce, or it does not fit the board.</exception>
        /// <exception cref="InvalidOperationException">The network computes other scores than the reference: nothing it decided could be trusted.</exception>
        public BoardApplication(BoardDescription board, IModelStore store, BoardIo io, ApplicationOptions options)
        {
            if (board == null) throw new ArgumentNullException("board");
            if (store == null) throw new ArgumentNullException("store");
            if (io == null) throw new ArgumentNullException("io");
            if (io.SensorBus == null) throw new ArgumentNullException("io.SensorBus");
            if (io.DigitalInputs == null) throw new ArgumentNullException("io.DigitalInputs");
            if (io.Clock == null) throw new ArgumentNullException("io.Clock");
            if (io.Output == null) throw new ArgumentNullException("io.Output");
            if (io.Exponential == null) throw new ArgumentNullException("io.Exponential");
            if (io.Heap == null) throw new ArgumentNullException("io.Heap");
            _board = board;
            _io = io;
            _options = options ?? new ApplicationOptions();

            // The blob stays where the store keeps it (memory-mapped flash on the board). Within budget it
            // is copied once, Load copies what it keeps and the copy is dropped; over budget, Load reads it
            // through the store a piece at a time and the network reads the gate weights on every step.
            int length = store.MeasureLength();
            bool stream = length > _options.GateWeightsInRamBudget;
            _model = stream ? RnnModel.Load(store, length) : RnnModel.Load(store.ReadAll());
            int rate = _model.SampleRateHz;
            if (rate == 0)
            {
                throw new ArgumentException("the model records no sample rate; export it with --sample-rate");
            }

            if (SensorSampler.RateDivider(MpuBase.FilteredOutputRateHz, rate) < 0)
            {
                throw new ArgumentException("the model records " + rate + " Hz, which the sensor's "
                    + MpuBase.FilteredOutputRateHz + " Hz output rate cannot be divided to; export it for one of "
                    + Join(SensorSampler.SampleRates(MpuBase.FilteredOutputRateHz)) + " Hz (--sample-rate)");
            }

            RnnNetwork network;
            string kernel;
            if (stream)
            {
                network = new RnnNetwork(_model, store, _options.StreamChunkRows);
                kernel = "compact kernel, gate weights read from flash on every step";
            }
            else if (NativeKernels.Installed != null)
            {
                // The firmware carries NanoRnn.Native (docs/native.md): every layer and the head in C.
                network = RnnNetwork.WithNativeKernel(_model);
                kernel = "native kernel (NanoRnn.Native), int8 weights in RAM";
            }
            else
            {
                network = Interpreted(io, out kernel);
            }

            _labels = NamesOf(_model);
            ILineOutput output = io.Output;
            output.WriteLine("NanoRnn on " + board.Name + ": " + _model.InputChannels + " channels, " + _model.HiddenSize + " hidden, "
                + _model.ClassCount + " classes (" + Join(_labels) + ") at " + rate + " Hz; " + kernel);
            ReferenceCheckResult check;
            try
            {
                check = ReferenceCheck.Run(network);
            }
            catch (NotSupportedException e)
            {
                if (!network.UsesNativeKernel)
                {
                    throw;
                }

                // NanoRnn.Native was deployed to a firmware built without its native part (docs/native.md).
                network = Interpreted(io, out kernel);
                output.WriteLine("native kernel: not in this firmware (" + e.GetType().Name + "); running the " + kernel);
                check = ReferenceCheck.Run(network);
            }

            output.WriteLine(check.Describe());
            if (check.Stored && !check.Identical)
            {
                if (!network.UsesPackedWeights && !network.UsesNativeKernel)
                {
                    throw new InvalidOperationException("the network does not compute what the reference does; not running it");
                }

                network = new RnnNetwork(_model, false);
                kernel = Compact;
                check = ReferenceCheck.Run(network);
                output.WriteLine("with the compact kernel: " + check.Describe());
                if (!check.Identical)
                {
                    throw new InvalidOperationException("the network does not compute what the reference does; not running it");
                }
            }

            _network = network;
            _kernel = kernel;
            _check = check;
            _stepMicros = TimeSteps();
            long period = MicrosecondsPerSecond / rate;
            string clock = io.ClockNote.Length > 0 ? " (" + io.ClockNote + ")" : string.Empty;
            if (_stepMicros <= period)
            {
                output.WriteLine("step " + TextFormat.Duration(_stepMicros) + " of a " + TextFormat.Duration(period) + " period" + clock);
            }
            else
            {
                output.WriteLine("too slow for " + rate + " Hz: a step takes " + TextFormat.Duration(_stepMicros) + ", the period is "
                    + TextFormat.Duration(period) + clock + "; samples will back up in the sensor's FIFO until it overflows"
                    + " (export for a lower --sample-rate or a smaller model)");
            }

            IDecisionSink observer = io.Observer;
            var report = new DecisionReport(io.Output, _labels, rate, _model.OutputScale, io.Exponential, observer);
            IDecisionSink sink = report;
            if (io.Led != null)
            {
                sink = new DecisionIndicator(io.Led, board.LedActiveHigh, _options.RestingClass, sink);
            }

            PipelineOptions pipelineOptions = _options.Pipeline;
            if (pipelineOptions == null)
            {
                pipelineOptions = new PipelineOptions();
                pipelineOptions.WindowLength = rate;
            }

            var axes = new AxisMap(board.XSource, board.XNegate, board.YSource, board.YNegate, board.ZSource, board.ZNegate);
            _pipeline = new SamplingPipeline(_network, axes, io.DigitalInputs.Length, pipelineOptions, sink, rate);
            report.Attach(_pipeline);
            if (io.Button != null)
            {
                _button = new ResetButton(io.Button, board.ButtonActiveHigh, _pipeline);
            }
        }

        /// <summary>The model loaded.</summary>
        public RnnModel Model
        {
            get { return _model; }
        }

        /// <summary>The network the pipeline steps: the kernel that passed the check.</summary>
        public RnnNetwork Network
        {
            get { return _network; }
        }

        /// <summary>Which kernel and where the weights are, in words.</summary>
        public string Kernel
        {
            get { return _kernel; }
        }

        /// <summary>The class names: the model's own, or "class N" when its blob carries none. Do not modify.</summary>
        public string[] Labels
        {
            get { return _labels; }
        }

        /// <summary>The pipeline.</summary>
        public SamplingPipeline Pipeline
        {
            get { return _pipeline; }
        }

        /// <summary>Every counter: samples, gaps, lateness, step time, sensor faults.</summary>
        public PipelineStatistics Statistics
        {
            get { return _pipeline.Statistics; }
        }

        /// <summary>The boot check's result.</summary>
        public ReferenceCheckResult Check
        {
            get { return _check; }
        }

        /// <summary>Microseconds per network step, measured at start-up with <see cref="BoardIo.Clock"/>.</summary>
        public long StepMicros
        {
            get { return _stepMicros; }
        }

        /// <summary>The sensor's driver once one has been found; null until then.</summary>
        public MpuBase Sensor
        {
            get { return _sensor; }
        }

        /// <summary>
        /// Does what is due at <paramref name="nowMicros"/>: finds the sensor while there is none (a line
        /// when it is found, when an attempt fails for a new reason, and every 60 failed attempts), polls
        /// the button, moves the FIFO's samples through the pipeline (the supervisor handles sensor
        /// faults) and prints the statistics every <see cref="ApplicationOptions.StatisticsEveryMicros"/>.
        /// Never throws: anything unexpected is printed (once per new message) and the next poll goes on.
        /// </summary>
        /// <param name="nowMicros">The time on the sensor's timeline (the board's clock, or the simulation's).</param>
        public void Poll(long nowMicros)
        {
            if (_nextStatistics == long.MinValue)
            {
                _nextStatistics = nowMicros + _options.StatisticsEveryMicros;
            }

            try
            {
                if (_button != null)
                {
                    _button.Poll();
                }

                if (_supervisor == null)
                {
                    Connect(nowMicros);
                }

                if (_supervisor != null)
                {
                    _supervisor.Poll(nowMicros);
                }
            }
            catch (Exception e)
            {
                string message = e.GetType().Name + ": " + e.Message;
                if (message != _lastLoopError)
                {
                    _lastLoopError = message;
                    _io.Output.WriteLine("error: " + message + "; going on");
                }
            }

            if (nowMicros >= _nextStatistics)
            {
                _nextStatistics += _options.StatisticsEveryMicros;
                ReportStatistics();
            }
        }

        /// <summary>Prints the counters: two lines, the pipeline's (with the free heap, when measured) and the sensor's.</summary>
        public void ReportStatistics()
        {
            PipelineStatistics s = _pipeline.Statistics;
            long average = s.AverageStepMicros();
            _io.Output.WriteLine("samples " + s.Samples + ", dropped " + s.Dropped + ", late " + s.Late + ", decisions " + s.Decisions
                + ", uncertain " + s.Uncertain + ", resets " + s.Resets
                + (average < 0 ? string.Empty : "; step " + TextFormat.Duration(average) + " average, " + TextFormat.Duration(s.LongestStepMicros) + " longest")
                + (_io.HeapMeasured ? "; heap free " + _io.Heap.FreeBytes() + " bytes" : string.Empty));
            _io.Output.WriteLine("sensor: " + (_sensor == null ? "not found" : _sensor.ChipName) + ", fifo overflows " + s.FifoOverflows
                + ", bus errors " + s.BusErrors + ", retries " + s.Retries + ", reinitialised " + s.Reinitialisations
                + ", stuck " + s.StuckFaults + ", wrong device " + s.WrongDevice
                + (_supervisor != null && !_supervisor.IsRunning ? " (down: " + _supervisor.LastError + ")" : string.Empty));
        }

        private void Connect(long nowMicros)
        {
            if (nowMicros < _nextSensorAttempt)
            {
                return;
            }

            _nextSensorAttempt = nowMicros + _options.SensorRetryMicros;
            string where = "at 0x" + ((byte)_board.SensorAddress).ToString("X2") + " on I2C" + _board.I2cBusId;
            MpuBase sensor;
            try
            {
                sensor = MpuChips.Open(_io.SensorBus);
                sensor.Wake();
                sensor.DigitalLowPassFilter = _options.DigitalLowPassFilter;
            }
            catch (IOException e)
            {
                _failedAttempts++;
                if (e.Message != _lastSensorError || _failedAttempts % QuietRetries == 0)
                {
                    _lastSensorError = e.Message;
                    _io.Output.WriteLine("sensor: not found " + where + " (" + e.Message + "); "
                        + (_failedAttempts == 1 ? string.Empty : _failedAttempts + " attempts; ") + "retrying every "
                        + TextFormat.Duration(_options.SensorRetryMicros));
                }

                return;
            }

            var sampler = new SensorSampler(sensor, _io.DigitalInputs, _pipeline);
            sampler.Clock = _io.Clock;
            _supervisor = new SensorSupervisor(sensor, sampler, _options.Supervisor);
            _sensor = sensor;
            _io.Output.WriteLine("sensor: " + sensor.ChipName + " (WHO_AM_I 0x" + sensor.ExpectedWhoAmI.ToString("X2") + ") " + where
                + ", FIFO " + sensor.FifoCapacity + " bytes: " + (sensor.FifoCapacity / sensor.FifoFrameSize) + " samples, "
                + TextFormat.Duration(sensor.FifoCapacity / sensor.FifoFrameSize * (MicrosecondsPerSecond / _model.SampleRateHz)));
        }

        // Steps the check inputs (zeros without them) through the network and returns microseconds a step.
        private long TimeSteps()
        {
            int channels = _model.InputChannels;
            short[] inputs = _model.CheckStepCount > 0 ? _model.CheckInputs : new short[channels];
            int sequences = inputs.Length / channels;
            int steps = _options.TimingSteps < 1 ? 1 : _options.TimingSteps;
            RnnNetwork network = _network;
            IMicrosecondClock clock = _io.Clock;
            network.Reset();
            long started = clock.NowMicroseconds();
            for (int t = 0; t < steps; t++)
            {
                network.Step(inputs, t % sequences * channels);
            }

            long elapsed = clock.NowMicroseconds() - started;
            network.Reset();
            return elapsed / steps;
        }

        // Packed weights (4 bytes a weight, about 2.3 times fewer interpreted instructions a step,
        // docs/performance.md) when they take at most half of the heap left free; else int8 weights.
        private RnnNetwork Interpreted(BoardIo io, out string kernel)
        {
            bool pack = RnnNetwork.PacksWithin(_model, io.Heap.FreeBytes() / 2);
            kernel = pack ? "packed kernel, weights in RAM" : Compact;
            return new RnnNetwork(_model, pack);
        }

        private static string[] NamesOf(RnnModel model)
        {
            string[] names = model.ClassNames;
            if (names != null)
            {
                return names;
            }

            names = new string[model.ClassCount];
            for (int k = 0; k < names.Length; k++)
            {
                names[k] = "class " + k;
            }

            return names;
        }

        private static string Join(int[] values)
        {
            string text = string.Empty;
            for (int k = 0; k < values.Length; k++)
            {
                text += (k == 0 ? string.Empty : ", ") + values[k];
            }

            return text;
        }

        private static string Join(string[] names)
        {
            string text = string.Empty;
            for (int k = 0; k < names.Length; k++)
            {
                text += (k == 0 ? string.Empty : ", ") + names[k];
            }

            return text;
        }
    }
}
