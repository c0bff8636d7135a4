using NanoRnn.Simulation;

namespace NanoRnn.Tests.Sensors
{
    /// <summary>
    /// A motion source whose every count says which sample and axis it is, negative for the first
    /// samples: count(index, axis) = 100 × index − 2000 + 7 × axis. Lets a test check that frames
    /// arrive complete, in order and with nothing skipped.
    /// </summary>
    internal sealed class RampMotion : IMotionSource
    {
        public void Sample(int index, short[] counts)
        {
            for (int axis = 0; axis < 6; axis++)
            {
                counts[axis] = Count(index, axis);
            }
        }

        internal static short Count(int index, int axis)
        {
            return (short)(100 * index - 2000 + 7 * axis);
        }
    }
}
