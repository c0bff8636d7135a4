using NanoRnn.Boards;
using NanoRnn.Pipeline;
using NanoRnn.Sensors;
using NanoRnn.Simulation;
using NanoRnn.Tests.Golden;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests.Pipeline
{
    /// <summary>The whole application on simulated I/O: what it prints, the sensor it finds, and that polling never stops it.</summary>
    [TestClass]
    public class BoardApplicationTests
    {
        private static SimulatedMpu _chip;
        private static RecordedLines _output;
        private static SteppingClock _clock;

        private static BoardApplication Build(SimulatedMpuModel chip, long clockTick, NanoRnn.Sensors.IRegisterBus bus)
        {
            // A 6-channel LSTM exported for 50 Hz, board axes = sensor axes on this board.
            GoldenCase golden = GoldenData.Lstm2_c6_h13_k4();
            _chip = new SimulatedMpu(chip, null);
            _output = new RecordedLines();
            _clock = new SteppingClock(clockTick);
            var io = new BoardIo
            {
                SensorBus = bus ?? _chip,
                Clock = _clock,
                Output = _output,
                Exponential = new SeriesExponential(),
                Heap = new FixedHeap(100000),
            };
            return new BoardApplication(BoardCatalog.Find("esp32-devkitc-gy521"), new ModelBytes(golden.Blob), io, null);
        }

        [TestMethod]
        public void StartUpSaysWhatRunsChecksItAndTimesAStep()
        {
            BoardApplication application = Build(SimulatedMpuModel.Mpu6050, 1600, null);
            TestSupport.Contains("NanoRnn on esp32-devkitc-gy521: 6 channels, 13 hidden, 4 classes (rest, wave, tap, turn)", _output.Line(0));
            TestSupport.Contains(" at 50 Hz; " + InRam("packed kernel, weights in RAM"), _output.Line(0));
            Assert.AreEqual("model check: identical to the reference, 4 steps", _output.Line(1));
            Assert.IsTrue(application.Check.Identical);
            // Two clock readings around 16 steps, 1600 µs apart: 100 µs a step.
            Assert.AreEqual(100L, application.StepMicros);
            Assert.AreEqual("step 100 \u00b5s of a 20.0 ms period", _output.Line(2));
            Assert.AreEqual(3, _output.Lines.Count, "nothing else before the first poll");
        }

        [TestMethod]
        public void AStepSlowerThanThePeriodIsSaidAtStartUp()
        {
            Build(SimulatedMpuModel.Mpu6050, 16 * 25000, null);
            TestSupport.Contains("too slow for 50 Hz: a step takes 25.0 ms, the period is 20.0 ms", _output.Line(2));
        }

        [TestMethod]
        public void WithTooLittleHeapTheCompactKernelRuns()
        {
            GoldenCase golden = GoldenData.Lstm2_c6_h13_k4();
            var output = new RecordedLines();
            var io = new BoardIo
            {
                SensorBus = new SimulatedMpu(SimulatedMpuModel.Mpu6050, null),
                Clock = new SteppingClock(1),
                Output = output,
                Exponential = new SeriesExponential(),
                Heap = new FixedHeap(1000),
            };
            var application = new BoardApplication(BoardCatalog.Find("esp32-devkitc-gy521"), new ModelBytes(golden.Blob), io, null);
            Assert.IsFalse(application.Network.UsesPackedWeights);
            TestSupport.Contains("; " + InRam("compact kernel, int8 weights in RAM"), output.Line(0));
        }

        [TestMethod]
        public void AMissingSensorIsReportedOnceAndFoundWhenPluggedIn()
        {
            BoardApplication application = Build(SimulatedMpuModel.Mpu6050, 1, null);
            _chip.Unplug();
            application.Poll(0);
            Assert.AreEqual(1, _output.CountStarting("sensor: not found at 0x68 on I2C1 ("));
            application.Poll(500000);
            application.Poll(1000000);
            application.Poll(2000000);
            Assert.AreEqual(1, _output.CountStarting("sensor: not found"), "the same failure is not repeated every second");
            Assert.IsNull(application.Sensor);

            _chip.Plug();
            application.Poll(3000000);
            Assert.AreEqual("sensor: MPU-6050 (WHO_AM_I 0x68) at 0x68 on I2C1, FIFO 1024 bytes: 85 samples, 1.70 s",
                _output.Starting("sensor: MPU"));
            Assert.IsNotNull(application.Sensor);
        }

        [TestMethod]
        public void AnMpu6500OnAGy521IsFoundAndDecides()
        {
            BoardApplication application = Build(SimulatedMpuModel.Mpu6500, 1, null);
            application.Poll(0);
            Assert.AreEqual("sensor: MPU-6500 (WHO_AM_I 0x70) at 0x68 on I2C1, FIFO 512 bytes: 42 samples, 840.0 ms",
                _output.Starting("sensor: MPU"));
            for (int poll = 1; poll <= 10; poll++)
            {
                _chip.AdvanceMicroseconds(100000);
                application.Poll(poll * 100000L);
            }

            PipelineStatistics statistics = application.Statistics;
            Assert.AreEqual(50L, statistics.Samples);
            Assert.AreEqual(0L, statistics.Dropped);
            Assert.AreEqual(1L, statistics.Decisions + statistics.Uncertain, "one one-second window");
            Assert.AreEqual(50L, statistics.TimedSteps, "every sample timed");
            string decision = _output.Starting("    1.00 s  sample     49  ");
            Assert.IsNotNull(decision, "the decision line");
            TestSupport.Contains("  p ", decision);
        }

        [TestMethod]
        public void AnUnsupportedChipIsRefusedByItsId()
        {
            BoardApplication application = Build(SimulatedMpuModel.Mpu6050, 1, null);
            _chip.PokeRegister(0x75, 0x98);
            application.Poll(0);
            TestSupport.Contains("WHO_AM_I (register 0x75) reads 0x98", _output.Starting("sensor: not found"));
            Assert.IsNull(application.Sensor);
        }

        [TestMethod]
        public void PollingNeverThrowsWhateverTheBusDoes()
        {
            BoardApplication application = Build(SimulatedMpuModel.Mpu6050, 1, new ThrowingBus());
            application.Poll(0);
            application.Poll(2000000);
            Assert.AreEqual("error: InvalidOperationException: ESP_FAIL; going on", _output.Starting("error: "));
            Assert.AreEqual(1, _output.CountStarting("error: "), "the same error is printed once");
        }

        [TestMethod]
        public void StatisticsArePrintedOnSchedule()
        {
            BoardApplication application = Build(SimulatedMpuModel.Mpu6050, 1, null);
            application.Poll(0);
            application.Poll(9999999);
            Assert.IsNull(_output.Starting("samples "));
            application.Poll(10000000);
            TestSupport.Contains("samples 0, dropped 0, late 0, decisions 0", _output.Starting("samples "));
            TestSupport.Contains("; heap free 100000 bytes", _output.Starting("samples "));
            TestSupport.Contains("sensor: MPU-6050, fifo overflows 0, bus errors 0", _output.Starting("sensor: MPU-6050, "));
        }

        // What the first line names for a model in RAM: the native kernel where the firmware has one
        // (NativeKernelTests), else the interpreted one the test expects.
        private static string InRam(string interpreted)
        {
            return NativeKernels.Installed != null ? "native kernel (NanoRnn.Native), int8 weights in RAM" : interpreted;
        }
    }
}
