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
    [TestClass]
    public class FeatureAssemblerTests
    {
        [TestMethod]
        public void ChannelsFollowTheBlobOrderAndTheBoardAxes()
        {
            // lstm_c6_h13_k4 records ax ay az gx gy gz. Board x = -sensor y, y = sensor x, z = -sensor z.
            RnnModel model = RnnModel.Load(GoldenData.Lstm_c6_h13_k4().Blob);
            var assembler = new FeatureAssembler(model, new AxisMap(1, true, 0, false, 2, true), 0);
            short[] motion = { 0, 11, -32768, 21, 22, 23, 24 };   // a pad, then ax ay az gx gy gz
            var features = new short[6];
            assembler.Assemble(motion, 1, 0, 0, features);
            short[] expected = { 32767, 11, -21, -23, 22, -24 };
            for (int c = 0; c < 6; c++)
            {
                Assert.AreEqual(expected[c], features[c], "channel " + c);
            }
        }

        [TestMethod]
        public void DigitalInputsAreLevels()
        {
            // lstm_c3_h11_k4_raw_counts records az gx in2.
            RnnModel model = RnnModel.Load(GoldenData.Lstm_c3_h11_k4_raw_counts().Blob);
            var assembler = new FeatureAssembler(model, AxisMap.Identity, 3);
            short[] motion = { 1, 2, 3, 4, 5, 6 };
            var features = new short[3];
            assembler.Assemble(motion, 0, 0, 0x4, features);
            Assert.AreEqual((short)3, features[0]);
            Assert.AreEqual((short)4, features[1]);
            Assert.AreEqual((short)1, features[2]);
            assembler.Assemble(motion, 0, 0, 0x3, features);
            Assert.AreEqual((short)0, features[2]);
        }

        [TestMethod]
        public void MissingSourcesAndInputsAreRefused()
        {
            RnnModel unnamed = RnnModel.Load(GoldenData.Lstm_c1_h5_k2().Blob);
            Exception e = TestSupport.ThrowsException(typeof(ArgumentException),
                () => new FeatureAssembler(unnamed, AxisMap.Identity, 0));
            TestSupport.Contains("--channels", e.Message);

            RnnModel digital = RnnModel.Load(GoldenData.Lstm_c3_h11_k4_raw_counts().Blob);
            e = TestSupport.ThrowsException(typeof(ArgumentException),
                () => new FeatureAssembler(digital, AxisMap.Identity, 2));
            TestSupport.Contains("digital input 2", e.Message);
        }

        [TestMethod]
        public void AxisMapMustBeAPermutation()
        {
            TestSupport.ThrowsException(typeof(ArgumentException), () => new AxisMap(0, false, 0, false, 2, false));
        }
    }
}
