using System;
using NanoRnn.Pipeline;
using NanoRnn.Sensors;
using NanoRnn.Simulation;
using NanoRnn.Tests.Golden;
using NanoRnn.Tests.Sensors;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests.Pipeline
{
    /// <summary>
    /// SensorSupervisor against a simulated MPU-6050 with injected faults: each fault is counted,
    /// ends in a gap (model state reset), and the samples flow again once the fault is gone.
    /// </summary>
    [TestClass]
    public class SensorFaultTests
    {
        private const int Period = 20000;       // µs at 50 Hz
        private const int Poll = 100000;        // µs between polls, as the app
        private const int StuckLimit = 10;
        private const byte PWR_MGMT_1 = 0x6B, USER_CTRL = 0x6A, FIFO_EN = 0x23, WHO_AM_I = 0x75;

        private static SimulatedMpu _chip;
        private static SamplingPipeline _pipeline;
        private static SensorSupervisor _supervisor;

        private static PipelineStatistics Stats
        {
            get { return _pipeline.Statistics; }
        }

        private static void Build()
        {
            _chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, new RampMotion());
            var sensor = new Mpu6050(_chip);
            sensor.Wake();
            sensor.DigitalLowPassFilter = 3;
            _pipeline = new SamplingPipeline(new RnnNetwork(RnnModel.Load(GoldenData.Lstm_c6_h13_k4().Blob)),
                AxisMap.Identity, 0, new PipelineOptions(), new RecordingSink(), 50);
            var sampler = new SensorSampler(sensor, new IDigitalInput[0], _pipeline);
            var options = new SensorSupervisorOptions { StuckReadingLimit = StuckLimit };
            _supervisor = new SensorSupervisor(sensor, sampler, options);
            Assert.AreEqual(0, _supervisor.Poll(0));
            Assert.IsTrue(_supervisor.IsRunning);
            Run(10, Poll);
            Assert.AreEqual(50L, Stats.Samples, "one healthy second");
        }

        // Advances the chip and polls, `polls` times `micros` apart; returns samples fed.
        private static int Run(int polls, int micros)
        {
            int fed = 0;
            for (int i = 0; i < polls; i++)
            {
                _chip.AdvanceMicroseconds(micros);
                fed += _supervisor.Poll(_chip.ElapsedMicroseconds);
            }

            return fed;
        }

        // The stream is back: configured as the driver left it, and a second of polls feeds 50 samples.
        private static void AssertFlowing()
        {
            Assert.IsTrue(_supervisor.IsRunning, "running; last error: " + _supervisor.LastError);
            Assert.AreEqual(0x01, (int)_chip.PeekRegister(PWR_MGMT_1), "awake, PLL clock");
            Assert.AreEqual(0x78, (int)_chip.PeekRegister(FIFO_EN), "accel and gyro into the FIFO");
            Assert.AreEqual(0x40, _chip.PeekRegister(USER_CTRL) & 0x40, "FIFO enabled");
            Assert.AreEqual(50, Run(10, Poll));
            Assert.AreEqual(Stats.Samples + Stats.Dropped, _pipeline.NextSampleIndex);
        }

        [TestMethod]
        public void NackIsRetriedAndTheBrokenStreamIsAGap()
        {
            Build();
            _chip.FailNextTransfers(1);
            Assert.AreEqual(0, Run(1, Poll));
            Assert.IsFalse(_supervisor.IsRunning);
            Assert.AreEqual(1L, Stats.BusErrors);
            TestSupport.Contains("NACK", _supervisor.LastError);
            long resets = Stats.Resets;

            Run(1, Poll);
            Assert.AreEqual(1L, Stats.Retries);
            Assert.AreEqual(0L, Stats.Reinitialisations, "the configuration survived");
            Assert.IsTrue(Stats.Dropped >= 5, "the FIFO was emptied: its samples are a gap, not a splice");
            Assert.AreEqual(resets + 1, Stats.Resets, "model state reset at the gap");
            AssertFlowing();
        }

        [TestMethod]
        public void BusTimeoutsBackOffDoublingFromTheFirstDelay()
        {
            Build();
            _chip.TimeOutNextTransfers(3);
            long failedAt = _chip.ElapsedMicroseconds + 1000;
            long recoveredAt = -1;
            for (int ms = 1; ms <= 200 && recoveredAt < 0; ms++)
            {
                Run(1, 1000);
                if (ms > 1 && _supervisor.IsRunning) recoveredAt = _chip.ElapsedMicroseconds;
            }

            // Attempts at +0 (the poll), +10 ms, +30 ms, +70 ms: the last one works.
            Assert.AreEqual(failedAt + 70000, recoveredAt);
            Assert.AreEqual(3L, Stats.BusErrors);
            Assert.AreEqual(3L, Stats.Retries);
            TestSupport.Contains("timeout", _supervisor.LastError);
            AssertFlowing();
        }

        [TestMethod]
        public void UnpluggedSensorIsRetriedAtMostOnceASecondAndReconfiguredWhenPluggedBack()
        {
            Build();
            _chip.Unplug();
            Run(250, Poll);         // 25 s
            int before = _chip.Transfers;
            Run(50, Poll);          // 5 s more: the back-off has reached its 1 s cap, one transfer per attempt
            Assert.AreEqual(5, _chip.Transfers - before);
            Assert.IsFalse(_supervisor.IsRunning);
            long dropped = Stats.Dropped;

            _chip.Plug();           // power-on state: asleep, FIFO off
            Run(10, Poll);
            Assert.IsTrue(_supervisor.IsRunning);
            Assert.AreEqual(1L, Stats.Reinitialisations);
            Assert.IsTrue(Stats.Dropped - dropped >= 30 * 50, "the 30 s without the sensor are a gap: " + (Stats.Dropped - dropped));
            AssertFlowing();
        }

        [TestMethod]
        public void SensorResetMidStreamIsNoticedByReadBackAndReinitialised()
        {
            Build();
            _chip.ScheduleResetToDefaults(_chip.ElapsedMicroseconds + 30000);
            Run(1, Poll);           // no frame although five were due: read back, restore
            Assert.AreEqual(1L, Stats.Reinitialisations);
            Assert.AreEqual(0L, Stats.BusErrors);
            Assert.IsTrue(Stats.Dropped >= 1);
            AssertFlowing();
        }

        [TestMethod]
        public void FifoOverflowIsCountedAndTheStreamGoesOn()
        {
            Build();
            _chip.AdvanceMicroseconds(3000000);     // 150 samples: more than the FIFO's 85
            Assert.AreEqual(0, _supervisor.Poll(_chip.ElapsedMicroseconds));
            Assert.AreEqual(1L, Stats.FifoOverflows);
            Assert.AreEqual(150L, Stats.Dropped);
            Assert.AreEqual(0L, Stats.BusErrors);
            AssertFlowing();
        }

        [TestMethod]
        public void StuckOutputsResetTheChipAndTheModel()
        {
            Build();
            long samples = Stats.Samples;
            long resets = Stats.Resets;
            _chip.FrozenOutputs = true;
            Run(2, Poll);
            Assert.AreEqual(1L, Stats.StuckFaults);
            // The reading before the freeze and StuckLimit - 1 copies of it, then nothing.
            Assert.AreEqual(samples + StuckLimit - 1, Stats.Samples);
            Assert.IsFalse(_chip.FrozenOutputs, "DEVICE_RESET revives the simulated chip");
            Assert.IsFalse(_supervisor.IsRunning, "waiting for the chip to finish its reset");
            Run(1, Poll);
            Assert.AreEqual(1L, Stats.Reinitialisations);
            Assert.IsTrue(Stats.Resets > resets, "model state reset");
            AssertFlowing();
            Assert.AreEqual(1L, Stats.StuckFaults);
        }

        [TestMethod]
        public void AnotherChipAtTheAddressIsNotUsed()
        {
            Build();
            _chip.Unplug();
            Run(2, Poll);
            _chip.Plug();
            _chip.PokeRegister(WHO_AM_I, 0x70);    // an MPU-6500
            long samples = Stats.Samples;
            Run(30, Poll);
            Assert.IsTrue(Stats.WrongDevice >= 3, "WrongDevice " + Stats.WrongDevice);
            Assert.AreEqual(samples, Stats.Samples);
            Assert.IsFalse(_supervisor.IsRunning);
            TestSupport.Contains("0x70", _supervisor.LastError);

            _chip.PokeRegister(WHO_AM_I, 0x68);
            Run(10, Poll);
            AssertFlowing();
        }

        [TestMethod]
        public void AStormOfRandomFaultsNeverEscapesPoll()
        {
            Build();
            var random = new Random(3);
            for (int i = 0; i < 3000; i++)
            {
                switch (random.Next(40))
                {
                    case 0: _chip.FailNextTransfers(1 + random.Next(3)); break;
                    case 1: _chip.TimeOutNextTransfers(1 + random.Next(3)); break;
                    case 2: _chip.ShortenNextRead(random.Next(12)); break;
                    case 3: _chip.ResetToDefaults(); break;
                    case 4: _chip.FrozenOutputs = true; break;
                    case 5: _chip.Unplug(); break;
                    case 6: _chip.Plug(); break;
                    case 7: _chip.AdvanceMicroseconds(2000000); break;
                }

                Run(1, 1000 * (1 + random.Next(150)));
            }

            // Faults over (a plugged, live chip): it comes back and stays.
            _chip.FailNextTransfers(0);
            _chip.TimeOutNextTransfers(0);
            _chip.Plug();
            Run(20, Poll);
            AssertFlowing();
            Assert.IsTrue(Stats.BusErrors > 0 && Stats.Reinitialisations > 0 && Stats.StuckFaults > 0);
        }
    }
}
