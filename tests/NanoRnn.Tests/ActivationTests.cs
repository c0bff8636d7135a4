#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>
    /// Sigmoid and tanh through the public API over every int16 input: endpoints, monotonicity and the
    /// interpolation rule of docs/model-format.md. All exact; the accuracy against float is in
    /// ActivationAccuracyHostTests (nanoFramework's mscorlib has no Math.Exp).
    /// </summary>
    [TestClass]
    public class ActivationTests
    {
        // The tables' last entry (x = +8) sits at Q3.12 32768, one past int16: the public API reaches
        // it only by interpolation, so its value is written here (docs formula, tools/quantize.py tables).
        private const int SigmoidAtPlus8 = 32757;
        private const int TanhAtPlus8 = 32767;

        [TestMethod]
        public void Sigmoid_endpoints_and_centre()
        {
            Assert.AreEqual(11, (int)Activation.Sigmoid(-32768), "x = -8");
            Assert.AreEqual(32757, (int)Activation.Sigmoid(32767), "x = 8 - 2^-12");
            Assert.AreEqual(16384, (int)Activation.Sigmoid(0), "x = 0 -> 0.5");
            Assert.AreEqual(16128, (int)Activation.Sigmoid(-128), "x = -1/32 (table point 255)");
            Assert.AreEqual(16640, (int)Activation.Sigmoid(128), "x = 1/32 (table point 257)");
        }

        [TestMethod]
        public void Tanh_endpoints_and_centre()
        {
            Assert.AreEqual(-32768, (int)Activation.Tanh(-32768), "x = -8");
            Assert.AreEqual(32767, (int)Activation.Tanh(32767), "x = 8 - 2^-12");
            Assert.AreEqual(0, (int)Activation.Tanh(0), "x = 0");
            Assert.AreEqual(-1024, (int)Activation.Tanh(-128), "x = -1/32 (table point 255)");
            Assert.AreEqual(1024, (int)Activation.Tanh(128), "x = 1/32 (table point 257)");
            Assert.AreEqual(-8, (int)Activation.Tanh(-1), "x = -2^-12");
            Assert.AreEqual(8, (int)Activation.Tanh(1), "x = 2^-12");
        }

        [TestMethod]
        public void Sigmoid_is_monotonic_over_every_int16()
        {
            int previous = Activation.Sigmoid(short.MinValue);
            for (int v = short.MinValue + 1; v <= short.MaxValue; v++)
            {
                int value = Activation.Sigmoid((short)v);
                if (value < previous)
                {
                    TestSupport.Fail("Sigmoid(" + v + ") = " + value + " < Sigmoid(" + (v - 1) + ") = " + previous);
                }

                previous = value;
            }
        }

        [TestMethod]
        public void Tanh_is_monotonic_over_every_int16()
        {
            int previous = Activation.Tanh(short.MinValue);
            for (int v = short.MinValue + 1; v <= short.MaxValue; v++)
            {
                int value = Activation.Tanh((short)v);
                if (value < previous)
                {
                    TestSupport.Fail("Tanh(" + v + ") = " + value + " < Tanh(" + (v - 1) + ") = " + previous);
                }

                previous = value;
            }
        }

        [TestMethod]
        public void Sigmoid_interpolates_between_table_points_exactly()
        {
            CheckInterpolation(true, SigmoidAtPlus8);
        }

        [TestMethod]
        public void Tanh_interpolates_between_table_points_exactly()
        {
            CheckInterpolation(false, TanhAtPlus8);
        }

        // Table point k (x_k = (k - 256) / 32) is the Q3.12 input (k - 256) · 128, where the
        // interpolation weight t is 0, so act(point k) = T[k]. Every other input v must equal
        //   T[k] + rshr((T[k+1] - T[k]) · t, 7),   k = (v + 32768) >> 7,   t = (v + 32768) & 127.
        private static void CheckInterpolation(bool sigmoid, int lastEntry)
        {
            for (int v = short.MinValue; v <= short.MaxValue; v++)
            {
                int u = v + 32768;
                int k = u >> 7;
                int t = u & 127;
                int low = Act(sigmoid, (k - 256) * 128);
                int high = k + 1 <= 511 ? Act(sigmoid, (k + 1 - 256) * 128) : lastEntry;
                int expected = low + ((((high - low) * t) + 64) >> 7);
                int actual = Act(sigmoid, v);
                if (actual != expected)
                {
                    TestSupport.Fail((sigmoid ? "Sigmoid(" : "Tanh(") + v + ") = " + actual + ", expected " + expected
                        + " between table points " + k + " (" + low + ") and " + (k + 1) + " (" + high + ")");
                }
            }
        }

        private static int Act(bool sigmoid, int v)
        {
            return sigmoid ? Activation.Sigmoid((short)v) : Activation.Tanh((short)v);
        }
    }
}
