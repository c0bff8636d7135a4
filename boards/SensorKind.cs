namespace NanoRnn.Boards
{
    /// <summary>The motion sensor a board carries.</summary>
    public enum SensorKind
    {
        /// <summary>InvenSense MPU-6050 (e.g. the GY-521 breakout).</summary>
        Mpu6050,

        /// <summary>InvenSense MPU-6886 (M5StickC Plus, M5Atom).</summary>
        Mpu6886,
    }
}
