#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using NanoRnn.Pipeline;

namespace NanoRnn.Tests.Pipeline
{
    [TestClass]
    public class DecisionSmootherTests
    {
        [TestMethod]
        public void AveragesTheLastDecisions()
        {
            var smoother = new DecisionSmoother(3, 2);
            smoother.Add(new[] { 100, 0, 0 }, 0);
            Assert.AreEqual(0, smoother.Best);
            Assert.AreEqual(100, smoother.Margin);
            smoother.Add(new[] { 0, 300, 0 }, 0);          // sums 100, 300, 0 over 2
            Assert.AreEqual(1, smoother.Best);
            Assert.AreEqual(150, smoother.BestScore);
            Assert.AreEqual(100, smoother.Margin);
            smoother.Add(new[] { 0, 0, 500 }, 0);          // the first decision leaves the window
            Assert.AreEqual(2, smoother.Best);
            Assert.AreEqual(250, smoother.BestScore);
            Assert.AreEqual(100, smoother.Margin);
        }

        [TestMethod]
        public void SaturatedScoresDoNotWrap()
        {
            var smoother = new DecisionSmoother(2, 16);
            var scores = new[] { int.MaxValue, int.MinValue };
            for (int i = 0; i < 16; i++)
            {
                smoother.Add(scores, 0);
            }

            Assert.AreEqual(0, smoother.Best);
            Assert.AreEqual(int.MaxValue, smoother.BestScore);
            Assert.AreEqual(int.MaxValue, smoother.Margin);     // 2^32 - 1, clamped
        }

        [TestMethod]
        public void TiesGoToTheFirstClassAndClearForgets()
        {
            var smoother = new DecisionSmoother(2, 4);
            smoother.Add(new[] { 7, 7 }, 0);
            Assert.AreEqual(0, smoother.Best);
            Assert.AreEqual(0, smoother.Margin);
            smoother.Clear();
            smoother.Add(new[] { 1, 9 }, 0);
            Assert.AreEqual(9, smoother.BestScore);
        }
    }
}
