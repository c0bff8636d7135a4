namespace NanoRnn
{
    /// <summary>
    /// Where an input channel comes from (the blob's <c>channel_source</c>, docs/model-format.md), so
    /// the application assembles the feature vector in the order the model was trained with. Values
    /// are raw sensor counts in the board's axis orientation; see <see cref="RnnModel.GetChannelSource"/>.
    /// </summary>
    public static class ChannelSource
    {
        /// <summary>Not recorded by the exporter.</summary>
        public const int Unspecified = 0;

        /// <summary>Accelerometer X axis.</summary>
        public const int AccelerometerX = 1;

        /// <summary>Accelerometer Y axis.</summary>
        public const int AccelerometerY = 2;

        /// <summary>Accelerometer Z axis.</summary>
        public const int AccelerometerZ = 3;

        /// <summary>Gyroscope X axis.</summary>
        public const int GyroscopeX = 4;

        /// <summary>Gyroscope Y axis.</summary>
        public const int GyroscopeY = 5;

        /// <summary>Gyroscope Z axis.</summary>
        public const int GyroscopeZ = 6;

        /// <summary>Temperature sensor.</summary>
        public const int Temperature = 7;

        /// <summary><c>DigitalInputBase + n</c> is the board's digital input n (level 0 or 1).</summary>
        public const int DigitalInputBase = 32;

        /// <summary>Number of digital inputs a blob can name (n = 0 .. 31).</summary>
        public const int DigitalInputCount = 32;

        /// <summary>Whether a blob may contain this code.</summary>
        /// <param name="source">A channel source code.</param>
        /// <returns>True for 0..7 and 32..63.</returns>
        public static bool IsKnown(int source)
        {
            return (source >= Unspecified && source <= Temperature)
                || (source >= DigitalInputBase && source < DigitalInputBase + DigitalInputCount);
        }
    }
}
