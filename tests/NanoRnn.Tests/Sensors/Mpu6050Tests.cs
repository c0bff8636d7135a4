#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System;
using System.IO;
using NanoRnn.Sensors;
using NanoRnn.Simulation;

namespace NanoRnn.Tests.Sensors
{
    /// <summary>
    /// The MPU-6050 driver against the simulated chip: register addresses and bits are checked against
    /// the numbers in RM-MPU-6000A rev 4.2, written out here rather than taken from the driver.
    /// </summary>
    [TestClass]
    public class Mpu6050Tests
    {
        [TestMethod]
        public void ReadSample_DecodesBigEndianTwosComplement()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, null);
            var imu = new Mpu6050(chip);
            // ACCEL_XOUT_H (0x3B) .. GYRO_ZOUT_L (0x48): ax ay az temp gx gy gz, high byte first.
            byte[] registers = new byte[]
            {
                0x12, 0x34,   // ax = 4660
                0xFF, 0xFE,   // ay = -2
                0x80, 0x00,   // az = -32768
                0xF0, 0x5C,   // temp = -4004
                0x7F, 0xFF,   // gx = 32767
                0x00, 0x01,   // gy = 1
                0xC0, 0x00,   // gz = -16384
            };
            for (int i = 0; i < registers.Length; i++)
            {
                chip.PokeRegister((byte)(0x3B + i), registers[i]);
            }

            short[] counts = new short[10];
            counts[2] = 99;
            counts[9] = 99;
            imu.ReadSample(counts, 3);

