namespace NanoRnn.Boards
{
    /// <summary>M5StickC Plus with its built-in MPU-6886; pins and their sources in m5stickc-plus/README.md.</summary>
    internal static class M5StickCPlus
    {
        internal static BoardDescription Create()
        {
            return new BoardDescription
            {
                Name = "m5stickc-plus",
                I2cBusId = 1,
                I2cDataPin = 21,               // internal bus shared with the AXP192 PMIC (0x34) and the BM8563 RTC (0x51)
                I2cClockPin = 22,
                SensorKind = SensorKind.Mpu6886,
                SensorAddress = 0x68,
                XSource = 0, XNegate = false,  // models are trained on the stick's own IMU frame
                YSource = 1, YNegate = false,
                ZSource = 2, ZNegate = false,
                ButtonPin = 37,                // button A (the M5 button), input-only GPIO, reads low when pressed
                ButtonActiveHigh = false,
                LedPin = 10,                   // red LED, lit when driven low
                LedActiveHigh = false,
                DigitalInputPins = new int[0],
                FlashPins = new int[] { 6, 7, 8, 11, 16, 17 },  // ESP32-PICO-D4's embedded flash
            };
        }
    }
}
