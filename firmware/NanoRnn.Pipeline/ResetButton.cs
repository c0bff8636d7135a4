using System;
using NanoRnn.Sensors;

namespace NanoRnn.Pipeline
{
    /// <summary>
    /// A push button that resets the model state: each press (released → pressed, seen by
    /// <see cref="Poll"/>) asks the pipeline to reset before its next sample. Polling at the
    /// sampling loop's pace (tens of milliseconds) also debounces the contact.
    /// </summary>
    public sealed class ResetButton
    {
        private readonly IDigitalInput _pin;
        private readonly bool _activeHigh;
        private readonly SamplingPipeline _pipeline;
        private bool _wasPressed;

        /// <summary>Watches <paramref name="pin"/> for presses.</summary>
        /// <param name="pin">The button's input.</param>
        /// <param name="activeHigh">Whether the pin reads high while pressed.</param>
        /// <param name="pipeline">The pipeline to reset.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        public ResetButton(IDigitalInput pin, bool activeHigh, SamplingPipeline pipeline)
        {
            if (pin == null) throw new ArgumentNullException("pin");
            if (pipeline == null) throw new ArgumentNullException("pipeline");
            _pin = pin;
            _activeHigh = activeHigh;
            _pipeline = pipeline;
            _wasPressed = pin.Read() == activeHigh;   // held at start-up is not a press
        }

        /// <summary>Presses seen so far.</summary>
        public int Presses { get; private set; }

        /// <summary>Reads the pin once; on a new press requests a reset.</summary>
        /// <returns>True when this call saw a new press.</returns>
        public bool Poll()
        {
            bool pressed = _pin.Read() == _activeHigh;
            bool newPress = pressed && !_wasPressed;
            _wasPressed = pressed;
            if (newPress)
            {
                Presses++;
                _pipeline.RequestReset();
            }

            return newPress;
        }
    }
}
