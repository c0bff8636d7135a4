namespace NanoRnn.Sensors
{
    // Register addresses shared by the MPU-6050 and the MPU-6886. Sources:
    //   [RM6050] InvenSense RM-MPU-6000A-00 "MPU-6000 and MPU-6050 Register Map and Descriptions",
    //            revision 4.2 (08/19/2013): register map in section 3 (pp. 6-8), descriptions in section 4.
    //   [DS6886] InvenSense DS-000193 "MPU-6886 High-Performance 6-Axis MEMS MotionTracking Device",
    //            revision 1.1 (03/29/2017): register map and register descriptions.
    // Where the two chips disagree the difference is written next to the value and in README.md.

    /// <summary>MPU-6050 / MPU-6886 register addresses; the datasheet mnemonic is beside each value.</summary>
    internal enum Register : byte
    {
        SampleRateDivider = 0x19,     // SMPLRT_DIV    [RM6050] 4.2 (pp. 11-12)
        Configuration = 0x1A,         // CONFIG        [RM6050] 4.3 (p. 13); MPU-6886 adds FIFO_MODE (bit 6), resets to 0x80
        GyroscopeConfiguration = 0x1B, // GYRO_CONFIG  [RM6050] 4.4 (p. 14); MPU-6886 adds FCHOICE_B[1:0]
        AccelerometerConfiguration = 0x1C, // ACCEL_CONFIG [RM6050] 4.5 (p. 15)
        AccelerometerConfiguration2 = 0x1D, // ACCEL_CONFIG2 [DS6886] only: accelerometer DLPF, averaging; reserved on MPU-6050
        FifoEnable = 0x23,            // FIFO_EN       [RM6050] 4.6 (p. 16); bit layout differs, see RegisterBits.FifoEnable
        InterruptPinConfiguration = 0x37, // INT_PIN_CFG [RM6050] 4.15
        InterruptEnable = 0x38,       // INT_ENABLE    [RM6050] 4.16
        InterruptStatus = 0x3A,       // INT_STATUS    [RM6050] 4.17; cleared by reading it
        AccelerometerXHigh = 0x3B,    // ACCEL_XOUT_H  [RM6050] 4.18; first byte of the 14-byte sample burst
        TemperatureHigh = 0x41,       // TEMP_OUT_H    [RM6050] 4.19
        GyroscopeXHigh = 0x43,        // GYRO_XOUT_H   [RM6050] 4.20
        SignalPathReset = 0x68,
        AccelerometerIntelligenceControl = 0x69, // ACCEL_INTEL_CTRL [DS6886] only: OUTPUT_LIMIT (bit 1); MOT_DETECT_CTRL on MPU-6050       // SIGNAL_PATH_RESET [RM6050] 4.26
        UserControl = 0x6A,           // USER_CTRL     [RM6050] 4.27
        PowerManagement1 = 0x6B,      // PWR_MGMT_1    [RM6050] 4.28; resets to 0x40 (MPU-6050), 0x41 (MPU-6886)
        PowerManagement2 = 0x6C,      // PWR_MGMT_2    [RM6050] 4.29
        FifoCountHigh = 0x72,         // FIFO_COUNTH   [RM6050] 4.30 (p. 43); reading it latches FIFO_COUNTL
        FifoCountLow = 0x73,          // FIFO_COUNTL   [RM6050] 4.30 (p. 43)
        FifoReadWrite = 0x74,         // FIFO_R_W      [RM6050] 4.31 (p. 44); a burst read here pops the FIFO
        WhoAmI = 0x75,                // WHO_AM_I      [RM6050] 4.32 (p. 45): 0x68; [DS6886]: 0x19
    }

    /// <summary>Bit fields of the registers above, each named once.</summary>
    internal static class RegisterBits
    {
        /// <summary>CONFIG (0x1A).</summary>
        internal static class Configuration
        {
            // Bits above DLPF_CFG, all written 0 by this driver: EXT_SYNC_SET[5:3] (FSYNC unused); MPU-6886 only:
            // FIFO_MODE (bit 6; 1 = stop writing when full, 0 = overwrite oldest) and bit 7 (1 after reset, "user should clear").
            internal const byte DlpfMask = 0x07;        // DLPF_CFG[2:0]
        }

        /// <summary>GYRO_CONFIG (0x1B) and ACCEL_CONFIG (0x1C): full-scale select in bits [4:3].</summary>
        internal static class FullScale
        {
            internal const int Shift = 3;               // FS_SEL[1:0] / AFS_SEL[1:0] (ACCEL_FS_SEL on MPU-6886)
            internal const byte Mask = 0x18;
        }

        /// <summary>ACCEL_CONFIG2 (0x1D), MPU-6886 only.</summary>
        internal static class AccelerometerConfiguration2
        {
            internal const byte DlpfMask = 0x07;        // A_DLPF_CFG[2:0]; ACCEL_FCHOICE_B (bit 3) = 0 selects it
        }

        /// <summary>FIFO_EN (0x23). The two chips lay this register out differently.</summary>
        internal static class FifoEnable
        {
            // MPU-6050 [RM6050] 4.6: TEMP_FIFO_EN 0x80, XG_FIFO_EN 0x40, YG_FIFO_EN 0x20, ZG_FIFO_EN 0x10,
            // ACCEL_FIFO_EN 0x08, SLV2/1/0_FIFO_EN 0x04/0x02/0x01. Accel + three gyro axes = 12-byte frames.
            internal const byte Mpu6050AccelAndGyro = 0x78;
            // MPU-6886 [DS6886] FIFO_EN: GYRO_FIFO_EN 0x10 (all three axes), ACCEL_FIFO_EN 0x08. The chip
            // writes TEMP_OUT with them, so a frame is ACCEL(6) TEMP(2) GYRO(6) = 14 bytes.
            internal const byte Mpu6886AccelAndGyro = 0x18;
        }

        /// <summary>INT_PIN_CFG (0x37): same positions on both chips for the bits used here.</summary>
        internal static class InterruptPin
        {
            internal const byte ActiveLow = 0x80;       // INT_LEVEL
            internal const byte OpenDrain = 0x40;       // INT_OPEN
            internal const byte Latch = 0x20;           // LATCH_INT_EN: hold INT until status is cleared (else a 50 us pulse)
            internal const byte ClearOnAnyRead = 0x10;  // INT_RD_CLEAR
        }

        /// <summary>INT_ENABLE (0x38) and INT_STATUS (0x3A): same positions on both chips.</summary>
        internal static class Interrupt
        {
            internal const byte FifoOverflow = 0x10;    // FIFO_OFLOW_EN / FIFO_OFLOW_INT
            internal const byte DataReady = 0x01;       // DATA_RDY_EN (DATA_RDY_INT_EN on MPU-6886) / DATA_RDY_INT
        }

        /// <summary>ACCEL_INTEL_CTRL (0x69), MPU-6886 only.</summary>
        internal static class AccelerometerIntelligence
        {
            internal const byte OutputLimit = 0x02;     // OUTPUT_LIMIT: 1 = outputs reach 0x7FFF (0 limits them below 0x7F7F)
        }

        /// <summary>USER_CTRL (0x6A).</summary>
        internal static class UserControl
        {
            internal const byte FifoEnable = 0x40;      // FIFO_EN
            internal const byte FifoReset = 0x04;       // FIFO_RESET (FIFO_RST on MPU-6886); clears itself
            internal const byte SelfClearing = 0x07;    // FIFO_RESET, I2C_MST_RESET, SIG_COND_RESET: read back as 0
        }

        /// <summary>PWR_MGMT_1 (0x6B).</summary>
        internal static class PowerManagement1
        {
            internal const byte DeviceReset = 0x80;     // DEVICE_RESET; clears itself when the reset is done
            internal const byte Sleep = 0x40;           // SLEEP; set after reset on both chips
            // CLKSEL = 1: PLL with the X gyro as reference (MPU-6050, recommended over the 8 MHz RC oscillator
            // by the product specification) / auto-select PLL (MPU-6886). Same value on both.
            internal const byte ClockPll = 0x01;
        }
    }
}
