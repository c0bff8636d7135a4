#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System;
using NanoRnn.Sensors;
using NanoRnn.Simulation;

namespace NanoRnn.Tests.Sensors
{
    /// <summary>FIFO mode, the data-ready flag and recovery from a sensor reset, on both chips.</summary>
    [TestClass]
    public class MpuFifoTests
    {
        [TestMethod]
        public void EnableFifo_Mpu6050_WritesFifoEnUserCtrlAndOverflowInterrupt()
        {
            SimulatedMpu chip;
            MpuBase imu = SensorTestHelpers.CreateAwake(SimulatedMpuModel.Mpu6050, out chip);
            imu.EnableFifo();
            Assert.AreEqual(0x78, (int)chip.PeekRegister(0x23), "FIFO_EN: XG | YG | ZG | ACCEL");
            Assert.AreEqual(0x40, (int)chip.PeekRegister(0x6A), "USER_CTRL: FIFO_EN");
            Assert.AreEqual(0x10, (int)chip.PeekRegister(0x38), "INT_ENABLE: FIFO_OFLOW_EN");
            Assert.AreEqual(12, imu.FifoFrameSize);

            imu.DisableFifo();
            Assert.AreEqual(0, (int)chip.PeekRegister(0x23));
            Assert.AreEqual(0, (int)chip.PeekRegister(0x6A));
            Assert.AreEqual(0, (int)chip.PeekRegister(0x38));
        }

        [TestMethod]
        public void FramesArriveInOrder_Mpu6050()
        {
            FramesArriveInOrder(SimulatedMpuModel.Mpu6050);
        }

        [TestMethod]
        public void FramesArriveInOrder_Mpu6886()
        {
            FramesArriveInOrder(SimulatedMpuModel.Mpu6886);
        }

        [TestMethod]
        public void Overflow_IsReportedAndTheFifoReset_Mpu6050()
        {
            OverflowIsReportedAndTheFifoReset(SimulatedMpuModel.Mpu6050);
        }

        [TestMethod]
        public void Overflow_IsReportedAndTheFifoReset_Mpu6886()
        {
            OverflowIsReportedAndTheFifoReset(SimulatedMpuModel.Mpu6886);
        }

        [TestMethod]
        public void Overflow_SeenByIsDataReady_IsNotLost()
        {
            SimulatedMpu chip;
            MpuBase imu = SensorTestHelpers.CreateAwake(SimulatedMpuModel.Mpu6050, out chip);
            imu.DigitalLowPassFilter = 1;
            imu.EnableDataReadyInterrupt(InterruptPinOptions.Latched);
            imu.EnableFifo();
            chip.AdvanceSamples(90);        // 90 × 12 bytes > 1024

            Assert.IsTrue(imu.IsDataReady(), "this read of INT_STATUS also clears FIFO_OFLOW_INT");
            short[] counts = new short[6 * 8];
            int frames;
            Assert.IsFalse(imu.TryReadFifoFrames(counts, 0, 8, out frames), "the overflow was remembered");
            Assert.AreEqual(1, imu.FifoOverflowCount);
        }

