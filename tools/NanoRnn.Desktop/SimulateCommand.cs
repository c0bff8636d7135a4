using System;
using System.Globalization;
using System.IO;
using NanoRnn.Boards;
using NanoRnn.Desktop.Simulation;
using NanoRnn.Pipeline;
using NanoRnn.Sensors;
using NanoRnn.Simulation;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// `simulate`: the firmware's sampling pipeline, drivers and network on a register-level simulated
    /// sensor on a board from boards/, fed from a recording or from the synthetic gesture scene.
    /// </summary>
    internal static class SimulateCommand
    {
        public const string Usage =
            "simulate [--model M.nrnn] [--board NAME] [--recording R.csv | --windows N --seed N]\n" +
            "           [--window N] [--smoothing N] [--margin LOGIT] [--decisions OUT.csv]\n" +
            "           [--faults KIND@SECONDS,...]   (nack, timeout, reset, unplug, plug, stuck, stall)";

        public const string DefaultBoard = "esp32-devkitc-gy521";

        /// <summary>The bundled default model, copied beside the program.</summary>
        public static readonly string DefaultModelPath = Path.Combine(AppContext.BaseDirectory, "default-model.nrnn");

        // The app polls the FIFO about every 100 ms; so does the simulation (in samples at the model's rate).
        private const int PollMilliseconds = 100;

        // SamplingPipeline takes 1..1000 Hz.
        private const int MaxPipelineRateHz = 1000;

        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            var options = new Arguments("simulate", args, 1, "model", "board", "recording", "windows", "seed",
                "window", "smoothing", "margin", "decisions", "faults");
            string modelPath = options.Optional("model", DefaultModelPath);
            RnnModel model = ModelFile.Load(modelPath);
            int rate = model.SampleRateHz;
            if (rate == 0)
            {
                throw new DataException($"{modelPath}: records no sample rate; export it with --sample-rate");
            }

            string boardName = options.Optional("board", DefaultBoard);
            BoardDescription board = BoardCatalog.Find(boardName)
                ?? throw new UsageException($"simulate: unknown board '{boardName}' (boards: {string.Join(", ", BoardCatalog.Names)})");
            AxisMap axes = new AxisMap(board.XSource, board.XNegate, board.YSource, board.YNegate, board.ZSource, board.ZNegate);

            var pipelineOptions = new PipelineOptions
            {
                WindowLength = options.Int("window", rate, 0, 100000),
                SmoothingWindow = options.Int("smoothing", 1, 1, DecisionSmoother.MaxWindow),
                MinimumMargin = MarginInOutputUnits(options, model),
            };
            if (pipelineOptions.WindowLength == 0)
            {
                pipelineOptions.DecisionInterval = rate;
            }

            string recordingPath = options.Optional("recording", null);
            Recording recording = null;
            SyntheticScene scene = null;
            IMotionSource motion;
            int samples;
            if (recordingPath != null)
            {
                if (options.Optional("windows", null) != null || options.Optional("seed", null) != null)
                {
                    throw new UsageException("simulate: --windows and --seed describe the synthetic scene; not with --recording");
                }

                recording = Recording.Read(recordingPath, rate);
                motion = recording;
                samples = recording.Samples;
            }
            else
            {
                int window = pipelineOptions.WindowLength > 0 ? pipelineOptions.WindowLength : rate;
                scene = new SyntheticScene(options.Int("windows", 10, 1, 100000), window, rate,
                    options.Int("seed", 1, 0, int.MaxValue), axes);
                motion = scene;
                samples = scene.Samples;
            }

            var chip = new SimulatedMpu(board.SensorKind == SensorKind.Mpu6886 ? SimulatedMpuModel.Mpu6886 : SimulatedMpuModel.Mpu6050,
                motion, (byte)board.SensorAddress);
            MpuBase sensor = board.SensorKind == SensorKind.Mpu6886 ? new Mpu6886(chip) : new Mpu6050(chip);
            sensor.Wake();
            sensor.DigitalLowPassFilter = 3;      // 1 kHz output rate, so the divider reaches 50 or 100 Hz
            if (SensorSampler.RateDivider(sensor.GyroscopeOutputRateHz, rate) < 0)
            {
                throw new DataException($"{modelPath}: records a sample rate of {rate} Hz, which the {(board.SensorKind == SensorKind.Mpu6886 ? "MPU-6886" : "MPU-6050")} at its "
                    + $"{sensor.GyroscopeOutputRateHz} Hz output rate cannot produce; it samples exactly at {string.Join(", ", SampleRates(sensor.GyroscopeOutputRateHz))} Hz "
                    + "(export with one of them: --sample-rate)");
            }

            var pins = new SimulatedPin[board.DigitalInputPins.Length];
            var inputs = new IDigitalInput[pins.Length];
            for (int i = 0; i < pins.Length; i++)
            {
                pins[i] = new SimulatedPin();
                inputs[i] = pins[i];
            }

            if (recording != null && recording.DigitalInputs > pins.Length)
            {
                throw new DataException($"{recordingPath}: has {recording.DigitalInputs} digital inputs, board {board.Name} has {pins.Length}");
            }

            string[] labels = Labels(modelPath, model.ClassCount);
            var log = new DecisionLog(stdout, labels, rate, model.OutputScale, scene);
            var network = new RnnNetwork(model);
            SamplingPipeline pipeline;
            try
            {
                pipeline = new SamplingPipeline(network, axes, pins.Length, pipelineOptions, log, rate);
            }
            catch (ArgumentException e)
            {
                throw new DataException($"{modelPath}: {e.Message}");
            }

            stdout.WriteLine($"model {Path.GetFileName(modelPath)}: {model.InputChannels} channels, {model.HiddenSize} hidden, {model.ClassCount} classes at {rate} Hz; board {board.Name}; "
                + (recording != null ? $"recording {Path.GetFileName(recordingPath)}" : $"synthetic scene of {samples / scene.WindowLength} gestures"));
            var sampler = new SensorSampler(sensor, inputs, pipeline);
            var supervisor = new SensorSupervisor(sensor, sampler, pipeline, new SensorSupervisorOptions());
            var faults = FaultScript.Parse(options.Optional("faults", null));
            supervisor.Poll(0);   // starts the FIFO
            long period = 1000000 / rate;
            int pollSamples = Math.Max(1, rate * PollMilliseconds / 1000);
            long now = 0;
            for (int done = 0; done < samples;)
            {
                int step = Math.Min(pollSamples, samples - done);
                chip.AdvanceMicroseconds((int)(step * period));
                now += step * period;
                done += step;
                if (recording != null)
                {
                    int levels = recording.Levels(done - 1);
                    for (int i = 0; i < pins.Length; i++)
                    {
                        pins[i].Level = (levels >> i & 1) == 1;
                    }
                }

                if (faults.Apply(chip, now))
                {
                    supervisor.Poll(now);
                }
            }

            PipelineStatistics stats = pipeline.Statistics;
            stdout.WriteLine($"samples {stats.Samples}, dropped {stats.Dropped}, late {stats.Late}, decisions {stats.Decisions}, uncertain {stats.Uncertain}, resets {stats.Resets}");
            if (faults.Count > 0 || stats.FifoOverflows + stats.BusErrors + stats.Reinitialisations + stats.StuckFaults + stats.WrongDevice > 0)
            {
                stdout.WriteLine($"sensor: fifo overflows {stats.FifoOverflows}, bus errors {stats.BusErrors}, retries {stats.Retries}, "
                    + $"reinitialised {stats.Reinitialisations}, stuck {stats.StuckFaults}, wrong device {stats.WrongDevice}");
            }
            if (scene != null)
            {
                stdout.WriteLine($"decisions matching the scene: {log.Matches} of {samples / scene.WindowLength}");
            }

            string decisions = options.Optional("decisions", null);
            if (decisions != null)
            {
                AtomicFile.WriteAllText(decisions, log.Csv);
            }

            return 0;
        }

        /// <summary>The rates SensorSampler can configure from <paramref name="outputRateHz"/>, up to the pipeline's 1000 Hz.</summary>
        public static int[] SampleRates(int outputRateHz)
        {
            var rates = new System.Collections.Generic.List<int>();
            for (int rate = 1; rate <= MaxPipelineRateHz; rate++)
            {
                if (SensorSampler.RateDivider(outputRateHz, rate) >= 0)
                {
                    rates.Add(rate);
                }
            }

            return rates.ToArray();
        }

        private static int MarginInOutputUnits(Arguments options, RnnModel model)
        {
            string text = options.Optional("margin", "0");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double logit)
                || !(logit >= 0) || logit / model.OutputScale > int.MaxValue)
            {
                throw new UsageException($"simulate: --margin must be a non-negative logit difference, not '{text}'");
            }

            return (int)Math.Ceiling(logit / model.OutputScale);
        }

        /// <summary>Class names from MODEL.labels beside the model (one a line), if there is one.</summary>
        private static string[] Labels(string modelPath, int classes)
        {
            string path = Path.ChangeExtension(modelPath, ".labels");
            if (!File.Exists(path))
            {
                return new string[0];
            }

            string[] names = File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (names.Length != classes)
            {
                throw new DataException($"{path}: names {names.Length} classes, the model has {classes}");
            }

            return names;
        }
    }
}
