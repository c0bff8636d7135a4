namespace NanoRnn.Sensors
{
    /// <summary>
    /// One digital output pin (an LED, a chip-select), owned by the project for the same reason as
    /// <see cref="IDigitalInput"/>. On the device it wraps a <c>System.Device.Gpio.GpioPin</c>
    /// opened as an output.
    /// </summary>
    public interface IDigitalOutput
    {
        /// <summary>Drives the pin.</summary>
        /// <param name="high">true for a high level, false for low.</param>
        void Write(bool high);
    }
}
