namespace NanoRnn.Sensors
{
    /// <summary>
    /// InvenSense MPU-6886 six-axis accelerometer and gyroscope, as in the M5StickC Plus and M5Atom
    /// (I2C address 0x68). Datasheet: DS-000193 rev 1.1. A relative of the ICM-20602 whose register
    /// map mostly matches the MPU-6050's.
    /// </summary>
    /// <remarks>
    /// What is specific to this chip (everything else is in <see cref="MpuBase"/>):
    /// WHO_AM_I reads 0x19;
    /// ACCEL_CONFIG2 (0x1D) holds the accelerometer's own low-pass filter, which
    /// <see cref="MpuBase.DigitalLowPassFilter"/> sets along with the gyroscope's;
    /// FIFO_EN has one GYRO_FIFO_EN bit for all three axes, and the chip writes TEMP_OUT into the FIFO
    /// with accelerometer or gyroscope data, so frames are 14 bytes (accel, temperature, gyro);
    /// CONFIG resets to 0x80 with bit 7 to be cleared by the user, and its bit 6 is FIFO_MODE;
    /// SMPLRT_DIV only applies with DLPF_CFG 1..6 (with 0 or 7 the rate is 8 kHz);
    /// temperature °C = TEMP_OUT / 326.8 + 25; PWR_MGMT_1 resets to 0x41 (asleep, CLKSEL auto);
    /// ACCEL_INTEL_CTRL (0x69) OUTPUT_LIMIT must be set at every power-up, or outputs stop below 0x7F7F:
    /// <see cref="MpuBase.Wake"/> sets it, and it is part of the configuration verified and restored.
    /// </remarks>
    public sealed class Mpu6886 : MpuBase
    {
        /// <summary>The chip's I2C address (AD0 low, as wired on M5Stack boards).</summary>
        public const byte DefaultAddress = 0x68;

        /// <summary>Bytes the chip's FIFO holds.</summary>
        public const int FifoBytes = 1024;

        /// <summary>The WHO_AM_I value.</summary>
        public const byte WhoAmIValue = 0x19;

        /// <summary>
        /// Checks WHO_AM_I and reads the chip's current configuration. Changes nothing on the chip:
        /// call <see cref="MpuBase.Reset"/> and <see cref="MpuBase.Wake"/> next.
        /// </summary>
        /// <param name="bus">The chip's register bus.</param>
        /// <exception cref="System.ArgumentNullException"><paramref name="bus"/> is null.</exception>
        /// <exception cref="System.IO.IOException">
        /// The bus failed (no device at the address), or WHO_AM_I is not 0x19; the message names the value read.
        /// </exception>
        public Mpu6886(IRegisterBus bus)
            : base(
                bus,
                "MPU-6886",
                WhoAmIValue,
                RegisterBits.FifoEnable.Mpu6886AccelAndGyro,
                14,
                FifoBytes,
                true,
                true,
                true,
                1000,
                3268,
                2500)
        {
        }
    }
}
