using System.Device.Gpio;
using NanoRnn.Sensors;

namespace NanoRnn.App
{
    /// <summary>A <see cref="GpioPin"/> opened as an output, as the pipeline's <see cref="IDigitalOutput"/>.</summary>
    internal sealed class GpioDigitalOutput : IDigitalOutput
    {
        private readonly GpioPin _pin;

        public GpioDigitalOutput(GpioPin pin)
        {
            _pin = pin;
        }

        public void Write(bool high)
        {
            _pin.Write(high ? PinValue.High : PinValue.Low);
        }
    }
}
