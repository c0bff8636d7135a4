using System;
using NanoRnn.Sensors;

namespace NanoRnn.Pipeline
{
    /// <summary>
    /// Drives an LED from the decisions: lit while the latest decision is anything but the resting
    /// class (e.g. "idle"), dark otherwise; every call is passed on to the next sink.
    /// </summary>
    public sealed class DecisionIndicator : IDecisionSink
    {
        private readonly IDigitalOutput _led;
        private readonly bool _activeHigh;
        private readonly int _restingClass;
        private readonly IDecisionSink _next;

        /// <summary>Creates the indicator; the LED starts dark.</summary>
        /// <param name="led">The LED's output.</param>
        /// <param name="activeHigh">Whether the LED lights when driven high.</param>
        /// <param name="restingClass">The class that leaves the LED dark.</param>
        /// <param name="next">The sink that also receives every call (e.g. a logger).</param>
        /// <exception cref="ArgumentNullException"><paramref name="led"/> or <paramref name="next"/> is null.</exception>
        public DecisionIndicator(IDigitalOutput led, bool activeHigh, int restingClass, IDecisionSink next)
        {
            if (led == null) throw new ArgumentNullException("led");
            if (next == null) throw new ArgumentNullException("next");
            _led = led;
            _activeHigh = activeHigh;
            _restingClass = restingClass;
            _next = next;
            _led.Write(!activeHigh);
        }

        /// <inheritdoc />
        public void OnDecision(int classIndex, int score, int margin, long sampleIndex)
        {
            _led.Write((classIndex != _restingClass) == _activeHigh);
            _next.OnDecision(classIndex, score, margin, sampleIndex);
        }

        /// <inheritdoc />
        public void OnGap(long sampleIndex, int dropped)
        {
            _led.Write(!_activeHigh);
            _next.OnGap(sampleIndex, dropped);
        }
    }
}
