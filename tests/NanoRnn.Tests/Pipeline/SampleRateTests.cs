using NanoRnn.Pipeline;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests.Pipeline
{
    /// <summary>The divider SensorSampler programs: exactly output / (1 + divider), one byte, or none.</summary>
    [TestClass]
    public class SampleRateTests
    {
        [TestMethod]
        public void EveryRateOneByteDividesOutExactlyAndNoOther()
        {
            int[] outputRates = { 1000, 8000 };
            foreach (int output in outputRates)
            {
                // What each one-byte divider gives, worked forwards: rate = output / (1 + divider) when exact.
                var expected = new int[output + 1];
                for (int rate = 0; rate <= output; rate++)
                {
                    expected[rate] = -1;
                }

                int found = 0;
                for (int divider = 0; divider <= 255; divider++)
                {
                    if (output % (divider + 1) == 0)
                    {
                        expected[output / (divider + 1)] = divider;
                        found++;
                    }
                }

                for (int rate = 1; rate <= output; rate++)
                {
                    Assert.AreEqual(expected[rate], SensorSampler.RateDivider(output, rate), "rate " + rate + " from " + output);
                }

                // 1000 Hz: 4, 5, 8, 10, 20, 25, 40, 50, 100, 125, 200, 250, 500 and 1000 Hz.
                Assert.AreEqual(output == 1000 ? 14 : 19, found, "rates from " + output);
            }
        }

        [TestMethod]
        public void NoRateForZeroOrNegativeRates()
        {
            Assert.AreEqual(-1, SensorSampler.RateDivider(1000, 0));
            Assert.AreEqual(-1, SensorSampler.RateDivider(1000, -50));
            Assert.AreEqual(-1, SensorSampler.RateDivider(1000, 2000));
        }
    }
}
