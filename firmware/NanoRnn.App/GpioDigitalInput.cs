using System.Device.Gpio;
using NanoRnn.Sensors;

namespace NanoRnn.App
{
    /// <summary>A <see cref="GpioPin"/> opened as an input, as the pipeline's <see cref="IDigitalInput"/>.</summary>
    internal sealed class GpioDigitalInput : IDigitalInput
    {
        private readonly GpioPin _pin;

        public GpioDigitalInput(GpioPin pin)
        {
            _pin = pin;
        }

        public bool Read()
        {
            return _pin.Read() == PinValue.High;
        }
    }
}
