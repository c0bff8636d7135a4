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
    /// `simulate`: the firmware's whole application (<see cref="BoardApplication"/>, as NanoRnn.App runs it)
    /// on a register-level simulated sensor on a board from boards/, fed from a recording or from the
    /// synthetic gesture scene; it differs from the board only in the I/O it is given.
    /// </summary>
    internal static class SimulateCommand
    {
        public const string Usage =
            "simulate [--model M.nrnn] [--board NAME] [--sensor mpu6050|mpu6500|mpu6886] [--recording R.csv | --windows N --seed N]\n" +
            "           [--window N] [--smoothing N] [--margin LOGIT] [--decisions OUT.csv]\n" +
            "           [--faults KIND@SECONDS,...]   (nack, timeout, reset, unplug, plug, stuck, stall)";

        public const string DefaultBoard = "esp32-devkitc-gy521";

        /// <summary>The bundled default model, copied beside the program.</summary>
        public static readonly string DefaultModelPath = Path.Combine(AppContext.BaseDirectory, "default-model.nrnn");

        // The app polls the FIFO about every 100 ms; so does the simulation (in samples at the model's rate).
        private const int PollMilliseconds = 100;

        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            var options = new Arguments("simulate", args, 1, "model", "board", "sensor", "recording", "windows", "seed",
                "window", "smoothing", "margin", "decisions", "faults");
            string modelPath = options.Optional("model", DefaultModelPath);
            RnnModel model = ModelFile.Load(modelPath);
            byte[] blob = InputFile.ReadAllBytes(modelPath);
            int rate = model.SampleRateHz;
            if (rate == 0)
            {
                throw new DataException($"{modelPath}: records no sample rate; export it with --sample-rate");
            }

            string boardName = options.Optional("board", DefaultBoard);
            BoardDescription board = BoardCatalog.Find(boardName)
                ?? throw new UsageException($"simulate: unknown board '{boardName}' (boards: {string.Join(", ", BoardCatalog.Names)})");
            SimulatedMpuModel chipModel = SensorChoice(options.Optional("sensor", null), board);
            if (SensorSampler.RateDivider(MpuBase.FilteredOutputRateHz, rate) < 0)
            {
                throw new DataException($"{modelPath}: records a sample rate of {rate} Hz, which the {SimulatedName(chipModel).Substring(3)} at its "
                    + $"{MpuBase.FilteredOutputRateHz} Hz output rate cannot produce; it samples exactly at {string.Join(", ", SensorSampler.SampleRates(MpuBase.FilteredOutputRateHz))} Hz "
                    + "(export with one of them: --sample-rate)");
            }

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

            var chip = new SimulatedMpu(chipModel, motion, (byte)board.SensorAddress);
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

            stdout.WriteLine($"simulated: board {board.Name} with {SimulatedName(chipModel)}, "
                + (recording != null ? $"recording {Path.GetFileName(recordingPath)}" : $"synthetic scene of {samples / scene.WindowLength} gestures")
                + $"; model {Path.GetFileName(modelPath)}");
            var log = new DecisionLog(scene);
            var io = new BoardIo
            {
                SensorBus = chip,
                DigitalInputs = inputs,
                Led = board.LedPin >= 0 ? new SimulatedPin() : null,
                Clock = new DesktopClock(),
                ClockNote = "the desktop clock: an ESP32 is far slower, docs/performance.md",
                Output = new WriterOutput(stdout),
                Exponential = new DotNetExponential(),
                Heap = new Esp32HeapEstimate(blob.Length),
                HeapMeasured = false,
                Observer = log,
            };
            var settings = new ApplicationOptions { Pipeline = pipelineOptions, StatisticsEveryMicros = long.MaxValue / 2 };
            BoardApplication application;
            try
            {
                application = new BoardApplication(board, new ModelBytes(blob), io, settings);
            }
            catch (ArgumentException e)
            {
                throw new DataException($"{modelPath}: {e.Message}");
            }
            catch (InvalidOperationException e)
            {
                throw new DataException($"{modelPath}: {e.Message}");
            }

            var faults = FaultScript.Parse(options.Optional("faults", null));
            application.Poll(0);   // finds the sensor and starts its FIFO
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
                    application.Poll(now);
                }
            }

            application.ReportStatistics();
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

        private static SimulatedMpuModel SensorChoice(string name, BoardDescription board)
        {
            switch (name)
            {
                case null:
                    return board.SensorKind == SensorKind.Mpu6886 ? SimulatedMpuModel.Mpu6886 : SimulatedMpuModel.Mpu6050;
                case "mpu6050":
                    return SimulatedMpuModel.Mpu6050;
                case "mpu6500":
                    return SimulatedMpuModel.Mpu6500;
                case "mpu6886":
                    return SimulatedMpuModel.Mpu6886;
                default:
                    throw new UsageException($"simulate: --sensor must be mpu6050, mpu6500 or mpu6886, not '{name}'");
            }
        }

        private static string SimulatedName(SimulatedMpuModel model)
        {
            return model == SimulatedMpuModel.Mpu6050 ? "an MPU-6050" : model == SimulatedMpuModel.Mpu6500 ? "an MPU-6500" : "an MPU-6886";
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
    }
}
