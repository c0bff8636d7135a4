#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System.IO;
using NanoRnn.Sensors;
using NanoRnn.Simulation;

namespace NanoRnn.Tests.Sensors
{
    /// <summary>What the MPU-6886 does differently from the MPU-6050 (DS-000193 rev 1.1).</summary>
    [TestClass]
    public class Mpu6886Tests
    {
        [TestMethod]
        public void Constructor_RefusesAnMpu6050()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, null);
            string message = TestSupport.ThrowsException(typeof(IOException), () => { new Mpu6886(chip); }).Message;
            TestSupport.Contains("MPU-6886", message);
            TestSupport.Contains("reads 0x68", message);
            TestSupport.Contains("expected 0x19", message);
        }

        [TestMethod]
        public void Reset_LeavesTheChipAsleepWithItsOwnDefaults()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6886, null);
            var imu = new Mpu6886(chip);
            imu.Reset();
            Assert.AreEqual(0x41, (int)chip.PeekRegister(0x6B), "PWR_MGMT_1 reset value: SLEEP, CLKSEL = 1");
            Assert.AreEqual(0x80, (int)chip.PeekRegister(0x1A), "CONFIG reset value");
            imu.Wake();
            Assert.AreEqual(0x01, (int)chip.PeekRegister(0x6B));
            imu.EnableFifo();
            Assert.AreEqual(0x00, (int)chip.PeekRegister(0x1A), "CONFIG bit 7 cleared, FIFO_MODE = 0");
        }

        [TestMethod]
        public void DigitalLowPassFilter_SetsGyroAndAccelerometerFilters()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6886, null);
            var imu = new Mpu6886(chip);
            imu.Reset();
            imu.DigitalLowPassFilter = 2;
            Assert.AreEqual(0x02, (int)chip.PeekRegister(0x1A), "CONFIG: DLPF_CFG = 2, bit 7 and FIFO_MODE cleared");
            Assert.AreEqual(0x02, (int)chip.PeekRegister(0x1D), "ACCEL_CONFIG2: A_DLPF_CFG = 2, ACCEL_FCHOICE_B = 0, DEC2_CFG = 0");
        }

        [TestMethod]
        public void SampleRate_DividerOnlyAppliesWithTheFilterOn()
        {
            SimulatedMpu chip;
            MpuBase imu = SensorTestHelpers.CreateAwake(SimulatedMpuModel.Mpu6886, out chip);
            imu.DigitalLowPassFilter = 1;
            imu.SampleRateDivider = 4;
            Assert.AreEqual(200, imu.SampleRateHz);
            int taken = chip.SamplesTaken;
            chip.AdvanceMicroseconds(100000);
            Assert.AreEqual(20, chip.SamplesTaken - taken, "200 Hz for 100 ms");

            imu.DigitalLowPassFilter = 0;
            Assert.AreEqual(8000, imu.SampleRateHz, "DLPF_CFG 0 bypasses SMPLRT_DIV");
            taken = chip.SamplesTaken;
            chip.AdvanceMicroseconds(10000);
            Assert.AreEqual(80, chip.SamplesTaken - taken, "8 kHz for 10 ms");
        }

        [TestMethod]
        public void Temperature_UsesTheMpu6886Scale()
        {
            SimulatedMpu chip;
            MpuBase imu = SensorTestHelpers.CreateAwake(SimulatedMpuModel.Mpu6886, out chip);
            chip.TemperatureRaw = 3268;   // 3268 / 326.8 + 25 = 35 °C
            chip.AdvanceSamples(1);
            short[] counts = new short[6];
            imu.ReadSample(counts, 0);
            Assert.AreEqual(3268, (int)imu.LastTemperatureRaw);
            Assert.AreEqual(3500, imu.LastTemperatureCentiCelsius);
            SensorTestHelpers.AssertRampFrames(counts, 0, 1, 0);
        }

        [TestMethod]
        public void Fifo_FramesCarryTemperature()
        {
            SimulatedMpu chip;
            MpuBase imu = SensorTestHelpers.CreateAwake(SimulatedMpuModel.Mpu6886, out chip);
            imu.DigitalLowPassFilter = 1;
            imu.EnableFifo();
            Assert.AreEqual(0x18, (int)chip.PeekRegister(0x23), "FIFO_EN: GYRO_FIFO_EN | ACCEL_FIFO_EN");
            Assert.AreEqual(14, imu.FifoFrameSize);

            chip.TemperatureRaw = -327;
            chip.AdvanceSamples(4);
            Assert.AreEqual(4 * 14, imu.ReadFifoCount());
            short[] counts = new short[24];
            int frames;
            Assert.IsTrue(imu.TryReadFifoFrames(counts, 0, 4, out frames));
            Assert.AreEqual(4, frames);
            SensorTestHelpers.AssertRampFrames(counts, 0, 4, 0);
            Assert.AreEqual(-327, (int)imu.LastTemperatureRaw, "the last frame's TEMP_OUT");
        }
    }
}
