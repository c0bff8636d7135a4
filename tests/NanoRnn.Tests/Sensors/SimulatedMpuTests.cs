#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System;
using System.IO;
using NanoRnn.Simulation;

namespace NanoRnn.Tests.Sensors
{
    /// <summary>
    /// The simulated chip on its own, at the register level, against the datasheets: what the driver
    /// tests rely on it to get right.
    /// </summary>
    [TestClass]
    public class SimulatedMpuTests
    {
        [TestMethod]
        public void PowerOnValues_FollowTheDatasheets()
        {
            var mpu6050 = new SimulatedMpu(SimulatedMpuModel.Mpu6050, null);
            Assert.AreEqual(0x68, (int)mpu6050.ReadRegister(0x75), "WHO_AM_I");
            Assert.AreEqual(0x40, (int)mpu6050.ReadRegister(0x6B), "PWR_MGMT_1: asleep");
            Assert.AreEqual(0x00, (int)mpu6050.ReadRegister(0x1A), "CONFIG");

            var mpu6886 = new SimulatedMpu(SimulatedMpuModel.Mpu6886, null);
            Assert.AreEqual(0x19, (int)mpu6886.ReadRegister(0x75), "WHO_AM_I");
            Assert.AreEqual(0x41, (int)mpu6886.ReadRegister(0x6B), "PWR_MGMT_1: asleep, CLKSEL = 1");
            Assert.AreEqual(0x80, (int)mpu6886.ReadRegister(0x1A), "CONFIG");
        }

