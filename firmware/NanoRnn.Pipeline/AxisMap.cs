using System;

namespace NanoRnn.Pipeline
{
    /// <summary>
    /// How a sensor is mounted on its board: board axis i reads ±sensor axis <c>source_i</c>. The same
    /// map applies to the accelerometer and the gyroscope (they share the chip's frame). Boards
    /// describe their mounting in <c>boards/</c>; models are trained in board axes.
    /// </summary>
    public sealed class AxisMap
    {
        private readonly int[] _source = new int[3];
        private readonly bool[] _negate = new bool[3];

        /// <summary>Creates a map from three (sensor axis, negate) pairs, one per board axis x, y, z.</summary>
        /// <param name="xSource">Sensor axis (0 = x, 1 = y, 2 = z) read as board x.</param>
        /// <param name="xNegate">Whether board x is minus that axis.</param>
        /// <param name="ySource">Sensor axis read as board y.</param>
        /// <param name="yNegate">Whether board y is minus that axis.</param>
        /// <param name="zSource">Sensor axis read as board z.</param>
        /// <param name="zNegate">Whether board z is minus that axis.</param>
        /// <exception cref="ArgumentException">The sources are not a permutation of 0, 1, 2.</exception>
        public AxisMap(int xSource, bool xNegate, int ySource, bool yNegate, int zSource, bool zNegate)
        {
            if (xSource < 0 || xSource > 2 || ySource < 0 || ySource > 2 || zSource < 0 || zSource > 2
                || xSource == ySource || ySource == zSource || xSource == zSource)
            {
                throw new ArgumentException("axis sources must be a permutation of 0, 1, 2");
            }

            _source[0] = xSource;
            _source[1] = ySource;
            _source[2] = zSource;
            _negate[0] = xNegate;
            _negate[1] = yNegate;
            _negate[2] = zNegate;
        }

        /// <summary>Sensor axes are board axes.</summary>
        public static AxisMap Identity
        {
            get { return new AxisMap(0, false, 1, false, 2, false); }
        }

        /// <summary>The sensor axis (0..2) read as board axis <paramref name="boardAxis"/>.</summary>
        /// <param name="boardAxis">0 = x, 1 = y, 2 = z.</param>
        /// <returns>The sensor axis.</returns>
        public int SourceOf(int boardAxis)
        {
            return _source[boardAxis];
        }

        /// <summary>Whether board axis <paramref name="boardAxis"/> is minus its sensor axis.</summary>
        /// <param name="boardAxis">0 = x, 1 = y, 2 = z.</param>
        /// <returns>True when negated.</returns>
        public bool IsNegated(int boardAxis)
        {
            return _negate[boardAxis];
        }
    }
}
