using System;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>Loading valid blobs: every header field and input section comes back as written.</summary>
    [TestClass]
    public class ModelLoadTests
    {
        [TestMethod]
        public void Every_version_1_golden_blob_loads_with_its_header_values()
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase golden = Golden.GoldenData.Get(i);
                BlobPatch header = new BlobPatch(golden.Blob);
                if (golden.Blob[BlobPatch.LayerCount] != 1 || golden.Blob[header.CellType] != RnnModel.CellTypeLstm
                    || golden.Blob[BlobPatch.HeadType] != 1)
                {
                    continue;   // StackedModelTests
                }

                RnnModel model = RnnModel.Load(golden.Blob);
                string name = golden.Name;
                Assert.AreEqual(RnnModel.SupportedFormatVersion, model.FormatVersion, name + " FormatVersion");
                Assert.AreEqual(RnnModel.CellTypeLstm, model.CellType, name + " CellType");
                Assert.AreEqual(1, model.LayerCount, name + " LayerCount");
                Assert.AreEqual(header.C, model.InputChannels, name + " InputChannels");
                Assert.AreEqual(header.H, model.HiddenSize, name + " HiddenSize");
                Assert.AreEqual(header.K, model.ClassCount, name + " ClassCount");
                Assert.AreEqual((int)golden.Blob[header.CellFracBits], model.CellFracBits, name + " CellFracBits");
                Assert.IsTrue(BitConverter.ToSingle(golden.Blob, BlobPatch.OutputScale) == model.OutputScale, name + " OutputScale");
                Assert.AreEqual(header.U16(BlobPatch.SampleRate), model.SampleRateHz, name + " SampleRateHz");
                for (int c = 0; c < model.InputChannels; c++)
                {
                    Assert.IsTrue(BitConverter.ToSingle(golden.Blob, header.InputScale + 4 * c) == model.GetInputScale(c), name + " input scale " + c);
                    Assert.IsTrue(BitConverter.ToSingle(golden.Blob, header.InputZero + 4 * c) == model.GetInputZero(c), name + " input zero " + c);
                    Assert.AreEqual((int)golden.Blob[header.ChannelSource + c], model.GetChannelSource(c), name + " channel source " + c);
                }
            }
        }

        [TestMethod]
        public void Channel_sources_sample_rate_and_normalisation_of_the_raw_counts_case()
        {
            // quantize.py golden: channels az, gx, in2; --input-mean 100,-2000,16384 --input-std 3000,2500,4000; 100 Hz.
            RnnModel model = RnnModel.Load(Golden.GoldenData.Lstm_c3_h11_k4_raw_counts().Blob);
            Assert.AreEqual(ChannelSource.AccelerometerZ, model.GetChannelSource(0), "az");
            Assert.AreEqual(ChannelSource.GyroscopeX, model.GetChannelSource(1), "gx");
            Assert.AreEqual(ChannelSource.DigitalInputBase + 2, model.GetChannelSource(2), "in2");
            Assert.AreEqual(100, model.SampleRateHz, "sample rate");
            Assert.IsTrue(model.GetInputZero(1) == -2000f, "zero of gx is its training mean");
            Assert.IsTrue(model.GetInputScale(2) == (float)(1.0 / 4000.0), "scale of in2 is 1 / std");
        }

        [TestMethod]
        public void Channel_accessors_refuse_a_channel_that_does_not_exist()
        {
            RnnModel model = RnnModel.Load(Golden.GoldenData.Lstm_c6_h13_k4().Blob);
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => model.GetInputScale(-1));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => model.GetInputScale(6));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => model.GetInputZero(6));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => model.GetChannelSource(6));
        }

        [TestMethod]
        public void Null_blob_is_an_ArgumentNullException()
        {
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => RnnModel.Load(null));
        }

        [TestMethod]
        public void The_model_keeps_its_own_copy_of_the_blob()
        {
            GoldenCase golden = Golden.GoldenData.Lstm_c6_h13_k4();
            byte[] blob = new byte[golden.Blob.Length];
            Array.Copy(golden.Blob, blob, blob.Length);
            RnnModel model = RnnModel.Load(blob);
            for (int i = 32; i < blob.Length; i++)
            {
                blob[i] = 0x55;
            }

            RnnNetwork network = new RnnNetwork(model);
            int[] output = new int[model.ClassCount];
            network.Run(golden.Input, 0, golden.Steps, output, 0);
            for (int k = 0; k < output.Length; k++)
            {
                Assert.AreEqual(golden.Output[k], output[k], "score " + k + " after the caller overwrote the blob");
            }
        }
    }
}