        [TestMethod]
        public void AsleepChip_TakesNoSamples()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, new RampMotion());
            chip.AdvanceMicroseconds(100000);
            Assert.AreEqual(0, chip.SamplesTaken);
            chip.WriteRegister(0x6B, 0x01);
            chip.AdvanceMicroseconds(10000);
            Assert.AreEqual(80, chip.SamplesTaken, "8 kHz with CONFIG = 0 and SMPLRT_DIV = 0");
        }

        [TestMethod]
        public void ReadOnlyRegisters_IgnoreWrites()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, null);
            chip.WriteRegister(0x75, 0x00);
            chip.WriteRegister(0x3B, 0x55);
            Assert.AreEqual(0x68, (int)chip.ReadRegister(0x75));
            Assert.AreEqual(0x00, (int)chip.ReadRegister(0x3B));
        }

        [TestMethod]
        public void DeviceReset_RestoresDefaults()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, null);
            chip.WriteRegister(0x1B, 0x18);
            chip.WriteRegister(0x6B, 0x80);
            Assert.AreEqual(0x00, (int)chip.ReadRegister(0x1B));
            Assert.AreEqual(0x40, (int)chip.ReadRegister(0x6B), "DEVICE_RESET clears itself; SLEEP set");
        }

        [TestMethod]
        public void FifoBurst_PopsFrameBytesInRegisterOrder()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, new RampMotion());
            chip.WriteRegister(0x6B, 0x01);
            chip.WriteRegister(0x1A, 0x01);
            chip.WriteRegister(0x23, 0xF8);     // TEMP + XG + YG + ZG + ACCEL
            chip.WriteRegister(0x6A, 0x40);
            chip.TemperatureRaw = 0x0102;
            chip.AdvanceSamples(2);

            byte[] count = new byte[2];
            chip.ReadRegisters(0x72, count, 0, 2);
            Assert.AreEqual(28, (count[0] << 8) | count[1], "two 14-byte frames");

            byte[] frame = new byte[14];
            chip.ReadRegisters(0x74, frame, 0, 14);
            short ax = (short)((frame[0] << 8) | frame[1]);
            short gz = (short)((frame[12] << 8) | frame[13]);
            Assert.AreEqual((int)RampMotion.Count(0, 0), (int)ax);
            Assert.AreEqual(0x01, (int)frame[6], "TEMP_OUT_H after the accelerometer");
            Assert.AreEqual(0x02, (int)frame[7]);
            Assert.AreEqual((int)RampMotion.Count(0, 5), (int)gz);
            Assert.AreEqual(14, chip.FifoCount);
        }

        [TestMethod]
        public void FifoCountLow_IsLatchedByReadingHigh()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, new RampMotion());
            chip.WriteRegister(0x6B, 0x01);
            chip.WriteRegister(0x23, 0x08);     // ACCEL only: 6 bytes per sample
            chip.WriteRegister(0x6A, 0x40);
            chip.AdvanceSamples(3);
            Assert.AreEqual(0, (int)chip.ReadRegister(0x73), "FIFO_COUNTL alone shows the stale latch");
            Assert.AreEqual(0, (int)chip.ReadRegister(0x72));
            Assert.AreEqual(18, (int)chip.ReadRegister(0x73));
        }

        [TestMethod]
        public void Mpu6050FifoReset_NeedsFifoEnClear()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, new RampMotion());
            chip.WriteRegister(0x6B, 0x01);
            chip.WriteRegister(0x23, 0x08);
            chip.WriteRegister(0x6A, 0x40);
            chip.AdvanceSamples(2);
            chip.WriteRegister(0x6A, 0x44);     // FIFO_RESET with FIFO_EN still set: ignored (rev 4.2 section 4.27)
            Assert.AreEqual(12, chip.FifoCount);
            chip.WriteRegister(0x6A, 0x04);
            Assert.AreEqual(0, chip.FifoCount);
            Assert.AreEqual(0, (int)chip.ReadRegister(0x6A), "FIFO_RESET clears itself");
        }

        [TestMethod]
        public void Mpu6886FifoMode_KeepsTheOldestData()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6886, new RampMotion());
            chip.WriteRegister(0x6B, 0x01);
            chip.WriteRegister(0x1A, 0x41);     // FIFO_MODE = 1, DLPF_CFG = 1
            chip.WriteRegister(0x38, 0x10);
            chip.WriteRegister(0x23, 0x08);     // ACCEL_FIFO_EN: accel + temperature, 8 bytes
            chip.WriteRegister(0x6A, 0x40);
            chip.AdvanceSamples(130);           // 1040 bytes offered
            Assert.AreEqual(1024, chip.FifoCount);
            Assert.AreEqual(0x10, (int)chip.ReadRegister(0x3A), "FIFO_OFLOW_INT");

            byte[] first = new byte[2];
            chip.ReadRegisters(0x74, first, 0, 2);
            Assert.AreEqual((int)RampMotion.Count(0, 0), (int)(short)((first[0] << 8) | first[1]), "sample 0 was kept");
        }

        [TestMethod]
        public void InterruptStatus_ClearsOnAnyReadWithIntRdClear()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, null);
            chip.WriteRegister(0x6B, 0x01);
            chip.WriteRegister(0x38, 0x01);
            chip.WriteRegister(0x37, 0x10);     // INT_RD_CLEAR
            chip.AdvanceSamples(1);
            Assert.IsTrue(chip.InterruptPin.Read());
            chip.ReadRegister(0x3B);
            Assert.IsFalse(chip.InterruptPin.Read());
            Assert.AreEqual(0, (int)chip.ReadRegister(0x3A));
        }

        [TestMethod]
        public void Faults_AreIOExceptionsNamingAddressAndRegister()
        {
            var chip = new SimulatedMpu(SimulatedMpuModel.Mpu6050, null);
            TestSupport.ThrowsException(typeof(IOException), () => { chip.ReadRegister(0x80); });
            chip.FailNextTransfers(2);
            TestSupport.ThrowsException(typeof(IOException), () => { chip.WriteRegister(0x6B, 0x01); });
            string message = TestSupport.ThrowsException(typeof(IOException), () => { chip.ReadRegister(0x75); }).Message;
            TestSupport.Contains("0x68", message);
            TestSupport.Contains("register 0x75", message);
            Assert.AreEqual(0x40, (int)chip.ReadRegister(0x6B), "the NACKed write had no effect");
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => { chip.ReadRegisters(0x3B, new byte[4], 2, 3); });
        }

        [TestMethod]
        public void Pin_CountsTransitions()
        {
            var pin = new SimulatedPin();
            pin.Write(true);
            pin.Write(true);
            pin.Write(false);
            Assert.IsFalse(pin.Read());
            Assert.AreEqual(2, pin.Transitions);
        }
    }
}
