using NanoRnn.Sensors;

namespace NanoRnn.Simulation
{
    /// <summary>
    /// A digital pin in the simulation: the application reads or drives it through
    /// <see cref="IDigitalInput"/> / <see cref="IDigitalOutput"/>, the test or a simulated device
    /// through <see cref="Level"/>.
    /// </summary>
    public sealed class SimulatedPin : IDigitalInput, IDigitalOutput
    {
        private bool _level;
        private int _transitions;

        /// <summary>Creates a pin at a low level.</summary>
        public SimulatedPin()
        {
        }

        /// <summary>Creates a pin at the given level.</summary>
        /// <param name="high">Initial level.</param>
        public SimulatedPin(bool high)
        {
            _level = high;
        }

        /// <summary>The pin's level; setting it to a different value counts a transition.</summary>
        public bool Level
        {
            get { return _level; }
            set
            {
                if (value != _level)
                {
                    _level = value;
                    _transitions++;
                }
            }
        }

        /// <summary>How many times the level has changed.</summary>
        public int Transitions
        {
            get { return _transitions; }
        }

        /// <summary>Reads <see cref="Level"/>.</summary>
        /// <returns>true for high.</returns>
        public bool Read()
        {
            return _level;
        }

        /// <summary>Sets <see cref="Level"/>.</summary>
        /// <param name="high">true for high.</param>
        public void Write(bool high)
        {
            Level = high;
        }
    }
}
