namespace NanoRnn.Sensors
{
    /// <summary>
    /// InvenSense MPU-6050 six-axis accelerometer and gyroscope, as on the GY-521 breakout
    /// (I2C address 0x68 with AD0 low, 0x69 with AD0 high). Register map: RM-MPU-6000A-00 rev 4.2.
    /// </summary>
    /// <remarks>
    /// What is specific to this chip (everything else is in <see cref="MpuBase"/>):
    /// WHO_AM_I reads 0x68 whichever way AD0 is strapped (section 4.32, p. 45);
    /// FIFO frames are 12 bytes, ACCEL_XOUT..ACCEL_ZOUT then GYRO_XOUT..GYRO_ZOUT, enabled by
    /// XG/YG/ZG/ACCEL_FIFO_EN (section 4.6, p. 16);
    /// the divider always applies, to 8 kHz with DLPF_CFG 0 and 1 kHz otherwise (section 4.2, pp. 11-12),
    /// though the accelerometer itself updates at 1 kHz;
    /// temperature °C = TEMP_OUT / 340 + 36.53 (section 4.19).
    /// </remarks>
    public sealed class Mpu6050 : MpuBase
    {
        /// <summary>I2C address with AD0 tied low (the GY-521 default: AD0 has a pull-down).</summary>
        public const byte DefaultAddress = 0x68;

        /// <summary>I2C address with AD0 tied high.</summary>
        public const byte AlternateAddress = 0x69;

        /// <summary>Bytes the chip's FIFO holds.</summary>
        public const int FifoBytes = 1024;

        /// <summary>The WHO_AM_I value.</summary>
        public const byte WhoAmIValue = 0x68;

        /// <summary>
        /// Checks WHO_AM_I and reads the chip's current configuration. Changes nothing on the chip:
        /// call <see cref="MpuBase.Reset"/> and <see cref="MpuBase.Wake"/> next.
        /// </summary>
        /// <param name="bus">The chip's register bus.</param>
        /// <exception cref="System.ArgumentNullException"><paramref name="bus"/> is null.</exception>
        /// <exception cref="System.IO.IOException">
        /// The bus failed (no device at the address), or WHO_AM_I is not 0x68; the message names the value read.
        /// </exception>
        public Mpu6050(IRegisterBus bus)
            : base(
                bus,
                "MPU-6050",
                WhoAmIValue,
                RegisterBits.FifoEnable.Mpu6050AccelAndGyro,
                12,
                FifoBytes,
                false,
                false,
                false,
                100,
                340,
                3653)
        {
        }
    }
}