        [TestMethod]
        public void TryReadFifoFrames_ChecksArgumentsAndState()
        {
            var imu = new Mpu6050(new SimulatedMpu(SimulatedMpuModel.Mpu6050, null));
            int frames;
            TestSupport.ThrowsException(typeof(InvalidOperationException), () => { imu.TryReadFifoFrames(new short[6], 0, 1, out frames); });
            imu.EnableFifo();
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => { imu.TryReadFifoFrames(null, 0, 1, out frames); });
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => { imu.TryReadFifoFrames(new short[11], 0, 2, out frames); });
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => { imu.TryReadFifoFrames(new short[12], 0, -1, out frames); });
        }

        [TestMethod]
        public void DataReady_FlagAndPin()
        {
            SimulatedMpu chip;
            MpuBase imu = SensorTestHelpers.CreateAwake(SimulatedMpuModel.Mpu6050, out chip);
            imu.DigitalLowPassFilter = 1;
            chip.AdvanceSamples(2);
            Assert.IsFalse(imu.IsDataReady(), "the chip only flags enabled sources");

            imu.EnableDataReadyInterrupt(InterruptPinOptions.Latched);
            Assert.AreEqual(0x20, (int)chip.PeekRegister(0x37), "INT_PIN_CFG: LATCH_INT_EN, active high, push-pull, INT_RD_CLEAR = 0");
            Assert.AreEqual(0x01, (int)chip.PeekRegister(0x38), "INT_ENABLE: DATA_RDY_EN");
            Assert.IsFalse(chip.InterruptPin.Read(), "idle");
            Assert.IsFalse(imu.IsDataReady());

            chip.AdvanceSamples(1);
            Assert.IsTrue(chip.InterruptPin.Read(), "INT active after a sample");
            Assert.IsTrue(imu.IsDataReady());
            Assert.IsFalse(chip.InterruptPin.Read(), "reading INT_STATUS releases the latched pin");
            Assert.IsFalse(imu.IsDataReady(), "INT_STATUS is cleared by reading it");

            imu.DisableDataReadyInterrupt();
            Assert.AreEqual(0, (int)chip.PeekRegister(0x38));
        }

        [TestMethod]
        public void DataReady_ActiveLowPin()
        {
            SimulatedMpu chip;
            MpuBase imu = SensorTestHelpers.CreateAwake(SimulatedMpuModel.Mpu6886, out chip);
            imu.DigitalLowPassFilter = 1;
            imu.EnableDataReadyInterrupt(InterruptPinOptions.ActiveLow | InterruptPinOptions.OpenDrain | InterruptPinOptions.Latched);
            Assert.AreEqual(0xE0, (int)chip.PeekRegister(0x37), "INT_PIN_CFG: INT_LEVEL | INT_OPEN | LATCH_INT_EN");
            Assert.IsTrue(chip.InterruptPin.Read(), "idles high");
            chip.AdvanceSamples(1);
            Assert.IsFalse(chip.InterruptPin.Read(), "active low");
            Assert.IsTrue(imu.IsDataReady());
            Assert.IsTrue(chip.InterruptPin.Read());
        }

        [TestMethod]
        public void SensorResetMidStream_IsDetectedAndRepaired()
        {
            SimulatedMpu chip;
            MpuBase imu = SensorTestHelpers.CreateAwake(SimulatedMpuModel.Mpu6886, out chip);
            imu.AccelerometerRange = AccelerometerRange.PlusMinus4G;
            imu.DigitalLowPassFilter = 3;
            imu.SampleRateDivider = 9;      // 100 Hz
            imu.EnableFifo();
            Assert.IsTrue(imu.VerifyConfiguration());

            chip.ScheduleResetToDefaults(chip.ElapsedMicroseconds + 55000);
            chip.AdvanceMicroseconds(100000);   // 5 samples, then the chip resets and sleeps
            Assert.AreEqual(5, chip.SamplesTaken);
            Assert.IsFalse(imu.VerifyConfiguration(), "the chip lost its configuration");

            short[] counts = new short[6 * 16];
            int frames;
            Assert.IsTrue(imu.TryReadFifoFrames(counts, 0, 16, out frames));
            Assert.AreEqual(0, frames, "a reset chip is silent; only VerifyConfiguration tells why");

            imu.RestoreConfiguration();
            Assert.IsTrue(imu.VerifyConfiguration());
            Assert.AreEqual(0x08, (int)chip.PeekRegister(0x1C), "ACCEL_CONFIG ±4 g restored");
            chip.AdvanceMicroseconds(30000);
            Assert.IsTrue(imu.TryReadFifoFrames(counts, 0, 16, out frames));
            Assert.AreEqual(3, frames);
            SensorTestHelpers.AssertRampFrames(counts, 0, 3, 5);
        }

        private static void FramesArriveInOrder(SimulatedMpuModel model)
        {
            SimulatedMpu chip;
            MpuBase imu = SensorTestHelpers.CreateAwake(model, out chip);
            imu.DigitalLowPassFilter = 1;
            imu.SampleRateDivider = 0;
            imu.EnableFifo();
            int frameSize = imu.FifoFrameSize;
            short[] counts = new short[6 * 40];
            int frames;

            Assert.IsTrue(imu.TryReadFifoFrames(counts, 0, 40, out frames));
            Assert.AreEqual(0, frames, "empty after EnableFifo");

            chip.AdvanceSamples(10);
            Assert.AreEqual(10 * frameSize, imu.ReadFifoCount());
            Assert.IsTrue(imu.TryReadFifoFrames(counts, 0, 40, out frames));
            Assert.AreEqual(10, frames);
            SensorTestHelpers.AssertRampFrames(counts, 0, 10, 0);
            Assert.AreEqual(0, imu.ReadFifoCount());

            // More than one chunk (16 frames) in one call, read in two parts, at an offset.
            chip.AdvanceSamples(25);
            Assert.IsTrue(imu.TryReadFifoFrames(counts, 6, 20, out frames));
            Assert.AreEqual(20, frames, "capped at maxFrames");
            SensorTestHelpers.AssertRampFrames(counts, 6, 20, 10);
            Assert.IsTrue(imu.TryReadFifoFrames(counts, 0, 40, out frames));
            Assert.AreEqual(5, frames);
            SensorTestHelpers.AssertRampFrames(counts, 0, 5, 30);
            Assert.AreEqual(0, imu.FifoOverflowCount);
        }

        private static void OverflowIsReportedAndTheFifoReset(SimulatedMpuModel model)
        {
            SimulatedMpu chip;
            MpuBase imu = SensorTestHelpers.CreateAwake(model, out chip);
            imu.DigitalLowPassFilter = 1;
            imu.EnableFifo();
            int fitting = MpuBase.FifoCapacityBytes / imu.FifoFrameSize;   // 85 or 73 whole frames
            chip.AdvanceSamples(fitting + 10);
            Assert.AreEqual(MpuBase.FifoCapacityBytes, chip.FifoCount);

            short[] counts = new short[6 * 128];
            int frames;
            Assert.IsFalse(imu.TryReadFifoFrames(counts, 0, 128, out frames), "overflow reported");
            Assert.AreEqual(0, frames);
            Assert.AreEqual(1, imu.FifoOverflowCount);
            Assert.AreEqual(0, chip.FifoCount, "FIFO reset");

            // After the gap the frames are aligned again and continue from the chip's next sample.
            int next = chip.SamplesTaken;
            chip.AdvanceSamples(5);
            Assert.IsTrue(imu.TryReadFifoFrames(counts, 0, 128, out frames));
            Assert.AreEqual(5, frames);
            SensorTestHelpers.AssertRampFrames(counts, 0, 5, next);
            Assert.AreEqual(1, imu.FifoOverflowCount);
        }
    }
}
