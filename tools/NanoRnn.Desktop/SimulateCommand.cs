using System;
using System.CommandLine;
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
        public const string DefaultBoard = "esp32-devkitc-gy521";

        /// <summary>The bundled default model, copied beside the program.</summary>
        public static readonly string DefaultModelPath = Path.Combine(AppContext.BaseDirectory, "default-model.nrnn");

        // The app polls the FIFO about every 100 ms; so does the simulation (in samples at the model's rate).
        private const int PollMilliseconds = 100;

        /// <summary>The `simulate` command: its options, the rules between them and what runs it.</summary>
        public static Command Create(Streams io)
        {
            Option<string> model = CommandLineOptions.Path("--model", "M.nrnn", "the model blob (default: the bundled gesture model)");
            Option<string> board = CommandLineOptions.Value("--board", "NAME", "the board from boards/ (default: " + DefaultBoard + ")",
                (string text, out string value) =>
                {
                    value = text;
                    return BoardCatalog.Find(text) != null ? null : $"unknown board '{text}' (boards: {string.Join(", ", BoardCatalog.Names)})";
                });
            board.CompletionSources.Add(BoardCatalog.Names);
            Option<string> sensor = CommandLineOptions.OneOf("--sensor", "the chip on the sensor board (default: the board's own)", null,
                "mpu6050", "mpu6500", "mpu6886");
            Option<string> recording = CommandLineOptions.Path("--recording", "R.csv",
                "replay raw sensor counts from a recording (docs/recording-format.md) instead of the synthetic scene");
            Option<int> windows = CommandLineOptions.WholeNumber("--windows", "gestures in the synthetic scene", 1, 100000, 10);
            Option<int> seed = CommandLineOptions.WholeNumber("--seed", "the synthetic scene's random seed", 0, int.MaxValue, 1);
            Option<int> window = CommandLineOptions.WholeNumber("--window",
                "samples per decision (default: one second at the model's rate); 0: streaming, a decision every second", 0, 100000);
            Option<int> smoothing = CommandLineOptions.WholeNumber("--smoothing", "decisions in the majority vote", 1, DecisionSmoother.MaxWindow, 1);
            Option<double> margin = CommandLineOptions.Value("--margin", "LOGIT",
                "the logit difference by which the best class must lead the second",
                (string text, out double value) =>
                    double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= 0 && !double.IsPositiveInfinity(value)
                        ? null
                        : $"--margin must be a non-negative logit difference, not '{text}'");
            margin.DefaultValueFactory = _ => 0.0;
            Option<string> decisions = CommandLineOptions.Path("--decisions", "OUT.csv", "also write every decision as CSV");
            Option<FaultScript> faults = CommandLineOptions.Value("--faults", "KIND@SECONDS,...",
                "sensor faults at given times; kinds: " + string.Join(", ", FaultScript.Kinds), (string text, out FaultScript value) => FaultScript.Parse(text, out value));
            var command = new Command("simulate",
                "Runs the firmware's application on a simulated sensor on a board from boards/, fed from a recording or "
                + "from a synthetic gesture scene, and prints what the board would print.")
            {
                model, board, sensor, recording, windows, seed, window, smoothing, margin, decisions, faults,
            };
            command.Validators.Add(result =>
            {
                if (CommandLineOptions.IsGiven(result, recording) && (CommandLineOptions.IsGiven(result, windows) || CommandLineOptions.IsGiven(result, seed)))
                {
                    result.AddError("--windows and --seed describe the synthetic scene; not with --recording");
                }
            });
            command.SetAction(parsed =>
            {
                var settings = new Settings
                {
                    ModelPath = parsed.GetValue(model) ?? DefaultModelPath,
                    Board = BoardCatalog.Find(parsed.GetValue(board) ?? DefaultBoard),
                    Sensor = parsed.GetValue(sensor),
                    RecordingPath = parsed.GetValue(recording),
                    Windows = parsed.GetValue(windows),
                    Seed = parsed.GetValue(seed),
                    Window = CommandLineOptions.IsGiven(parsed, window) ? parsed.GetValue(window) : -1,
                    Smoothing = parsed.GetValue(smoothing),
                    Margin = parsed.GetValue(margin),
                    DecisionsPath = parsed.GetValue(decisions),
                    Faults = parsed.GetValue(faults) ?? FaultScript.None,
                };
                return Run(io, settings);
            });
            return command;
        }

        // What the command line asked for, checked.
        private sealed class Settings
        {
            public string ModelPath;
            public BoardDescription Board;
            public string Sensor;         // null: the board's own
            public string RecordingPath;  // null: the synthetic scene
            public int Windows;
            public int Seed;
            public int Window;            // -1: one second at the model's rate
            public int Smoothing;
            public double Margin;         // a logit difference, >= 0
            public string DecisionsPath;  // null: none written
            public FaultScript Faults;
        }

        private static int Run(Streams io, Settings options)
        {
            string modelPath = options.ModelPath;
            RnnModel model = ModelFile.Load(modelPath);
            byte[] blob = InputFile.ReadAllBytes(modelPath);
            int rate = model.SampleRateHz;
            if (rate == 0)
            {
                throw new DataException($"{modelPath}: records no sample rate; export it with --sample-rate");
            }

            BoardDescription board = options.Board;
            SimulatedMpuModel chipModel = SensorChoice(options.Sensor, board);
            if (SensorSampler.RateDivider(MpuBase.FilteredOutputRateHz, rate) < 0)
            {
                throw new DataException($"{modelPath}: records a sample rate of {rate} Hz, which the {SimulatedName(chipModel).Substring(3)} at its "
                    + $"{MpuBase.FilteredOutputRateHz} Hz output rate cannot produce; it samples exactly at {string.Join(", ", SensorSampler.SampleRates(MpuBase.FilteredOutputRateHz))} Hz "
                    + "(export with one of them: --sample-rate)");
            }

            AxisMap axes = new AxisMap(board.XSource, board.XNegate, board.YSource, board.YNegate, board.ZSource, board.ZNegate);

            var pipelineOptions = new PipelineOptions
            {
                WindowLength = options.Window >= 0 ? options.Window : rate,
                SmoothingWindow = options.Smoothing,
                MinimumMargin = MarginInOutputUnits(options.Margin, model),
            };
            if (pipelineOptions.WindowLength == 0)
            {
                pipelineOptions.DecisionInterval = rate;
            }

            string recordingPath = options.RecordingPath;
            Recording recording = null;
            SyntheticScene scene = null;
            IMotionSource motion;
            int samples;
            if (recordingPath != null)
            {
                recording = Recording.Read(recordingPath, rate);
                motion = recording;
                samples = recording.Samples;
            }
            else
            {
                int window = pipelineOptions.WindowLength > 0 ? pipelineOptions.WindowLength : rate;
                scene = new SyntheticScene(options.Windows, window, rate, options.Seed, axes);
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

            io.Out.WriteLine($"simulated: board {board.Name} with {SimulatedName(chipModel)}, "
                + (recording != null ? $"recording {Path.GetFileName(recordingPath)}" : $"synthetic scene of {samples / scene.WindowLength} gestures")
                + $"; model {Path.GetFileName(modelPath)}");
            var log = new DecisionLog(scene);
            var boardIo = new BoardIo
            {
                SensorBus = chip,
                DigitalInputs = inputs,
                Led = board.LedPin >= 0 ? new SimulatedPin() : null,
                Clock = new DesktopClock(),
                ClockNote = "the desktop clock: an ESP32 is far slower, docs/performance.md",
                Output = new WriterOutput(io.Out),
                Exponential = new DotNetExponential(),
                Heap = new Esp32HeapEstimate(blob.Length),
                HeapMeasured = false,
                Observer = log,
            };
            var settings = new ApplicationOptions { Pipeline = pipelineOptions, StatisticsEveryMicros = long.MaxValue / 2 };
            BoardApplication application;
            try
            {
                application = new BoardApplication(board, new ModelBytes(blob), boardIo, settings);
            }
            catch (ArgumentException e)
            {
                throw new DataException($"{modelPath}: {e.Message}");
            }
            catch (InvalidOperationException e)
            {
                throw new DataException($"{modelPath}: {e.Message}");
            }

            FaultScript faults = options.Faults;
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
                io.Out.WriteLine($"decisions matching the scene: {log.Matches} of {samples / scene.WindowLength}");
            }

            if (options.DecisionsPath != null)
            {
                AtomicFile.WriteAllText(options.DecisionsPath, log.Csv);
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
                    throw new ArgumentOutOfRangeException(nameof(name), name, "--sensor's parser lets no other name through");
            }
        }

        private static string SimulatedName(SimulatedMpuModel model)
        {
            return model == SimulatedMpuModel.Mpu6050 ? "an MPU-6050" : model == SimulatedMpuModel.Mpu6500 ? "an MPU-6500" : "an MPU-6886";
        }

        // The margin in the network's output units, rounded up so that no smaller logit difference passes.
        private static int MarginInOutputUnits(double logit, RnnModel model)
        {
            if (logit / model.OutputScale > int.MaxValue)
            {
                throw new UsageException($"--margin {logit.ToString(CultureInfo.InvariantCulture)} is more than this model's scores can tell apart "
                    + $"(at most {(int.MaxValue * model.OutputScale).ToString("G6", CultureInfo.InvariantCulture)})");
            }

            return (int)Math.Ceiling(logit / model.OutputScale);
        }
    }
}
