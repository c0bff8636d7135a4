namespace NanoRnn.Sensors
{
    /// <summary>
    /// One digital input pin (a sensor's INT line, a button), owned by the project so that drivers
    /// and the application loop run unchanged on the device, in the desktop simulation and in tests.
    /// On the device it wraps a <c>System.Device.Gpio.GpioPin</c> opened as an input.
    /// </summary>
    public interface IDigitalInput
    {
        /// <summary>Reads the pin's current level.</summary>
        /// <returns>true for a high level, false for low.</returns>
        bool Read();
    }
}
