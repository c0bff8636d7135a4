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
    /// <summary>The sampler between a register-level simulated MPU-6050 and the pipeline.</summary>
    [TestClass]
    public class SensorSamplerTests
    {
        private const int Period = 20000;   // µs at 50 Hz

        /// <summary>Replays sequence 0 of a golden case's inputs, then zeros.</summary>
        private sealed class GoldenMotion : IMotionSource
        {
            private readonly GoldenCase _golden;

            internal GoldenMotion(GoldenCase golden)
            {
                _golden = golden;
            }

            public void Sample(int index, short[] counts)
            {
                for (int axis = 0; axis < 6; axis++)
                {
                    counts[axis] = index < _golden.Steps ? _golden.Input[index * 6 + axis] : (short)0;
                }
            }
        }

        private static SimulatedMpu _chip;
        private static SamplingPipeline _pipeline;
        private static RecordingSink _sink;
        private static SensorSampler _sampler;

        private static void Build(GoldenCase golden, PipelineOptions options)
        {
            _chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, new GoldenMotion(golden));
            var sensor = new Mpu6050(_chip);
            sensor.Wake();
            sensor.DigitalLowPassFilter = 3;        // 1 kHz gyroscope output rate
            _sink = new RecordingSink();
            _pipeline = new SamplingPipeline(new RnnNetwork(RnnModel.Load(golden.Blob)), AxisMap.Identity, 0,
                options, _sink, 50);
            _sampler = new SensorSampler(sensor, new IDigitalInput[0], _pipeline);
            _sampler.StartFifo(0);
            Assert.AreEqual((byte)19, _chip.PeekRegister(0x19), "SMPLRT_DIV for 50 Hz from 1 kHz");
        }

        [TestMethod]
        public void FifoFramesReachTheModelInOrder()
        {
            GoldenCase golden = GoldenData.Lstm_c6_h13_k4();
            Build(golden, new PipelineOptions { WindowLength = golden.Steps });
            _chip.AdvanceMicroseconds(golden.Steps * Period);
            Assert.AreEqual(golden.Steps, _sampler.PollFifo(golden.Steps * Period));
            int classes = golden.Output.Length / golden.Sequences;
            int best = RnnNetwork.ArgMax(golden.Output, 0, classes);
            Assert.AreEqual(1, _sink.Decisions);
            Assert.AreEqual(best, _sink.LastClass);
            Assert.AreEqual(golden.Output[best], _sink.LastScore);
            Assert.AreEqual(0L, _pipeline.Statistics.Dropped);
        }

        [TestMethod]
        public void FifoOverflowIsReportedAsDroppedSamples()
        {
            GoldenCase golden = GoldenData.Lstm_c6_h13_k4();
            Build(golden, new PipelineOptions());
            _chip.AdvanceMicroseconds(10 * Period);
            Assert.AreEqual(10, _sampler.PollFifo(10 * Period));

            // 100 samples (1200 bytes) overflow the 1024-byte FIFO: all of them are lost.
            _chip.AdvanceMicroseconds(100 * Period);
            Assert.AreEqual(0, _sampler.PollFifo(110 * Period));
            Assert.AreEqual(100L, _pipeline.Statistics.Dropped);
            Assert.AreEqual(1, _sink.Gaps);
            Assert.AreEqual(100, _sink.LastDropped);

            // The stream resumes with nothing counted twice.
            _chip.AdvanceMicroseconds(5 * Period);
            Assert.AreEqual(5, _sampler.PollFifo(115 * Period));
            Assert.AreEqual(100L, _pipeline.Statistics.Dropped);
            Assert.AreEqual(15L, _pipeline.Statistics.Samples);
            Assert.AreEqual(115L, _pipeline.NextSampleIndex);
        }

        [TestMethod]
        public void FramesThatWaitedPastHalfTheFifoCountAsLate()
        {
            Build(GoldenData.Lstm_c6_h13_k4(), new PipelineOptions());
            Assert.AreEqual(850000L, _sampler.LateAfterMicros, "half of 85 frames at 50 Hz");
            _chip.AdvanceSamples(40);
            Assert.AreEqual(40, _sampler.PollFifo(800000));
            Assert.AreEqual(0L, _pipeline.Statistics.Late);
            _chip.AdvanceSamples(60);
            Assert.AreEqual(60, _sampler.PollFifo(2000000));
            Assert.AreEqual(17L, _pipeline.Statistics.Late, "of 60 waiting, the oldest 17 had waited more than 42 periods");
            TestSupport.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => _sampler.LateAfterMicros = Period - 1);
        }

        [TestMethod]
        public void AClockTimesTheSamplesOfEachRead()
        {
            Build(GoldenData.Lstm_c6_h13_k4(), new PipelineOptions());
            _sampler.Clock = new SteppingClock(1000);
            _chip.AdvanceSamples(10);
            _sampler.PollFifo(200000);
            PipelineStatistics statistics = _pipeline.Statistics;
            Assert.AreEqual(10L, statistics.TimedSteps);
            Assert.AreEqual(1000L, statistics.TimedMicros, "two readings around the read's ten samples");
            Assert.AreEqual(100L, statistics.LongestStepMicros);
            Assert.AreEqual(100L, statistics.AverageStepMicros());
        }
    }
}
