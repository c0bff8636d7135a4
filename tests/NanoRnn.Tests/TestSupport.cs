using System;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>
    /// The firmware tests' one per-platform helper: what nanoFramework.TestFramework (on nanoCLR) and
    /// MSTest 4 (on .NET) do not share, written once, so that every other firmware test file compiles
    /// unchanged under both. Throws: MSTest 4 has no Assert.ThrowsException(Type, Action). Failing and
    /// skipping: TestFramework's Assert has no Fail or Inconclusive, MSTest's no SkipTest.
    /// Tolerances: TestFramework's Assert.AreEqual has no delta. The list of what both do share, and the
    /// check that the tests keep to it, are in tests/NanoRnn.HostTests/FirmwareTestApi.cs.
    /// </summary>
    internal static class TestSupport
    {
        /// <summary>Runs the action; passes only if it throws exactly <paramref name="expected"/>, and returns that exception.</summary>
        internal static Exception ThrowsException(Type expected, Action action)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                Assert.IsTrue(
                    e.GetType() == expected,
                    "expected " + expected.Name + " but got " + e.GetType().Name + ": " + e.Message);
                return e;
            }

            Fail("expected " + expected.Name + " but nothing was thrown");
            return null;
        }

        /// <summary>Fails the test with a message.</summary>
        internal static void Fail(string message)
        {
#if NANOFRAMEWORK_1_0
            Assert.IsTrue(false, message);
#else
            Assert.Fail(message);
#endif
        }

        /// <summary>
        /// Ends the test as skipped (not passed, not failed), for a test that cannot run where it is: the
        /// runner reports it with <paramref name="reason"/>.
        /// </summary>
        internal static void Skip(string reason)
        {
#if NANOFRAMEWORK_1_0
            Assert.SkipTest(reason);
#else
            Assert.Inconclusive(reason);
#endif
        }

        /// <summary>
        /// Passes if |<paramref name="expected"/> − <paramref name="actual"/>| ≤ <paramref name="tolerance"/>;
        /// fails on NaN. Callers say in <paramref name="message"/> why that tolerance (most tests need none:
        /// the integer arithmetic is compared exactly).
        /// </summary>
        internal static void AreClose(double expected, double actual, double tolerance, string message)
        {
            // No Math.Abs: nanoFramework's mscorlib has no Math (it is the System.Math package).
            double difference = expected > actual ? expected - actual : actual - expected;
            if (!(difference <= tolerance))
            {
                Fail("expected " + expected.ToString() + " ± " + tolerance.ToString() + " but got "
                     + actual.ToString() + ": " + message);
            }
        }

        /// <summary>Passes if <paramref name="text"/> contains <paramref name="part"/>.</summary>
        internal static void Contains(string part, string text)
        {
            Assert.IsTrue(text != null && text.IndexOf(part) >= 0, "\"" + text + "\" does not contain \"" + part + "\"");
        }

        /// <summary>
        /// Throws <see cref="ModelFormatException"/> from loading, and its message names every part; loading
        /// the same bytes through a reader (<see cref="RnnModel.Load(IBlobReader, int)"/>) throws it with the same message.
        /// </summary>
        internal static void RefusedWith(byte[] blob, string part1, string part2)
        {
            Exception e = ThrowsException(typeof(ModelFormatException), () => RnnModel.Load(blob));
            Contains(part1, e.Message);
            if (part2 != null)
            {
                Contains(part2, e.Message);
            }

            Exception streamed = ThrowsException(
                typeof(ModelFormatException), () => RnnModel.Load(new ByteArrayBlobReader(blob), blob.Length));
            Assert.AreEqual(e.Message, streamed.Message, "the message of the load through a reader");
        }
    }
}
