using NanoRnn.Pipeline;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests.Pipeline
{
    /// <summary>The report's numbers: fixed decimals without a culture, and the softmax probability.</summary>
    [TestClass]
    public class DecisionReportTests
    {
        [TestMethod]
        public void FixedRoundsHalfAwayFromZero()
        {
            Assert.AreEqual("4.99", TextFormat.Fixed(4.994, 2));
            Assert.AreEqual("5.00", TextFormat.Fixed(4.995, 2));
            Assert.AreEqual("-0.50", TextFormat.Fixed(-0.4951, 2));
            Assert.AreEqual("0.00", TextFormat.Fixed(-0.001, 2), "no negative zero");
            Assert.AreEqual("20", TextFormat.Fixed(20.4, 0));
            Assert.AreEqual("0.05", TextFormat.Fixed(0.05, 2));
        }

        [TestMethod]
        public void DurationsCarryTheirUnit()
        {
            Assert.AreEqual("412 \u00b5s", TextFormat.Duration(412));
            Assert.AreEqual("3.9 ms", TextFormat.Duration(3940));
            Assert.AreEqual("20.0 ms", TextFormat.Duration(20000));
            Assert.AreEqual("1.70 s", TextFormat.Duration(1700000));
        }

        [TestMethod]
        public void ProbabilityIsTheSoftmaxOfTheDequantisedScores()
        {
            var exp = new SeriesExponential();
            // Scores 100, 0, 0 at 0.01 logit a unit: logits 1, 0, 0, so p = e / (e + 2) = 0.5761.
            int[] scores = { 100, 0, 0 };
            TestSupport.AreClose(0.57612, DecisionReport.Probability(scores, 0, 3, 0, 0.01, exp), 1e-4, "winner");
            TestSupport.AreClose(0.21194, DecisionReport.Probability(scores, 0, 3, 1, 0.01, exp), 1e-4, "runner-up");
            // Far apart: the exponents are taken relative to the best, so nothing overflows.
            int[] far = { 2000000000, -2000000000 };
            TestSupport.AreClose(1.0, DecisionReport.Probability(far, 0, 2, 0, 1.0, exp), 1e-12, "certain");
        }

        [TestMethod]
        public void ADecisionLineNamesTheClassAndItsProbability()
        {
            var lines = new RecordedLines();
            var sink = new RecordingSink();
            var report = new DecisionReport(lines, new string[] { "idle", "shake" }, 50, 0.01, new SeriesExponential(), sink);
            report.OnDecision(1, 499, 451, 49);
            Assert.AreEqual("    1.00 s  sample     49  shake     logit   4.99  margin  4.51", lines.Line(0));
            Assert.AreEqual(1, sink.Decisions, "passed on");
            report.OnGap(120, 3);
            Assert.AreEqual("    2.40 s  3 samples lost, state reset", lines.Line(1));
            Assert.AreEqual("class 7", report.Label(7));
        }
    }
}