            Assert.AreEqual(99, (int)counts[2], "before offset untouched");
            Assert.AreEqual(4660, (int)counts[3]);
            Assert.AreEqual(-2, (int)counts[4]);
            Assert.AreEqual(-32768, (int)counts[5]);
            Assert.AreEqual(32767, (int)counts[6]);
            Assert.AreEqual(1, (int)counts[7]);
            Assert.AreEqual(-16384, (int)counts[8]);
            Assert.AreEqual(99, (int)counts[9], "after the sample untouched");
            Assert.AreEqual(-4004, (int)imu.LastTemperatureRaw);
            // -4004 / 340 + 36.53 = 24.7535... °C; integer arithmetic truncates toward zero: -1177 + 3653.
            Assert.AreEqual(2476, imu.LastTemperatureCentiCelsius);
        }

        [TestMethod]
        public void ReadSample_IsOneFourteenByteBurst()
        {
            SimulatedMpu chip;
            MpuBase imu = SensorTestHelpers.CreateAwake(SimulatedMpuModel.Mpu6050, out chip);
            chip.AdvanceSamples(3);
            int before = chip.Transfers;
            short[] counts = new short[6];
            imu.ReadSample(counts, 0);

            Assert.AreEqual(1, chip.Transfers - before, "one bus transaction per sample");
            SensorTestHelpers.AssertRampFrames(counts, 0, 1, 2);
        }

        [TestMethod]
        public void AccelerometerRange_WritesAfsSelAndScale()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, null);
            var imu = new Mpu6050(chip);
            int[] countsPerG = new int[] { 16384, 8192, 4096, 2048 };
            for (int range = 0; range < 4; range++)
            {
                imu.AccelerometerRange = (AccelerometerRange)range;
                Assert.AreEqual(range << 3, (int)chip.PeekRegister(0x1C), "ACCEL_CONFIG AFS_SEL in bits 4:3");
                Assert.AreEqual(countsPerG[range], imu.AccelerometerCountsPerG);
                Assert.AreEqual(range, (int)imu.AccelerometerRange);
            }
        }

        [TestMethod]
        public void GyroscopeRange_WritesFsSelAndScale()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, null);
            var imu = new Mpu6050(chip);
            int[] countsPer10Dps = new int[] { 1310, 655, 328, 164 };
            for (int range = 0; range < 4; range++)
            {
                imu.GyroscopeRange = (GyroscopeRange)range;
                Assert.AreEqual(range << 3, (int)chip.PeekRegister(0x1B), "GYRO_CONFIG FS_SEL in bits 4:3");
                Assert.AreEqual(countsPer10Dps[range], imu.GyroscopeCountsPer10DegreesPerSecond);
                Assert.AreEqual(range, (int)imu.GyroscopeRange);
            }
        }

        [TestMethod]
        public void Ranges_RejectValuesOutsideTheEnum()
        {
            var imu = new Mpu6050(new SimulatedMpu(SimulatedMpuModel.Mpu6050, null));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => { imu.AccelerometerRange = (AccelerometerRange)4; });
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => { imu.GyroscopeRange = (GyroscopeRange)9; });
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => { imu.DigitalLowPassFilter = 7; });
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => { imu.DigitalLowPassFilter = -1; });
        }

        [TestMethod]
        public void ResetAndWake_WritePowerManagement()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, null);
            var imu = new Mpu6050(chip);
            imu.AccelerometerRange = AccelerometerRange.PlusMinus8G;
            imu.Wake();
            Assert.AreEqual(0x01, (int)chip.PeekRegister(0x6B), "PWR_MGMT_1: SLEEP clear, CLKSEL = 1 (PLL, X gyro)");

            imu.Reset();
            Assert.AreEqual(0x40, (int)chip.PeekRegister(0x6B), "asleep after DEVICE_RESET");
            Assert.AreEqual(0, (int)chip.PeekRegister(0x1C), "ACCEL_CONFIG back to its reset value");
            Assert.AreEqual((int)AccelerometerRange.PlusMinus2G, (int)imu.AccelerometerRange, "driver re-read the chip");

            imu.Wake();
            imu.Sleep();
            Assert.AreEqual(0x41, (int)chip.PeekRegister(0x6B), "SLEEP set, clock kept");
        }

        [TestMethod]
        public void DigitalLowPassFilterAndDivider_WriteConfigAndSmplrtDiv()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, null);
            var imu = new Mpu6050(chip);
            imu.DigitalLowPassFilter = 3;
            imu.SampleRateDivider = 9;

            Assert.AreEqual(0x03, (int)chip.PeekRegister(0x1A), "CONFIG DLPF_CFG");
            Assert.AreEqual(9, (int)chip.PeekRegister(0x19), "SMPLRT_DIV");
            Assert.AreEqual(0, (int)chip.PeekRegister(0x1D), "ACCEL_CONFIG2 does not exist on the MPU-6050");
            Assert.AreEqual(3, imu.DigitalLowPassFilter);
            Assert.AreEqual(9, (int)imu.SampleRateDivider);
        }

        [TestMethod]
        public void SampleRate_IsOutputRateOverOnePlusDivider()
        {
            SimulatedMpu chip;
            MpuBase imu = SensorTestHelpers.CreateAwake(SimulatedMpuModel.Mpu6050, out chip);

            imu.DigitalLowPassFilter = 3;   // gyro output rate 1 kHz
            imu.SampleRateDivider = 9;
            Assert.AreEqual(1000, imu.GyroscopeOutputRateHz);
            Assert.AreEqual(100, imu.SampleRateHz);
            int taken = chip.SamplesTaken;
            chip.AdvanceMicroseconds(1000000);
            Assert.AreEqual(100, chip.SamplesTaken - taken, "the chip takes 100 samples in one second");

            imu.DigitalLowPassFilter = 0;   // DLPF off: 8 kHz
            imu.SampleRateDivider = 7;
            Assert.AreEqual(8000, imu.GyroscopeOutputRateHz);
            Assert.AreEqual(1000, imu.SampleRateHz);
            taken = chip.SamplesTaken;
            chip.AdvanceMicroseconds(1000000);
            Assert.AreEqual(1000, chip.SamplesTaken - taken);

            imu.DigitalLowPassFilter = 1;
            imu.SampleRateDivider = 2;
            Assert.AreEqual(333, imu.SampleRateHz, "1000 / 3, rounded down");
        }

        [TestMethod]
        public void Constructor_RefusesAnotherChip()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6886, null);
            string message = TestSupport.ThrowsException(typeof(IOException), () => { new Mpu6050(chip); }).Message;
            TestSupport.Contains("WHO_AM_I", message);
            TestSupport.Contains("0x19", message);
            TestSupport.Contains("expected 0x68", message);
            TestSupport.Contains("Mpu6886", message);
        }

        [TestMethod]
        public void Constructor_RejectsNullBus()
        {
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => { new Mpu6050(null); });
        }

        [TestMethod]
        public void AbsentDevice_FailsWithAddressAndRegister()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, null, 0x69);
            chip.Connected = false;
            string message = TestSupport.ThrowsException(typeof(IOException), () => { new Mpu6050(chip); }).Message;
            TestSupport.Contains("0x69", message);
            TestSupport.Contains("NACK", message);
            TestSupport.Contains("register 0x75", message);
        }

        [TestMethod]
        public void Nack_DuringSample_ThrowsThenRecovers()
        {
            SimulatedMpu chip;
            MpuBase imu = SensorTestHelpers.CreateAwake(SimulatedMpuModel.Mpu6050, out chip);
            chip.AdvanceSamples(1);
            short[] counts = new short[6];

            chip.FailNextTransfers(1);
            string message = TestSupport.ThrowsException(typeof(IOException), () => { imu.ReadSample(counts, 0); }).Message;
            TestSupport.Contains("0x68", message);
            TestSupport.Contains("NACK", message);
            TestSupport.Contains("register 0x3B", message);

            imu.ReadSample(counts, 0);
            SensorTestHelpers.AssertRampFrames(counts, 0, 1, 0);
        }

        [TestMethod]
        public void ShortRead_ThrowsWithByteCount()
        {
            SimulatedMpu chip;
            MpuBase imu = SensorTestHelpers.CreateAwake(SimulatedMpuModel.Mpu6050, out chip);
            short[] counts = new short[6];
            chip.ShortenNextRead(5);
            string message = TestSupport.ThrowsException(typeof(IOException), () => { imu.ReadSample(counts, 0); }).Message;
            TestSupport.Contains("5 of 14 bytes", message);
            TestSupport.Contains("register 0x3B", message);
        }

        [TestMethod]
        public void ReadSample_ChecksItsDestination()
        {
            var imu = new Mpu6050(new SimulatedMpu(SimulatedMpuModel.Mpu6050, null));
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => { imu.ReadSample(null, 0); });
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => { imu.ReadSample(new short[5], 0); });
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => { imu.ReadSample(new short[12], 7); });
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => { imu.ReadSample(new short[12], -1); });
        }
    }
}
