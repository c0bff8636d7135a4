using NanoRnn.Pipeline;
using NanoRnn.Simulation;
using NanoRnn.Tests.Golden;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests.Pipeline
{
    [TestClass]
    public class ButtonAndIndicatorTests
    {
        private static SamplingPipeline Pipeline(IDecisionSink sink)
        {
            GoldenCase golden = GoldenData.Lstm_c6_h13_k4();
            return new SamplingPipeline(new RnnNetwork(RnnModel.Load(golden.Blob)), AxisMap.Identity, 0,
                new PipelineOptions(), sink, 50);
        }

        [TestMethod]
        public void EachPressResetsOnceAndHoldingDoesNotRepeat()
        {
            GoldenCase golden = GoldenData.Lstm_c6_h13_k4();
            SamplingPipeline pipeline = Pipeline(new RecordingSink());
            var pin = new SimulatedPin(true);                    // active low, released
            var button = new ResetButton(pin, false, pipeline);
            Assert.IsFalse(button.Poll());
            pin.Level = false;                                   // pressed
            Assert.IsTrue(button.Poll());
            Assert.IsFalse(button.Poll());                       // still held
            pin.Level = true;
            Assert.IsFalse(button.Poll());
            pin.Level = false;
            Assert.IsTrue(button.Poll());
            Assert.AreEqual(2, button.Presses);

            // Requests coalesce until the next sample, which then starts from a reset state.
            pipeline.OnSample(golden.Input, 0, 0, 0);
            Assert.AreEqual(1L, pipeline.Statistics.Resets);
        }

        [TestMethod]
        public void ButtonHeldAtStartIsNotAPress()
        {
            var pin = new SimulatedPin(false);
            var button = new ResetButton(pin, false, Pipeline(new RecordingSink()));
            Assert.IsFalse(button.Poll());
            Assert.AreEqual(0, button.Presses);
        }

        [TestMethod]
        public void LedLightsForAnythingButTheRestingClass()
        {
            var led = new SimulatedPin(false);
            var log = new RecordingSink();
            var indicator = new DecisionIndicator(led, false, 0, log);   // active low, class 0 rests
            Assert.IsTrue(led.Level);                                     // dark
            indicator.OnDecision(3, 100, 50, 49);
            Assert.IsFalse(led.Level);                                    // lit
            Assert.AreEqual(3, log.LastClass);
            indicator.OnDecision(0, 100, 50, 99);
            Assert.IsTrue(led.Level);
            indicator.OnDecision(2, 100, 50, 149);
            indicator.OnGap(150, 4);
            Assert.IsTrue(led.Level);
            Assert.AreEqual(1, log.Gaps);
        }
    }
}
