using System;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>
    /// The per-platform helper itself, on whichever runner compiles it: a throws-check that passed when
    /// nothing (or the wrong exception) was thrown, or a tolerance check that passed outside its bound,
    /// would let every test built on it pass vacuously.
    /// </summary>
    [TestClass]
    public class TestSupportTests
    {
        /// <summary>Runs the action and returns what it threw, or null if it returned normally.</summary>
        private static Exception Thrown(Action action)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                return e;
            }

            return null;
        }

        [TestMethod]
        public void ThrowsException_returns_the_exception_of_exactly_the_expected_type()
        {
            var thrown = new ArgumentOutOfRangeException("x", "out of range");
            Exception e = TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => throw thrown);
            Assert.IsTrue(ReferenceEquals(thrown, e), "the thrown exception is returned");
        }

        [TestMethod]
        public void ThrowsException_fails_when_nothing_is_thrown()
        {
            Exception failure = Thrown(() => TestSupport.ThrowsException(typeof(InvalidOperationException), () => { }));
            Assert.IsNotNull(failure, "no failure when nothing was thrown");
            TestSupport.Contains("nothing was thrown", failure.Message);
        }

        [TestMethod]
        public void ThrowsException_fails_on_a_derived_or_other_type()
        {
            Exception derived = Thrown(() => TestSupport.ThrowsException(
                typeof(ArgumentException), () => throw new ArgumentNullException("x")));
            Assert.IsNotNull(derived, "a derived type was accepted");
            TestSupport.Contains("ArgumentNullException", derived.Message);

            Exception other = Thrown(() => TestSupport.ThrowsException(
                typeof(ArgumentException), () => throw new InvalidOperationException("other")));
            Assert.IsNotNull(other, "another type was accepted");
            TestSupport.Contains("InvalidOperationException", other.Message);
        }

        [TestMethod]
        public void Fail_and_Skip_end_the_test_with_the_message()
        {
            Exception failure = Thrown(() => TestSupport.Fail("reason one"));
            Assert.IsNotNull(failure, "Fail returned normally");
            TestSupport.Contains("reason one", failure.Message);

            Exception skip = Thrown(() => TestSupport.Skip("reason two"));
            Assert.IsNotNull(skip, "Skip returned normally");
            TestSupport.Contains("reason two", skip.Message);
            Assert.IsFalse(skip.GetType() == failure.GetType(), "a skip is reported as a failure");
        }

        [TestMethod]
        public void AreClose_passes_within_the_tolerance_and_fails_outside_it_or_on_NaN()
        {
            TestSupport.AreClose(1.0, 1.25, 0.25, "on the bound");
            TestSupport.AreClose(-3.0, -3.1, 0.125, "below");

            Exception above = Thrown(() => TestSupport.AreClose(1.0, 1.5, 0.25, "too far above"));
            Assert.IsNotNull(above, "0.5 away passed a 0.25 tolerance");
            TestSupport.Contains("too far above", above.Message);

            Exception below = Thrown(() => TestSupport.AreClose(1.0, 0.5, 0.25, "too far below"));
            Assert.IsNotNull(below, "-0.5 away passed a 0.25 tolerance");

            Exception nan = Thrown(() => TestSupport.AreClose(1.0, double.NaN, 1e9, "not a number"));
            Assert.IsNotNull(nan, "NaN passed");
        }

        [TestMethod]
        public void Contains_fails_when_the_part_is_missing()
        {
            TestSupport.Contains("lo w", "hello world");
            Exception missing = Thrown(() => TestSupport.Contains("planet", "hello world"));
            Assert.IsNotNull(missing, "a missing part passed");
            Assert.IsNotNull(Thrown(() => TestSupport.Contains("x", null)), "null text passed");
        }
    }
}
