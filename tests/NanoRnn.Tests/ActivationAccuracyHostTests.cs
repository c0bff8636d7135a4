#if !NANOFRAMEWORK_1_0
using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace NanoRnn.Tests
{
    /// <summary>
    /// Host only (needs Math.Exp and Math.Tanh, which nanoFramework's mscorlib lacks): the tables equal
    /// the formula of docs/model-format.md, and the interpolated activations stay within a stated
    /// distance of float over every int16 input.
    /// </summary>
    [TestClass]
    public class ActivationAccuracyHostTests
    {
        // Measured here over all 65536 inputs: 3.860e-5 (sigmoid) and 1.159e-4 (tanh), the same as
        // `python3 tools/quantize.py tables --check`. The bounds are those values rounded up, as the
        // docs/model-format.md states them; a table or interpolation change that loses accuracy fails here.
        private const double SigmoidMaxError = 3.9e-5;
        private const double TanhMaxError = 1.2e-4;

        [TestMethod]
        public void Table_points_equal_the_documented_formula()
        {
            for (int k = 0; k < 512; k++)
            {
                double x = (k - 256) / 32.0;
                int sigmoid = (int)Math.Min(Math.Floor(32768.0 / (1.0 + Math.Exp(-x)) + 0.5), 32767);
                int tanh = (int)Math.Min(Math.Max(Math.Floor(32768.0 * Math.Tanh(x) + 0.5), -32768), 32767);
                short grid = (short)((k - 256) * 128);
                Assert.AreEqual(sigmoid, (int)Activation.Sigmoid(grid), "SIGMOID[" + k + "]");
                Assert.AreEqual(tanh, (int)Activation.Tanh(grid), "TANH[" + k + "]");
            }
        }

        [TestMethod]
        public void Worst_error_against_float_is_within_the_stated_bound()
        {
            double sigmoidWorst = 0, tanhWorst = 0;
            int sigmoidAt = 0, tanhAt = 0;
            for (int v = short.MinValue; v <= short.MaxValue; v++)
            {
                double x = v / 4096.0;
                double sigmoidError = Math.Abs(Activation.Sigmoid((short)v) / 32768.0 - 1.0 / (1.0 + Math.Exp(-x)));
                double tanhError = Math.Abs(Activation.Tanh((short)v) / 32768.0 - Math.Tanh(x));
                if (sigmoidError > sigmoidWorst)
                {
                    sigmoidWorst = sigmoidError;
                    sigmoidAt = v;
                }

                if (tanhError > tanhWorst)
                {
                    tanhWorst = tanhError;
                    tanhAt = v;
                }
            }

            Console.WriteLine("worst |sigmoid - float| = " + sigmoidWorst.ToString("E3") + " at Q3.12 " + sigmoidAt
                + "; worst |tanh - float| = " + tanhWorst.ToString("E3") + " at Q3.12 " + tanhAt);
            Assert.IsTrue(sigmoidWorst <= SigmoidMaxError, "sigmoid error " + sigmoidWorst + " at " + sigmoidAt);
            Assert.IsTrue(tanhWorst <= TanhMaxError, "tanh error " + tanhWorst + " at " + tanhAt);
        }
    }
}
#endif
