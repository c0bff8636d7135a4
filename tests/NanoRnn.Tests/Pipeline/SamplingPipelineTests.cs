using System;
using NanoRnn.Pipeline;
using NanoRnn.Tests.Golden;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests.Pipeline
{
    /// <summary>
    /// The pipeline against the golden vectors: a window of samples fed through it must end in exactly
    /// the golden scores (the pipeline adds plumbing, never arithmetic), and its counters must say
    /// what happened to the stream.
    /// </summary>
    [TestClass]
    public class SamplingPipelineTests
    {
        private static GoldenCase Case()
        {
            return GoldenData.Lstm_c6_h13_k4();   // channels ax ay az gx gy gz, 50 Hz
        }

        private static SamplingPipeline Create(GoldenCase golden, PipelineOptions options, RecordingSink sink)
        {
            var network = new RnnNetwork(RnnModel.Load(golden.Blob));
            return new SamplingPipeline(network, AxisMap.Identity, 0, options, sink, 50);
        }

        private static void Feed(SamplingPipeline pipeline, GoldenCase golden, int sequence)
        {
            for (int t = 0; t < golden.Steps; t++)
            {
                pipeline.OnSample(golden.Input, (sequence * golden.Steps + t) * 6, 0, 0);
            }
        }

        private static int GoldenBest(GoldenCase golden, int sequence, out int score)
        {
            int classes = golden.Output.Length / golden.Sequences;
            int best = RnnNetwork.ArgMax(golden.Output, sequence * classes, classes);
            score = golden.Output[sequence * classes + best];
            return best;
        }

        [TestMethod]
        public void WindowDecisionEqualsGoldenScores()
        {
            GoldenCase golden = Case();
            var sink = new RecordingSink();
            var options = new PipelineOptions { WindowLength = golden.Steps };
            SamplingPipeline pipeline = Create(golden, options, sink);
            for (int s = 0; s < golden.Sequences; s++)
            {
                Feed(pipeline, golden, s);
                int score;
                int best = GoldenBest(golden, s, out score);
                Assert.AreEqual(best, sink.LastClass, "sequence " + s);
                Assert.AreEqual(score, sink.LastScore, "sequence " + s);
                Assert.AreEqual((long)(s + 1) * golden.Steps - 1, sink.LastSampleIndex);
            }

            Assert.AreEqual(golden.Sequences, sink.Decisions);
            Assert.AreEqual((long)golden.Sequences * golden.Steps, pipeline.Statistics.Samples);
            Assert.AreEqual(0L, pipeline.Statistics.Dropped);
            Assert.AreEqual(0L, pipeline.Statistics.Late);
            Assert.AreEqual((long)golden.Sequences, pipeline.Statistics.Resets);
        }

        [TestMethod]
        public void ReportedDroppedSamplesAreCountedAndResetTheState()
        {
            GoldenCase golden = Case();
            var sink = new RecordingSink();
            SamplingPipeline pipeline = Create(golden, new PipelineOptions { WindowLength = golden.Steps }, sink);
            pipeline.OnSample(golden.Input, 0, 0, 0);
            pipeline.OnSample(golden.Input, 6, 0, 0);
            // Samples 2 and 3 never came.
            pipeline.ReportDropped(2);
            pipeline.OnSample(golden.Input, 12, 0, 0);
            Assert.AreEqual(2L, pipeline.Statistics.Dropped);
            Assert.AreEqual(1, sink.Gaps);
            Assert.AreEqual(2, sink.LastDropped);
            Assert.AreEqual(4L, sink.LastGapIndex);
            Assert.AreEqual(5L, pipeline.NextSampleIndex);

            // The state restarted at the gap: a full window from here equals the golden run of sequence 0.
            pipeline.RequestReset();
            Feed(pipeline, golden, 0);
            int score;
            Assert.AreEqual(GoldenBest(golden, 0, out score), sink.LastClass);
            Assert.AreEqual(score, sink.LastScore);
        }

        [TestMethod]
        public void ResetRequestTakesEffectBeforeTheNextSample()
        {
            GoldenCase golden = Case();
            var sink = new RecordingSink();
            SamplingPipeline pipeline = Create(golden, new PipelineOptions { DecisionInterval = golden.Steps }, sink);
            for (int t = 0; t < 4; t++)
            {
                pipeline.OnSample(golden.Input, (golden.Steps + t) * 6, 0, 0);   // unrelated samples
            }

            pipeline.RequestReset();
            var fresh = new RecordingSink();
            SamplingPipeline reference = Create(golden, new PipelineOptions { DecisionInterval = golden.Steps }, fresh);
            Feed(pipeline, golden, 0);
            Feed(reference, golden, 0);
            Assert.AreEqual(fresh.LastClass, sink.LastClass);
            Assert.AreEqual(fresh.LastScore, sink.LastScore);
            Assert.AreEqual(1L, pipeline.Statistics.Resets);
            Assert.AreEqual(0L, reference.Statistics.Resets);
        }

        [TestMethod]
        public void MarginBelowThresholdIsUncertain()
        {
            GoldenCase golden = Case();
            var sink = new RecordingSink();
            var options = new PipelineOptions { WindowLength = golden.Steps, MinimumMargin = int.MaxValue };
            SamplingPipeline pipeline = Create(golden, options, sink);
            Feed(pipeline, golden, 0);
            Assert.AreEqual(0, sink.Decisions);
            Assert.AreEqual(1L, pipeline.Statistics.Uncertain);
        }

        [TestMethod]
        public void ModelTrainedAtAnotherRateIsRefused()
        {
            GoldenCase golden = Case();
            var network = new RnnNetwork(RnnModel.Load(golden.Blob));
            Exception e = TestSupport.ThrowsException(typeof(ArgumentException),
                () => new SamplingPipeline(network, AxisMap.Identity, 0, new PipelineOptions(), new RecordingSink(), 100));
            TestSupport.Contains("trained at 50 Hz", e.Message);
        }
    }
}
