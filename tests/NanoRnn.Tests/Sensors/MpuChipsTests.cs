using System.IO;
using NanoRnn.Sensors;
using NanoRnn.Simulation;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests.Sensors
{
    /// <summary>Which driver MpuChips.Open picks, the MPU-6500 family, and the MPU-6886's output limit.</summary>
    [TestClass]
    public class MpuChipsTests
    {
        [TestMethod]
        public void EachSupportedChipGetsItsDriver()
        {
            Assert.AreEqual("MPU-6050", MpuChips.Open(new SimulatedMpu(SimulatedMpuModel.Mpu6050, null)).ChipName);
            Assert.AreEqual("MPU-6500", MpuChips.Open(new SimulatedMpu(SimulatedMpuModel.Mpu6500, null)).ChipName);
            Assert.AreEqual("MPU-6886", MpuChips.Open(new SimulatedMpu(SimulatedMpuModel.Mpu6886, null)).ChipName);
            Assert.AreEqual(1024, MpuChips.Open(new SimulatedMpu(SimulatedMpuModel.Mpu6050, null)).FifoCapacity);
            Assert.AreEqual(512, MpuChips.Open(new SimulatedMpu(SimulatedMpuModel.Mpu6500, null)).FifoCapacity);
        }

        [TestMethod]
        public void RegisterCompatibleIdsAreAcceptedAndNamed()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6500, null);
            chip.PokeRegister(0x75, 0x71);
            MpuBase sensor = MpuChips.Open(chip);
            Assert.AreEqual("MPU-9250", sensor.ChipName);
            Assert.AreEqual((byte)0x71, sensor.ExpectedWhoAmI, "the supervisor checks the id that was found");
            chip.PokeRegister(0x75, 0x73);
            Assert.AreEqual("MPU-9255", MpuChips.Open(chip).ChipName);
        }

        [TestMethod]
        public void OtherIdsAreRefusedNamingTheId()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, null);
            chip.PokeRegister(0x75, 0x98);
            var e = (IOException)TestSupport.ThrowsException(typeof(IOException), () => MpuChips.Open(chip));
            TestSupport.Contains("WHO_AM_I (register 0x75) reads 0x98", e.Message);
            TestSupport.Contains("supported: 0x68 MPU-6050, 0x70 MPU-6500", e.Message);
            chip.PokeRegister(0x75, 0x68);
            TestSupport.ThrowsException(typeof(IOException), () => new Mpu6500(chip));
        }

        [TestMethod]
        public void TheMpu6500FifoHoldsFortyTwoFrames()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6500, new RampMotion());
            MpuBase sensor = MpuChips.Open(chip);
            sensor.Wake();
            sensor.DigitalLowPassFilter = 3;
            sensor.SampleRateDivider = 19;          // 50 Hz
            sensor.EnableFifo();
            chip.AdvanceSamples(42);
            var frames = new short[85 * 6];
            int read;
            Assert.IsTrue(sensor.TryReadFifoFrames(frames, 0, 85, out read));
            Assert.AreEqual(42, read);
            SensorTestHelpers.AssertRampFrames(frames, 0, 42, 0);
            chip.AdvanceSamples(43);                // 516 bytes: past 512
            Assert.IsFalse(sensor.TryReadFifoFrames(frames, 0, 85, out read), "the overflow is seen");
            Assert.AreEqual(50, sensor.SampleRateHz);
        }

        [TestMethod]
        public void TheMpu6886OutputLimitIsLiftedAtWakeAndKeptInTheConfiguration()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6886, new FullScaleMotion());
            var sensor = new Mpu6886(chip);
            sensor.Wake();
            Assert.AreEqual((byte)0x02, chip.PeekRegister(0x69), "ACCEL_INTEL_CTRL OUTPUT_LIMIT");
            sensor.DigitalLowPassFilter = 3;
            chip.AdvanceSamples(1);
            var sample = new short[6];
            sensor.ReadSample(sample, 0);
            Assert.AreEqual(32767, (int)sample[0], "full scale reaches 0x7FFF");
            Assert.AreEqual(-32768, (int)sample[3]);

            Assert.IsTrue(sensor.VerifyConfiguration());
            chip.PokeRegister(0x69, 0x00);
            Assert.IsFalse(sensor.VerifyConfiguration(), "a cleared limit bit is a lost configuration");
            sensor.RestoreConfiguration();
            Assert.AreEqual((byte)0x02, chip.PeekRegister(0x69));
        }

        [TestMethod]
        public void WithoutTheLimitBitTheSimulatedMpu6886LimitsItsOutputs()
        {
            // The driver's fix is only tested if the simulation limits outputs as the datasheet says.
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6886, new FullScaleMotion());
            chip.WriteRegister(0x6B, 0x01);         // awake, limit bit left clear
            chip.WriteRegister(0x1A, 0x03);
            chip.AdvanceSamples(1);
            Assert.AreEqual((byte)0x7F, chip.PeekRegister(0x3B));
            Assert.AreEqual((byte)0x7E, chip.PeekRegister(0x3C));
        }

        /// <summary>Every sample at the extremes: +32767 on the accelerometer, -32768 on the gyroscope.</summary>
        private sealed class FullScaleMotion : IMotionSource
        {
            public void Sample(int index, short[] counts)
            {
                for (int axis = 0; axis < 3; axis++)
                {
                    counts[axis] = short.MaxValue;
                    counts[axis + 3] = short.MinValue;
                }
            }
        }
    }
}
