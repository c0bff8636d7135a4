using System;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>
    /// RnnModel.Load(IBlobReader, int), for blobs that stay in flash: it builds the model the array
    /// loader builds without gate weights (every property, and the golden outputs bit for bit once
    /// streamed), reads the blob in pieces of at most RnnModel.LoadBufferBytes, and turns a wrong
    /// length or a reader that fails into one ModelFormatException. Every damaged blob of
    /// ModelValidationTests and StackedModelTests also goes through it (TestSupport.RefusedWith), with
    /// the array loader's message.
    /// </summary>
    [TestClass]
    public class ReaderLoadTests
    {
        [TestMethod]
        public void Every_golden_blob_loads_through_a_reader_as_from_the_array()
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase golden = Golden.GoldenData.Get(i);
                byte[] blob = golden.Blob;
                RnnModel streamed = RnnModel.Load(new ByteArrayBlobReader(blob), blob.Length);
                Assert.IsFalse(streamed.HasGateWeights, golden.Name + " HasGateWeights");
                CheckSameModel(RnnModel.Load(blob, false), streamed, golden.Name);
            }
        }

        [TestMethod]
        public void A_model_loaded_through_a_reader_streams_every_golden_stage_exactly()
        {
            int[] chunkRows = new int[] { 1, 16 };
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase g = Golden.GoldenData.Get(i);
                for (int s = 0; s < chunkRows.Length; s++)
                {
                    ByteArrayBlobReader reader = new ByteArrayBlobReader(g.Blob);
                    RnnNetwork network = new RnnNetwork(RnnModel.Load(reader, g.Blob.Length), reader, chunkRows[s]);
                    network.Stages.Record = true;
                    GoldenTests.CheckCase(g, network, "loaded through a reader, streamed " + chunkRows[s] + " rows");
                }
            }
        }

        [TestMethod]
        public void The_blob_is_read_in_pieces_no_larger_than_the_load_buffer()
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase golden = Golden.GoldenData.Get(i);
                byte[] blob = golden.Blob;
                RecordingBlobReader reader = new RecordingBlobReader(blob);
                RnnModel.Load(reader, blob.Length);
                string name = golden.Name;
                Assert.IsTrue(reader.LargestRead <= RnnModel.LoadBufferBytes, name + ": largest read " + reader.LargestRead);
                // Every byte for the CRC-32, then each checked section once and each kept one once more.
                Assert.IsTrue(reader.BytesRead > blob.Length, name + ": read " + reader.BytesRead);
                Assert.IsTrue(reader.BytesRead < 3L * blob.Length, name + ": read " + reader.BytesRead);
            }
        }

        [TestMethod]
        public void A_length_that_differs_from_total_bytes_is_refused_as_the_array_of_that_length_is()
        {
            byte[] blob = BlobPatch.Small().Blob;
            ByteArrayBlobReader reader = new ByteArrayBlobReader(blob);
            int[] lengths = new int[] { blob.Length - 1, blob.Length + 1, blob.Length + 100000, 31, 0 };
            for (int i = 0; i < lengths.Length; i++)
            {
                byte[] resized = new byte[lengths[i]];
                Array.Copy(blob, resized, lengths[i] < blob.Length ? lengths[i] : blob.Length);
                Exception array = TestSupport.ThrowsException(typeof(ModelFormatException), () => RnnModel.Load(resized));
                Exception streamed = TestSupport.ThrowsException(typeof(ModelFormatException), () => RnnModel.Load(reader, lengths[i]));
                Assert.AreEqual(array.Message, streamed.Message, "length " + lengths[i]);
            }

            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => RnnModel.Load(reader, -1));
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => RnnModel.Load((IBlobReader)null, blob.Length));
        }

        [TestMethod]
        public void A_reader_holding_less_than_the_length_is_refused_where_it_ends()
        {
            // The caller and the header agree on the length, but the storage is one byte short: the first
            // read past its end (the stored CRC-32) fails, and the message says which bytes.
            byte[] blob = BlobPatch.Small().Blob;
            byte[] truncated = new byte[blob.Length - 1];
            Array.Copy(blob, truncated, truncated.Length);
            Exception e = TestSupport.ThrowsException(
                typeof(ModelFormatException), () => RnnModel.Load(new ByteArrayBlobReader(truncated), blob.Length));
            int n = blob.Length;
            TestSupport.Contains("reading bytes " + (n - 4) + ".." + (n - 1) + " of the " + n + "-byte blob failed: ArgumentOutOfRangeException", e.Message);
            Assert.IsTrue(e.InnerException != null && e.InnerException.GetType() == typeof(ArgumentOutOfRangeException), "InnerException");
        }

        [TestMethod]
        public void A_reader_failing_on_any_read_is_one_ModelFormatException()
        {
            // A linear and an MLP head, one and two layers: a failure in the header, the CRC-32, the
            // checks or the copies, and no model either way.
            byte[][] blobs = new byte[][] { BlobPatch.Small().Blob, Golden.GoldenData.Gru2_c3_h7_k5_mlp9_every_step().Blob };
            for (int b = 0; b < blobs.Length; b++)
            {
                RecordingBlobReader counter = new RecordingBlobReader(blobs[b]);
                RnnModel.Load(counter, blobs[b].Length);
                Assert.IsTrue(counter.Reads > 4, "reads: " + counter.Reads);
                for (int read = 0; read < counter.Reads; read++)
                {
                    RecordingBlobReader reader = new RecordingBlobReader(blobs[b]);
                    reader.ThrowOnRead = read;
                    RnnModel model = null;
                    Exception e = TestSupport.ThrowsException(
                        typeof(ModelFormatException), () => model = RnnModel.Load(reader, blobs[b].Length));
                    Assert.IsNull(model, "a model after read " + read + " failed");
                    TestSupport.Contains("blob failed: InvalidOperationException: read " + read + " failed on purpose", e.Message);
                    Assert.IsTrue(e.InnerException != null && e.InnerException.GetType() == typeof(InvalidOperationException), "InnerException");
                }
            }
        }

        [TestMethod]
        public void A_reader_that_copies_short_is_refused()
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase golden = Golden.GoldenData.Get(i);
                RecordingBlobReader reader = new RecordingBlobReader(golden.Blob);
                reader.ShortReads = true;
                TestSupport.ThrowsException(typeof(ModelFormatException), () => RnnModel.Load(reader, golden.Blob.Length));
            }
        }

        [TestMethod]
        public void Loading_through_a_reader_checks_every_gate_weight()
        {
            BlobPatch patch = BlobPatch.Small();
            TestSupport.RefusedWith(patch.SetU8(patch.Wh + patch.R * patch.H - 1, 0x80).WithCrc(), "wh[" + (patch.R - 1) + ", " + (patch.H - 1) + "]", "-128");
        }

        // Every public property and per-layer and per-channel accessor of two models.
        internal static void CheckSameModel(RnnModel expected, RnnModel actual, string name)
        {
            Assert.AreEqual(expected.FormatVersion, actual.FormatVersion, name + " FormatVersion");
            Assert.AreEqual(expected.CellType, actual.CellType, name + " CellType");
            Assert.AreEqual(expected.LayerCount, actual.LayerCount, name + " LayerCount");
            Assert.AreEqual(expected.InputChannels, actual.InputChannels, name + " InputChannels");
            Assert.AreEqual(expected.HiddenSize, actual.HiddenSize, name + " HiddenSize");
            Assert.AreEqual(expected.ClassCount, actual.ClassCount, name + " ClassCount");
            Assert.AreEqual(expected.CellFracBits, actual.CellFracBits, name + " CellFracBits");
            Assert.AreEqual(expected.HeadHiddenSize, actual.HeadHiddenSize, name + " HeadHiddenSize");
            Assert.IsTrue(expected.MlpScale == actual.MlpScale, name + " MlpScale");
            Assert.AreEqual(expected.HeadOnEveryStep, actual.HeadOnEveryStep, name + " HeadOnEveryStep");
            Assert.IsTrue(expected.OutputScale == actual.OutputScale, name + " OutputScale");
            Assert.AreEqual(expected.SampleRateHz, actual.SampleRateHz, name + " SampleRateHz");
            Assert.AreEqual(expected.HasGateWeights, actual.HasGateWeights, name + " HasGateWeights");
            Assert.AreEqual(expected.BlobLength, actual.BlobLength, name + " BlobLength");
            Assert.AreEqual(expected.BlobCrc, actual.BlobCrc, name + " BlobCrc");
            for (int l = 0; l < expected.LayerCount; l++)
            {
                Assert.AreEqual(expected.GetCellType(l), actual.GetCellType(l), name + " layer " + l + " cell type");
                Assert.AreEqual(expected.GetHiddenSize(l), actual.GetHiddenSize(l), name + " layer " + l + " H");
                Assert.AreEqual(expected.GetCellFracBits(l), actual.GetCellFracBits(l), name + " layer " + l + " cf");
            }

            for (int c = 0; c < expected.InputChannels; c++)
            {
                Assert.IsTrue(expected.GetInputScale(c) == actual.GetInputScale(c), name + " input scale " + c);
                Assert.IsTrue(expected.GetInputZero(c) == actual.GetInputZero(c), name + " input zero " + c);
                Assert.AreEqual(expected.GetChannelSource(c), actual.GetChannelSource(c), name + " channel source " + c);
            }
        }
    }
}
