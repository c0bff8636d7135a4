using System;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>
    /// The few helpers the tests need that nanoFramework.TestFramework and MSTest 4 do not share
    /// (MSTest 4 has no Assert.ThrowsException(Type, Action)), written once on top of what both have.
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

        /// <summary>Passes if <paramref name="text"/> contains <paramref name="part"/>.</summary>
        internal static void Contains(string part, string text)
        {
            Assert.IsTrue(text != null && text.IndexOf(part) >= 0, "\"" + text + "\" does not contain \"" + part + "\"");
        }

        /// <summary>Throws <see cref="ModelFormatException"/> from loading, and its message names every part.</summary>
        internal static void RefusedWith(byte[] blob, string part1, string part2)
        {
            Exception e = ThrowsException(typeof(ModelFormatException), () => RnnModel.Load(blob));
            Contains(part1, e.Message);
            if (part2 != null)
            {
                Contains(part2, e.Message);
            }
        }
    }
}
