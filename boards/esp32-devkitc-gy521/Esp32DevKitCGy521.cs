namespace NanoRnn.Boards
{
    /// <summary>ESP32-DevKitC with a GY-521 (MPU-6050) breakout; wiring and sources in esp32-devkitc-gy521/README.md.</summary>
    internal static class Esp32DevKitCGy521
    {
        internal static BoardDescription Create()
        {
            return new BoardDescription
            {
                Name = "esp32-devkitc-gy521",
                I2cBusId = 1,
                I2cDataPin = 21,
                I2cClockPin = 22,
                SensorKind = SensorKind.Mpu6050,
                SensorAddress = 0x68,          // AD0 pulled low on the GY-521
                XSource = 0, XNegate = false,  // breakout flat, parallel to the DevKitC: axes as printed
                YSource = 1, YNegate = false,
                ZSource = 2, ZNegate = false,
                ButtonPin = 0,                 // the DevKitC's BOOT button, to ground
                ButtonActiveHigh = false,
                LedPin = 2,                    // an external LED and 330 Ω resistor to ground (the DevKitC has no user LED)
                LedActiveHigh = true,
                DigitalInputPins = new int[] { 4 },
                FlashPins = new int[] { 6, 7, 8, 9, 10, 11 },   // ESP32-WROOM-32
            };
        }
    }
}
