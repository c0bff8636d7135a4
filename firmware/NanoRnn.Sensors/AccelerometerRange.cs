namespace NanoRnn.Sensors
{
    /// <summary>
    /// Accelerometer full-scale range; the value is the AFS_SEL field of ACCEL_CONFIG (RM-MPU-6000A
    /// rev 4.2 section 4.5, p. 15; ACCEL_FS_SEL on the MPU-6886). Sensitivity is 16384 counts per g
    /// at ±2 g and halves with each step (<see cref="MpuBase.AccelerometerCountsPerG"/>).
    /// </summary>
    public enum AccelerometerRange : byte
    {
        /// <summary>±2 g, 16384 counts/g.</summary>
        PlusMinus2G = 0,
        /// <summary>±4 g, 8192 counts/g.</summary>
        PlusMinus4G = 1,
        /// <summary>±8 g, 4096 counts/g.</summary>
        PlusMinus8G = 2,
        /// <summary>±16 g, 2048 counts/g.</summary>
        PlusMinus16G = 3,
    }
}
