using System;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>
    /// Models loaded without their gate weights (RnnModel.Load(blob, false)) and networks that read
    /// them through an IBlobReader on every step: the same numbers as the golden reference, exactly,
    /// whatever the chunk size, and a clear refusal of a weight source that holds another blob or of a
    /// weightless model on a constructor that needs the weights.
    /// </summary>
    [TestClass]
    public class StreamedNetworkTests
    {
        // One row per read, a size that splits the rows unevenly, and more than any layer has (all at once).
        private static readonly int[] ChunkSizes = new int[] { 1, 3, int.MaxValue };

        [TestMethod]
        public void Every_stage_of_every_step_equals_the_reference_for_every_chunk_size()
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase g = Golden.GoldenData.Get(i);
                for (int s = 0; s < ChunkSizes.Length; s++)
                {
                    RnnModel model = RnnModel.Load(g.Blob, false);
                    RnnNetwork network = new RnnNetwork(model, new ByteArrayBlobReader(g.Blob), ChunkSizes[s]);
                    Assert.IsTrue(network.StreamsWeights, g.Name + " streams");
                    Assert.IsFalse(network.UsesPackedWeights, g.Name + " not packed");
                    network.Stages.Record = true;
                    GoldenTests.CheckCase(g, network, "streamed " + ChunkSizes[s] + " rows");
                }
            }
        }

        [TestMethod]
        public void A_model_with_its_weights_may_be_streamed_too()
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase g = Golden.GoldenData.Get(i);
                RnnNetwork network = new RnnNetwork(RnnModel.Load(g.Blob), new ByteArrayBlobReader(g.Blob), 2);
                network.Stages.Record = true;
                GoldenTests.CheckCase(g, network, "streamed from a model with weights");
            }
        }

        [TestMethod]
        public void Loading_without_gate_weights_keeps_the_blob_identity_and_the_model_shape()
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase golden = Golden.GoldenData.Get(i);
                byte[] blob = golden.Blob;
                RnnModel full = RnnModel.Load(blob);
                RnnModel light = RnnModel.Load(blob, false);
                Assert.IsTrue(full.HasGateWeights, golden.Name + " Load(blob)");
                Assert.IsFalse(light.HasGateWeights, golden.Name + " Load(blob, false)");
                int end = blob.Length - 4;
                Assert.AreEqual(blob.Length, light.BlobLength, golden.Name + " BlobLength");
                Assert.AreEqual((int)Crc32.Compute(blob, 0, end), (int)light.BlobCrc, golden.Name + " BlobCrc");
                Assert.AreEqual(full.LayerCount, light.LayerCount, golden.Name + " layers");
                Assert.AreEqual(full.HiddenSize, light.HiddenSize, golden.Name + " H");
                Assert.AreEqual(full.ClassCount, light.ClassCount, golden.Name + " K");
            }
        }

        [TestMethod]
        public void Loading_without_gate_weights_still_checks_them()
        {
            BlobPatch patch = BlobPatch.Small();
            byte[] blob = patch.SetU8(patch.Wh + 3, 0x80).WithCrc();
            Exception e = TestSupport.ThrowsException(typeof(ModelFormatException), () => RnnModel.Load(blob, false));
            TestSupport.Contains("wh[", e.Message);
            TestSupport.Contains("-128", e.Message);
        }

        [TestMethod]
        public void A_weight_source_holding_another_blob_is_refused()
        {
            GoldenCase g = Golden.GoldenData.Lstm_c6_h13_k4();
            RnnModel model = RnnModel.Load(g.Blob, false);

            // Another model altogether: its length differs.
            byte[] other = Golden.GoldenData.Lstm2_c6_h13_k4().Blob;
            Exception e = TestSupport.ThrowsException(
                typeof(ModelFormatException), () => new RnnNetwork(model, new ByteArrayBlobReader(other), 4));
            TestSupport.Contains("does not hold the blob this model was loaded from", e.Message);
            TestSupport.Contains("total_bytes " + other.Length + ", expected " + g.Blob.Length, e.Message);

            // The same model with one weight changed, trailer untouched (a damaged copy) and rewritten
            // (a valid blob of other weights): the CRC-32 differs from the model's either way.
            BlobPatch damaged = new BlobPatch(g.Blob);
            damaged.SetU8(damaged.Wx + 5, damaged.Blob[damaged.Wx + 5] ^ 0x01);
            CheckCrcRefused(model, damaged.Blob);
            CheckCrcRefused(model, damaged.WithCrc());
        }

        private static void CheckCrcRefused(RnnModel model, byte[] blob)
        {
            uint crc = Crc32.Compute(blob, 0, blob.Length - 4);
            Exception e = TestSupport.ThrowsException(
                typeof(ModelFormatException), () => new RnnNetwork(model, new ByteArrayBlobReader(blob), 4));
            TestSupport.Contains("does not hold the blob this model was loaded from", e.Message);
            TestSupport.Contains("CRC-32 0x" + crc.ToString("X8") + ", expected 0x" + model.BlobCrc.ToString("X8"), e.Message);
        }

        [TestMethod]
        public void A_model_without_gate_weights_is_refused_by_the_constructors_that_need_them()
        {
            RnnModel model = RnnModel.Load(Golden.GoldenData.Lstm_c6_h13_k4().Blob, false);
            Exception e = TestSupport.ThrowsException(typeof(ArgumentException), () => new RnnNetwork(model));
            TestSupport.Contains("new RnnNetwork(model, weights, chunkRows)", e.Message);
            TestSupport.ThrowsException(typeof(ArgumentException), () => new RnnNetwork(model, true));
            TestSupport.ThrowsException(typeof(ArgumentException), () => new RnnNetwork(model, false));
        }

        [TestMethod]
        public void Bad_streaming_arguments_throw()
        {
            byte[] blob = Golden.GoldenData.Lstm_c6_h13_k4().Blob;
            RnnModel model = RnnModel.Load(blob, false);
            ByteArrayBlobReader reader = new ByteArrayBlobReader(blob);
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => new RnnNetwork(null, reader, 1));
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => new RnnNetwork(model, null, 1));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => new RnnNetwork(model, reader, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => new RnnNetwork(model, reader, -1));
        }

        [TestMethod]
        public void ByteArrayBlobReader_copies_exactly_the_range_and_checks_it()
        {
            byte[] blob = new byte[] { 10, 11, 12, 13, 14 };
            ByteArrayBlobReader reader = new ByteArrayBlobReader(blob);
            byte[] destination = new byte[] { 0, 0, 0, 0 };
            reader.Read(2, destination, 1, 3);
            CollectionAssert.AreEqual(new byte[] { 0, 12, 13, 14 }, destination);
            reader.Read(5, destination, 4, 0);
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => new ByteArrayBlobReader(null));
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => reader.Read(0, null, 0, 1));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => reader.Read(3, destination, 0, 3));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => reader.Read(-1, destination, 0, 1));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => reader.Read(0, destination, 2, 3));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => reader.Read(0, destination, 0, -1));
        }
    }
}
