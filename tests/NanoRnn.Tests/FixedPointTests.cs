#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>
    /// The integer helpers against hand-computed values (docs/model-format.md, "Integer helpers"; the
    /// Python twins in tools/nanornn/fixedpoint.py give the same numbers). Exact: integer arithmetic.
    /// </summary>
    [TestClass]
    public class FixedPointTests
    {
        [TestMethod]
        public void RoundingShiftRight_rounds_half_up()
        {
            Assert.AreEqual(1, FixedPoint.RoundingShiftRight(1, 1), "0.5 -> 1");
            Assert.AreEqual(2, FixedPoint.RoundingShiftRight(3, 1), "1.5 -> 2");
            Assert.AreEqual(1, FixedPoint.RoundingShiftRight(5, 2), "1.25 -> 1");
            Assert.AreEqual(2, FixedPoint.RoundingShiftRight(6, 2), "1.5 -> 2");
            Assert.AreEqual(2, FixedPoint.RoundingShiftRight(7, 2), "1.75 -> 2");
            Assert.AreEqual(0, FixedPoint.RoundingShiftRight(0, 15), "0");
        }

        [TestMethod]
        public void RoundingShiftRight_rounds_negative_halves_toward_plus_infinity()
        {
            Assert.AreEqual(0, FixedPoint.RoundingShiftRight(-1, 1), "-0.5 -> 0");
            Assert.AreEqual(-1, FixedPoint.RoundingShiftRight(-3, 1), "-1.5 -> -1");
            Assert.AreEqual(-1, FixedPoint.RoundingShiftRight(-5, 2), "-1.25 -> -1");
            Assert.AreEqual(-1, FixedPoint.RoundingShiftRight(-6, 2), "-1.5 -> -1");
            Assert.AreEqual(-2, FixedPoint.RoundingShiftRight(-7, 2), "-1.75 -> -2");
        }

        [TestMethod]
        public void RoundingShiftRight_handles_extreme_int16_products()
        {
            Assert.AreEqual(32768, FixedPoint.RoundingShiftRight(-32768 * -32768, 15), "(-1)·(-1) in Q0.15");
            Assert.AreEqual(-32767, FixedPoint.RoundingShiftRight(32767 * -32768, 15), "max · min in Q0.15");
            Assert.AreEqual(32766, FixedPoint.RoundingShiftRight(32767 * 32767, 15), "max · max in Q0.15");
            Assert.AreEqual(-2, FixedPoint.RoundingShiftRight(32767 * -32768, 29), "i·g at cf = 1 (shift 29)");
        }

        [TestMethod]
        public void RoundingShiftRight_int64()
        {
            long half = 1L << 9;
            Assert.AreEqual((1L << 30) + 1, FixedPoint.RoundingShiftRight((1L << 40) + half, 10), "2^30 + 0.5 -> up");
            Assert.AreEqual(-(1L << 30), FixedPoint.RoundingShiftRight(-(1L << 40) - half, 10), "-2^30 - 0.5 -> up");
            Assert.AreEqual(1L << 32, FixedPoint.RoundingShiftRight(1L << 62, 30), "beyond int32");
        }

        [TestMethod]
        public void Rescale_rounds_half_up()
        {
            const int Half = 1 << 30;   // m · 2^-31 = 0.5
            Assert.AreEqual(500L, FixedPoint.Rescale(1000, Half, 31), "1000 · 0.5");
            Assert.AreEqual(2L, FixedPoint.Rescale(3, Half, 31), "1.5 -> 2");
            Assert.AreEqual(-1L, FixedPoint.Rescale(-3, Half, 31), "-1.5 -> -1");
            Assert.AreEqual(-2L, FixedPoint.Rescale(-5, Half, 31), "-2.5 -> -2");
            Assert.AreEqual(0L, FixedPoint.Rescale(123456, 0, 31), "multiplier 0 (an all-zero row)");
            Assert.AreEqual(0L, FixedPoint.Rescale(0, int.MaxValue, 1), "zero accumulator");
        }

        [TestMethod]
        public void Rescale_uses_int64_for_the_product()
        {
            // |acc · m| reaches 2^62: these overflow if the product is formed in int32.
            Assert.AreEqual(1L, FixedPoint.Rescale(int.MaxValue, int.MaxValue, 62), "shift 62");
            Assert.AreEqual(-2147483647L, FixedPoint.Rescale(int.MinValue, int.MaxValue, 31), "min · max, shift 31");
            Assert.AreEqual(-2305843008139952128L, FixedPoint.Rescale(int.MinValue, int.MaxValue, 1), "min · max, shift 1");
            Assert.AreEqual(2305843007066210305L, FixedPoint.Rescale(int.MaxValue, int.MaxValue, 1), "max · max, shift 1");
            Assert.AreEqual(0L, FixedPoint.Rescale(int.MinValue, 1 << 30, 62), "-0.5 -> 0");

            // The largest accumulator the limits allow, 512 · 127 · 32768, times just under 1.
            Assert.AreEqual(2130706431L, FixedPoint.Rescale(2130706432, int.MaxValue, 31), "largest accumulator");
            Assert.AreEqual(-2130706431L, FixedPoint.Rescale(-2130706432, int.MaxValue, 31), "smallest accumulator");
        }

        [TestMethod]
        public void Saturate16_int()
        {
            Assert.AreEqual(32767, (int)FixedPoint.Saturate16(32767), "max");
            Assert.AreEqual(32767, (int)FixedPoint.Saturate16(32768), "max + 1");
            Assert.AreEqual(32767, (int)FixedPoint.Saturate16(int.MaxValue), "int.MaxValue");
            Assert.AreEqual(-32768, (int)FixedPoint.Saturate16(-32768), "min");
            Assert.AreEqual(-32768, (int)FixedPoint.Saturate16(-32769), "min - 1");
            Assert.AreEqual(-32768, (int)FixedPoint.Saturate16(int.MinValue), "int.MinValue");
            Assert.AreEqual(-5, (int)FixedPoint.Saturate16(-5), "in range");
        }

        [TestMethod]
        public void Saturate16_int64()
        {
            Assert.AreEqual(32767, (int)FixedPoint.Saturate16(1L << 40), "2^40");
            Assert.AreEqual(-32768, (int)FixedPoint.Saturate16(-(1L << 40)), "-2^40");
            Assert.AreEqual(32767, (int)FixedPoint.Saturate16(long.MaxValue), "long.MaxValue");
            Assert.AreEqual(-32768, (int)FixedPoint.Saturate16(long.MinValue), "long.MinValue");
            Assert.AreEqual(-32768, (int)FixedPoint.Saturate16(-32768L), "min");
            Assert.AreEqual(1234, (int)FixedPoint.Saturate16(1234L), "in range");
        }

        [TestMethod]
        public void Saturate32()
        {
            Assert.AreEqual(int.MaxValue, FixedPoint.Saturate32(int.MaxValue), "max");
            Assert.AreEqual(int.MaxValue, FixedPoint.Saturate32(1L << 31), "max + 1");
            Assert.AreEqual(int.MaxValue, FixedPoint.Saturate32(long.MaxValue), "long.MaxValue");
            Assert.AreEqual(int.MinValue, FixedPoint.Saturate32(int.MinValue), "min");
            Assert.AreEqual(int.MinValue, FixedPoint.Saturate32(-(1L << 31) - 1), "min - 1");
            Assert.AreEqual(int.MinValue, FixedPoint.Saturate32(long.MinValue), "long.MinValue");
            Assert.AreEqual(-7, FixedPoint.Saturate32(-7L), "in range");
        }

        [TestMethod]
        public void ToQ3_12_from_more_fractional_bits_rounds_half_up()
        {
            Assert.AreEqual(4096, (int)FixedPoint.ToQ3_12(32767, 15), "~1.0 in Q0.15");
            Assert.AreEqual(-4096, (int)FixedPoint.ToQ3_12(-32768, 15), "-1.0 in Q0.15");
            Assert.AreEqual(1, (int)FixedPoint.ToQ3_12(4, 15), "0.5 LSB -> up");
            Assert.AreEqual(0, (int)FixedPoint.ToQ3_12(-4, 15), "-0.5 LSB -> up");
            Assert.AreEqual(-1, (int)FixedPoint.ToQ3_12(-5, 15), "-0.625 LSB");
            Assert.AreEqual(2048, (int)FixedPoint.ToQ3_12(4095, 13), "Q2.13");
        }

        [TestMethod]
        public void ToQ3_12_same_format_is_identity()
        {
            Assert.AreEqual(-32768, (int)FixedPoint.ToQ3_12(-32768, 12), "min");
            Assert.AreEqual(12345, (int)FixedPoint.ToQ3_12(12345, 12), "value");
        }

        [TestMethod]
        public void ToQ3_12_from_fewer_fractional_bits_saturates()
        {
            Assert.AreEqual(800, (int)FixedPoint.ToQ3_12(100, 9), "Q6.9 -> << 3");
            Assert.AreEqual(32767, (int)FixedPoint.ToQ3_12(5000, 9), "9.77 saturates at 8");
            Assert.AreEqual(-32768, (int)FixedPoint.ToQ3_12(-5000, 9), "-9.77 saturates at -8");
            Assert.AreEqual(256, (int)FixedPoint.ToQ3_12(1, 4), "Q11.4");
            Assert.AreEqual(-32768, (int)FixedPoint.ToQ3_12(-128, 4), "-8.0 in Q11.4");
            Assert.AreEqual(32767, (int)FixedPoint.ToQ3_12(128, 4), "8.0 in Q11.4");
        }
    }
}
