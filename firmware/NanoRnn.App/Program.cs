using System;
using System.Device.Gpio;
using System.Device.I2c;
using System.Diagnostics;
using System.IO;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using NanoRnn.Boards;
using NanoRnn.Pipeline;
using NanoRnn.Sensors;

namespace NanoRnn.App
{
    /// <summary>
    /// Wiring only: the board from boards/, the sensor on its I2C bus, the GPIOs, the model from the
    /// flash resource, and the pipeline. Every decision is made in the libraries.
    /// </summary>
    public class Program
    {
        // The one build-time choice: a name from NanoRnn.Boards.BoardCatalog.
        private const string BoardName = "esp32-devkitc-gy521";

        // The default model's classes (models/default/model.labels) and the one that leaves the LED dark.
        private static readonly string[] Labels = { "idle", "shake", "circle", "flick", "tilt" };
        private const int RestingClass = 0;

        // A model whose blob is larger than this is loaded through a reader over the flash resource and
        // run with its gate weights left there, read on every step (RnnModel.Load(IBlobReader, int) and
        // RnnNetwork's streamed constructor): the blob is never whole in RAM. A model with its weights
        // takes about its blob's size in RAM, and loading it from an array the blob's size again
        // (docs/performance.md, "Memory").
        private const int GateWeightsInRamBudget = 32 * 1024;
        private const int StreamChunkRows = 16;          // weight rows per resource read

        private const int PollMilliseconds = 100;       // the FIFO holds 85 samples: 1.7 s at 50 Hz
        private const int StatisticsEverySeconds = 10;

