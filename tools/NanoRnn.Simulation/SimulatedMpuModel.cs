namespace NanoRnn.Simulation
{
    /// <summary>Which chip a <see cref="SimulatedMpu"/> behaves as.</summary>
    public enum SimulatedMpuModel
    {
        /// <summary>InvenSense MPU-6050 (GY-521): WHO_AM_I 0x68, 12-byte accel+gyro FIFO frames.</summary>
        Mpu6050 = 0,
        /// <summary>InvenSense MPU-6886 (M5StickC Plus, M5Atom): WHO_AM_I 0x19, 14-byte frames with temperature.</summary>
        Mpu6886 = 1,
        /// <summary>InvenSense MPU-6500 (many boards sold as GY-521): WHO_AM_I 0x70, 12-byte frames, a 512-byte FIFO.</summary>
        Mpu6500 = 2,
    }
}
