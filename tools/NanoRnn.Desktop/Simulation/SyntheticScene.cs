using System;
using NanoRnn.Pipeline;
using NanoRnn.Simulation;

namespace NanoRnn.Desktop.Simulation
{
    /// <summary>
    /// A synthetic scene for the default gesture model: one-second windows, each idle or one gesture
    /// (shake, circle, flick, tilt), as raw MPU counts at ±2 g (16384 LSB/g) and ±250 °/s
    /// (131 LSB/(°/s)) with sensor noise — the same physics as `quantize.py demo` trains on
    /// (tools/nanornn/demo.py), from its own random generator. Counts are produced in board axes and
    /// turned into the sensor's axes with the board's mounting, as the chip would report them.
    /// </summary>
    internal sealed class SyntheticScene : IMotionSource
    {
        public static readonly string[] Gestures = { "idle", "shake", "circle", "flick", "tilt" };

        private const double AccelPerG = 16384.0;
        private const double GyroPerDps = 131.0;
        private const double AccelNoise = 80.0;
        private const double GyroNoise = 30.0;

        private readonly short[] _counts;      // samples × 6, sensor axes
        private readonly int[] _labels;        // per window

        public SyntheticScene(int windows, int windowLength, int sampleRateHz, int seed, AxisMap axes)
        {
            var random = new Random(seed);
            WindowLength = windowLength;
            _labels = new int[windows];
            _counts = new short[windows * windowLength * 6];
            var board = new double[windowLength, 6];
            for (int w = 0; w < windows; w++)
            {
                _labels[w] = random.Next(Gestures.Length);
                Window(random, _labels[w], windowLength, sampleRateHz, board);
                for (int t = 0; t < windowLength; t++)
                {
                    for (int axis = 0; axis < 6; axis++)
                    {
                        double noise = Gaussian(random) * (axis < 3 ? AccelNoise : GyroNoise);
                        double value = Math.Round(board[t, axis] + noise);
                        short count = (short)Math.Clamp(value, short.MinValue, short.MaxValue);
                        // board axis i = ±sensor axis source_i, so the sensor's source_i reads ±board i
                        int boardAxis = axis % 3;
                        int sensorAxis = (axis / 3) * 3 + axes.SourceOf(boardAxis);
                        if (axes.IsNegated(boardAxis))
                        {
                            count = count == short.MinValue ? short.MaxValue : (short)-count;
                        }

                        _counts[((w * windowLength) + t) * 6 + sensorAxis] = count;
                    }
                }
            }
        }

        public int WindowLength { get; }

        public int Samples => _labels.Length * WindowLength;

        public int Label(int window) => _labels[window];

        public void Sample(int index, short[] counts)
        {
            int row = Math.Min(index, Samples - 1);
            Array.Copy(_counts, row * 6, counts, 0, 6);
        }

        private static void Window(Random random, int label, int length, int rate, double[,] board)
        {
            double roll = Gaussian(random) * 10 * Math.PI / 180;
            double pitch = Gaussian(random) * 10 * Math.PI / 180;
            double gx = -Math.Sin(pitch), gy = Math.Sin(roll) * Math.Cos(pitch), gz = Math.Cos(roll) * Math.Cos(pitch);
            double duration = (length - 1) / (double)rate;
            double span = Uniform(random, 0.6, 0.95);
            double start = Uniform(random, 0, Math.Max(1e-3, duration - span));
            double f = Uniform(random, 1, 6), amp = Uniform(random, 0.3, 1.8), phase = Uniform(random, 0, 2 * Math.PI);
            double sign = random.Next(2) == 0 ? -1 : 1;
            double theta = Uniform(random, 40, 80) * Math.PI / 180 * sign;
            double centre = Uniform(random, 0.2, 0.8), width = Uniform(random, 0.03, 0.06);
            double[] gyroBias = { Gaussian(random) * 150, Gaussian(random) * 150, Gaussian(random) * 150 };
            double previousTheta = 0;
            for (int i = 0; i < length; i++)
            {
                double t = i / (double)rate;
                double envelope = Math.Pow(Math.Sin(Math.PI * Math.Clamp((t - start) / span, 0, 1)), 2);
                double ax = gx, ay = gy, az = gz, rx = 0, ry = 0, rz = 0;
                switch (Gestures[label])
                {
                    case "shake":
                        ax += Math.Clamp(amp, 0.5, 1.2) * envelope * Math.Sin(2 * Math.PI * Math.Max(f, 3) * t + phase);
                        rz += 40 * envelope * Math.Cos(2 * Math.PI * Math.Max(f, 3) * t);
                        break;
                    case "circle":
                        double fc = 1 + f / 6, ac = Math.Clamp(amp, 0.3, 0.8);
                        ax += ac * envelope * Math.Cos(2 * Math.PI * fc * t);
                        ay += sign * ac * envelope * Math.Sin(2 * Math.PI * fc * t);
                        rz += sign * 360 * fc * 0.3 * envelope;
                        break;
                    case "flick":
                        double bump = Math.Exp(-0.5 * Math.Pow((t - centre) / width, 2));
                        double rebound = Math.Exp(-0.5 * Math.Pow((t - centre - 2.5 * width) / (1.5 * width), 2));
                        double af = Math.Clamp(amp, 0.8, 1.8);
                        az += af * (bump - 0.6 * rebound);
                        rx += sign * 150 * af * (bump - rebound);
                        break;
                    case "tilt":
                        double angle = theta * envelope;
                        ax = -Math.Sin(angle);
                        az = Math.Cos(angle);
                        ry += (angle - previousTheta) * rate * 180 / Math.PI;
                        previousTheta = angle;
                        break;
                    default:   // idle: a hand holding the board
                        ax += Gaussian(random) * 0.01;
                        ay += Gaussian(random) * 0.01;
                        az += Gaussian(random) * 0.01;
                        break;
                }

                board[i, 0] = ax * AccelPerG;
                board[i, 1] = ay * AccelPerG;
                board[i, 2] = az * AccelPerG;
                board[i, 3] = rx * GyroPerDps + gyroBias[0];
                board[i, 4] = ry * GyroPerDps + gyroBias[1];
                board[i, 5] = rz * GyroPerDps + gyroBias[2];
            }
        }

        private static double Uniform(Random random, double low, double high)
        {
            return low + (high - low) * random.NextDouble();
        }

        private static double Gaussian(Random random)
        {
            // Box-Muller
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }
}
