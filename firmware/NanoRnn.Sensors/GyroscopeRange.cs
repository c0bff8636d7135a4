namespace NanoRnn.Sensors
{
    /// <summary>
    /// Gyroscope full-scale range; the value is the FS_SEL field of GYRO_CONFIG (RM-MPU-6000A rev 4.2
    /// section 4.4, p. 14). Sensitivity is 131 counts per °/s at ±250 °/s and halves with each step
    /// (65.5, 32.8, 16.4; <see cref="MpuBase.GyroscopeCountsPer10DegreesPerSecond"/>).
    /// </summary>
    public enum GyroscopeRange : byte
    {
        /// <summary>±250 °/s, 131 counts per °/s.</summary>
        PlusMinus250Dps = 0,
        /// <summary>±500 °/s, 65.5 counts per °/s.</summary>
        PlusMinus500Dps = 1,
        /// <summary>±1000 °/s, 32.8 counts per °/s.</summary>
        PlusMinus1000Dps = 2,
        /// <summary>±2000 °/s, 16.4 counts per °/s.</summary>
        PlusMinus2000Dps = 3,
    }
}
