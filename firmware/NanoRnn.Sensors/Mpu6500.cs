namespace NanoRnn.Sensors
{
    /// <summary>
    /// InvenSense MPU-6500 and its relatives that share its register map (MPU-9250 and MPU-9255, which
    /// add a magnetometer this driver leaves alone), as found on many boards sold as GY-521 (I2C address
    /// 0x68 with AD0 low, 0x69 with AD0 high). Register map: RM-MPU-6500A-00 rev 2.1.
    /// </summary>
    /// <remarks>
    /// What is specific to this family (everything else is in <see cref="MpuBase"/>):
    /// WHO_AM_I reads 0x70 (MPU-6500), 0x71 (MPU-9250) or 0x73 (MPU-9255);
    /// the FIFO holds 512 bytes, so the 12-byte frames (FIFO_EN laid out as on the MPU-6050) fill it in
    /// 42 samples: 0.85 s at 50 Hz;
    /// ACCEL_CONFIG2 (0x1D) holds the accelerometer's own low-pass filter, set with the gyroscope's;
    /// SMPLRT_DIV only applies with DLPF_CFG 1..6 (with 0 or 7 the rate is 8 kHz), as on the MPU-6886;
    /// temperature °C = TEMP_OUT / 333.87 + 21; PWR_MGMT_1 resets to 0x01 (awake, CLKSEL auto).
    /// </remarks>
    public sealed class Mpu6500 : MpuBase
    {
        /// <summary>WHO_AM_I of an MPU-6500.</summary>
        public const byte WhoAmIMpu6500 = 0x70;

        /// <summary>WHO_AM_I of an MPU-9250 (an MPU-6500 with an AK8963 magnetometer in the package).</summary>
        public const byte WhoAmIMpu9250 = 0x71;

        /// <summary>WHO_AM_I of an MPU-9255.</summary>
        public const byte WhoAmIMpu9255 = 0x73;

        /// <summary>Bytes the chip's FIFO holds.</summary>
        public const int FifoBytes = 512;

        /// <summary>
        /// Checks that WHO_AM_I names a chip of the family and reads the chip's current configuration.
        /// Changes nothing on the chip: call <see cref="MpuBase.Reset"/> and <see cref="MpuBase.Wake"/> next.
        /// </summary>
        /// <param name="bus">The chip's register bus.</param>
        /// <exception cref="System.ArgumentNullException"><paramref name="bus"/> is null.</exception>
        /// <exception cref="System.IO.IOException">
        /// The bus failed (no device at the address), or WHO_AM_I is not 0x70, 0x71 or 0x73; the message names the value read.
        /// </exception>
        public Mpu6500(IRegisterBus bus)
            : base(
                bus,
                ChipNameOf(bus),
                FamilyMember(bus),
                RegisterBits.FifoEnable.Mpu6050AccelAndGyro,
                12,
                FifoBytes,
                false,
                true,
                true,
                10000,
                33387,
                2100)
        {
        }

        /// <summary>Whether <paramref name="whoAmI"/> is the WHO_AM_I of a chip this driver runs.</summary>
        /// <param name="whoAmI">A WHO_AM_I value.</param>
        /// <returns>True for 0x70, 0x71 and 0x73.</returns>
        public static bool IsFamilyMember(byte whoAmI)
        {
            return whoAmI == WhoAmIMpu6500 || whoAmI == WhoAmIMpu9250 || whoAmI == WhoAmIMpu9255;
        }

        internal static string NameOf(byte whoAmI)
        {
            switch (whoAmI)
            {
                case WhoAmIMpu9250:
                    return "MPU-9250";
                case WhoAmIMpu9255:
                    return "MPU-9255";
                default:
                    return "MPU-6500";
            }
        }

        // The id the base constructor checks WHO_AM_I against: the one read when it is of the family,
        // else the MPU-6500's, so that the base refuses the chip naming what it read. A null bus reads
        // nothing here and is refused by the base.
        private static byte FamilyMember(IRegisterBus bus)
        {
            if (bus == null)
            {
                return WhoAmIMpu6500;
            }

            byte whoAmI = bus.ReadRegister((byte)Register.WhoAmI);
            return IsFamilyMember(whoAmI) ? whoAmI : WhoAmIMpu6500;
        }

        private static string ChipNameOf(IRegisterBus bus)
        {
            return bus == null ? "MPU-6500" : NameOf(bus.ReadRegister((byte)Register.WhoAmI));
        }
    }
}