        public static void Main()
        {
            BoardDescription board = BoardCatalog.Find(BoardName);
            if (board == null)
            {
                throw new ArgumentException("BoardName \"" + BoardName + "\" is not in NanoRnn.Boards.BoardCatalog.Names");
            }

            // The ESP32 routes any GPIO to either I2C controller; the pins must be set before the device is created.
            bool secondBus = board.I2cBusId == 2;
            Configuration.SetPinFunction(board.I2cDataPin, secondBus ? DeviceFunction.I2C2_DATA : DeviceFunction.I2C1_DATA);
            Configuration.SetPinFunction(board.I2cClockPin, secondBus ? DeviceFunction.I2C2_CLOCK : DeviceFunction.I2C1_CLOCK);
            I2cDevice device = I2cDevice.Create(new I2cConnectionSettings(board.I2cBusId, board.SensorAddress, I2cBusSpeed.FastMode));
            var bus = new I2cRegisterBus(device);

            var gpio = new GpioController();
            var inputs = new IDigitalInput[board.DigitalInputPins.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = new GpioDigitalInput(gpio.OpenPin(board.DigitalInputPins[i], PinMode.InputPullUp));
            }

            // The blob stays in memory-mapped flash as a resource. Within budget, GetBytes copies it once,
            // Load copies what it keeps, gate weights included, and the copy is dropped. Over budget, Load
            // reads it through the reader 256 bytes at a time and keeps no gate weights; the network reads
            // them from the resource on every step.
            var flash = new ResourceBlobReader(Resources.ResourceManager, Resources.BinaryResources.model);
            int blobLength = flash.MeasureLength();
            bool streamWeights = blobLength > GateWeightsInRamBudget;
            RnnModel model = streamWeights
                ? RnnModel.Load(flash, blobLength)
                : RnnModel.Load(Resources.GetBytes(Resources.BinaryResources.model));
            // In RAM: packed weights (4 bytes a weight, about 2.3 times fewer interpreted instructions
            // a step, docs/performance.md) when they take at most half of the heap left free once the
            // blob's copy is collected; otherwise the compact kernel over the int8 weights.
            RnnNetwork network = streamWeights
                ? new RnnNetwork(model, flash, StreamChunkRows)
                : new RnnNetwork(model, RnnNetwork.PacksWithin(model, nanoFramework.Runtime.Native.GC.Run(true) / 2));
            int rate = model.SampleRateHz;

            IDecisionSink sink = new DebugDecisionLog(Labels);
            if (board.LedPin >= 0)
            {
                var led = new GpioDigitalOutput(gpio.OpenPin(board.LedPin, PinMode.Output));
                sink = new DecisionIndicator(led, board.LedActiveHigh, RestingClass, sink);
            }

            var axes = new AxisMap(board.XSource, board.XNegate, board.YSource, board.YNegate, board.ZSource, board.ZNegate);
            var options = new PipelineOptions { WindowLength = rate };   // the default model is trained on one-second windows
            var pipeline = new SamplingPipeline(network, axes, inputs.Length, options, sink, rate);

            ResetButton button = null;
            if (board.ButtonPin >= 0)
            {
                PinMode mode = board.ButtonActiveHigh ? PinMode.InputPullDown : PinMode.InputPullUp;
                button = new ResetButton(new GpioDigitalInput(gpio.OpenPin(board.ButtonPin, mode)), board.ButtonActiveHigh, pipeline);
            }

            MpuBase sensor = Connect(board, bus);
            var sampler = new SensorSampler(sensor, inputs, pipeline);
            // Retries, re-initialisation and stuck-sensor checks; it starts the FIFO on its first poll.
            var supervisor = new SensorSupervisor(sensor, sampler, pipeline, new SensorSupervisorOptions());
            // HighResTimer.GetCurrent(): microseconds since boot, monotonic
            // (DateTime.UtcNow would jump if the clock were set, and mscorlib has no Stopwatch).
            long start = (long)HighResTimer.GetCurrent();
            Debug.WriteLine("NanoRnn on " + board.Name + ": " + model.InputChannels + " channels, " + model.ClassCount + " classes at " + rate + " Hz"
                + (streamWeights ? ", gate weights read from flash" : ""));

            long nextStatistics = StatisticsEverySeconds * 1000000L;
            while (true)
            {
                Thread.Sleep(PollMilliseconds);
                long now = (long)HighResTimer.GetCurrent() - start;
                try
                {
                    if (button != null)
                    {
                        button.Poll();
                    }

                    // Sensor faults are handled and counted inside; it does not throw for them.
                    supervisor.Poll(now);
                }
                catch (Exception e)
                {
                    // Nothing else is expected here; log it and keep sampling rather than stop for good.
                    Debug.WriteLine("main loop: " + e.GetType().Name + ": " + e.Message);
                }

                if (now >= nextStatistics)
                {
                    nextStatistics += StatisticsEverySeconds * 1000000L;
                    PipelineStatistics s = pipeline.Statistics;
                    Debug.WriteLine("samples " + s.Samples + ", dropped " + s.Dropped + ", late " + s.Late
                        + ", decisions " + s.Decisions + ", uncertain " + s.Uncertain + ", resets " + s.Resets
                        + "; sensor: overflows " + s.FifoOverflows + ", bus errors " + s.BusErrors + ", retries " + s.Retries
                        + ", reinitialised " + s.Reinitialisations + ", stuck " + s.StuckFaults + ", wrong device " + s.WrongDevice
                        + (supervisor.IsRunning ? string.Empty : " (down: " + supervisor.LastError + ")"));
                }
            }
        }

        private static MpuBase Connect(BoardDescription board, IRegisterBus bus)
        {
            while (true)
            {
                try
                {
                    MpuBase sensor = board.SensorKind == SensorKind.Mpu6886 ? (MpuBase)new Mpu6886(bus) : new Mpu6050(bus);
                    sensor.Wake();
                    sensor.DigitalLowPassFilter = 3;             // 1 kHz output rate: the divider reaches 50 or 100 Hz
                    return sensor;
                }
                catch (IOException e)
                {
                    Debug.WriteLine("sensor: " + e.Message + "; retrying in 1 s");
                    Thread.Sleep(1000);
                }
            }
        }
    }
}
