using System;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>
    /// Blobs of stacks, GRU, RNN, MLP and every-step heads: header values as the
    /// golden blobs hold them, one precise refusal per kind of damage, and the layer-indexed API.
    /// Offsets are walked here from docs/model-format.md ("Blob layout"), not from the library.
    /// </summary>
    [TestClass]
    public class StackedModelTests
    {
        // Header and layer-header offsets (docs/model-format.md).
        private const int LayerCountAt = 13, HeadTypeAt = 14, HeadStepsAt = 15, MlpHiddenAt = 18, Reserved12At = 12;
        private const int LayerHeaderBytes = 8;

        // Layer l's header offset in a blob, walking the layer headers.
        private static int LayerHeader(byte[] blob, int layer)
        {
            BlobPatch header = new BlobPatch(blob);
            int offset = 32 + 9 * header.C;
            int width = header.C;
            for (int l = 0; l < layer; l++)
            {
                int h = header.U16(offset + 2);
                int rows = (blob[offset] <= 2 ? 4 : 1) * h;
                offset += LayerHeaderBytes + rows * (22 + width + h);
                width = h;
            }

            return offset;
        }

        // The offset of the MLP's mlp_scale (after the last layer).
        private static int AfterLayers(byte[] blob)
        {
            return LayerHeader(blob, blob[LayerCountAt]);
        }

        private static GoldenCase Mlp()
        {
            return Golden.GoldenData.Gru2_c3_h7_k5_mlp9_every_step();   // GRU 3→7→7, MLP 9, K 5, every step
        }

        [TestMethod]
        public void Every_stacked_or_non_lstm_golden_blob_loads_with_its_header_values()
        {
            int seen = 0;
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase golden = Golden.GoldenData.Get(i);
                byte[] blob = golden.Blob;
                BlobPatch header = new BlobPatch(blob);
                if (blob[LayerCountAt] == 1 && blob[header.CellType] == RnnModel.CellTypeLstm && blob[HeadTypeAt] == 1)
                {
                    continue;   // ModelLoadTests
                }

                seen++;
                string name = golden.Name;
                RnnModel model = RnnModel.Load(blob);
                Assert.AreEqual(RnnModel.SupportedFormatVersion, model.FormatVersion, name + " FormatVersion");
                Assert.AreEqual((int)blob[LayerCountAt], model.LayerCount, name + " LayerCount");
                Assert.AreEqual(header.C, model.InputChannels, name + " InputChannels");
                Assert.AreEqual(header.K, model.ClassCount, name + " ClassCount");
                Assert.AreEqual(blob[HeadTypeAt] == 2 ? header.U16(MlpHiddenAt) : 0, model.HeadHiddenSize, name + " HeadHiddenSize");
                Assert.AreEqual(blob[HeadStepsAt] == 1, model.HeadOnEveryStep, name + " HeadOnEveryStep");
                for (int l = 0; l < model.LayerCount; l++)
                {
                    int at = LayerHeader(blob, l);
                    Assert.AreEqual((int)blob[at], model.GetCellType(l), name + " layer " + l + " cell type");
                    Assert.AreEqual((int)blob[at + 1], model.GetCellFracBits(l), name + " layer " + l + " cf");
                    Assert.AreEqual(header.U16(at + 2), model.GetHiddenSize(l), name + " layer " + l + " H");
                }

                Assert.AreEqual(model.GetHiddenSize(model.LayerCount - 1), model.HiddenSize, name + " HiddenSize is the last layer's");
                Assert.AreEqual(model.GetCellType(0), model.CellType, name + " CellType is layer 0's");
            }

            Assert.IsTrue(seen >= 10, "stacked or non-LSTM golden cases: " + seen);
        }

        [TestMethod]
        public void Version_2_header_fields_out_of_range()
        {
            byte[] blob = Mlp().Blob;
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(LayerCountAt, 0).WithCrc(), "layer_count 0", "1..4");
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(LayerCountAt, 5).WithCrc(), "layer_count 5", "1..4");
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(HeadTypeAt, 3).WithCrc(), "head_type 3", null);
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(HeadStepsAt, 2).WithCrc(), "head_steps 2", null);
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(Reserved12At, 1).WithCrc(), "reserved", "offset 12");
            TestSupport.RefusedWith(new BlobPatch(blob).SetU16(MlpHiddenAt, 0).WithCrc(), "mlp_hidden 0", "1..512");
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(HeadTypeAt, 1).WithCrc(), "mlp_hidden 9 is not 0", null);
            TestSupport.RefusedWith(new BlobPatch(blob).SetU16(MlpHiddenAt, 10).WithCrc(), "total_bytes", "does not match");
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(LayerCountAt, 4).WithCrc(), "layer 2 cell_type", "not supported");  // the MLP read as a third layer
        }

        [TestMethod]
        public void Layer_headers_out_of_range()
        {
            byte[] blob = Mlp().Blob;
            int layer1 = LayerHeader(blob, 1);
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(layer1, 5).WithCrc(), "layer 1 cell_type 5", null);
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(layer1 + 1, 12).WithCrc(), "layer 1 cell_frac_bits 12", "is not 0");
            TestSupport.RefusedWith(new BlobPatch(blob).SetU16(layer1 + 2, 0).WithCrc(), "layer 1 hidden_size 0", "1..512");
            TestSupport.RefusedWith(new BlobPatch(blob).SetF32(layer1 + 4, float.NaN).WithCrc(), "layer 1 hidden_scale", "not finite");
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(layer1, 1).WithCrc(), "layer 1 cell_frac_bits 0", "4..15");
            TestSupport.RefusedWith(new BlobPatch(blob).SetU16(layer1 + 2, 8).WithCrc(), "total_bytes", "does not match");
            TestSupport.RefusedWith(new BlobPatch(blob).SetU16(layer1 + 2, 500).WithCrc(), "total_bytes", "does not match");
        }

        [TestMethod]
        public void Layer_and_head_sections_are_checked()
        {
            byte[] blob = Mlp().Blob;
            int sections = LayerHeader(blob, 1) + LayerHeaderBytes;
            int rows = 4 * 7;
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(sections + 20 * rows + 3, 0).WithCrc(), "layer 1 sx[3] = 0", "1..62");
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(sections + 21 * rows, 63).WithCrc(), "layer 1 sh[0] = 63", null);
            TestSupport.RefusedWith(new BlobPatch(blob).SetI32(sections + 12 * rows + 8, -1).WithCrc(), "layer 1 mx[2] = -1", null);
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(sections + 22 * rows + 7, 0x80).WithCrc(), "layer 1 wx[1, 0] is -128", null);
            int mlpScale = AfterLayers(blob);
            TestSupport.RefusedWith(new BlobPatch(blob).SetF32(mlpScale, 0f).WithCrc(), "mlp_scale", "positive");
            int mlp = mlpScale + 4;
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(mlp + 12 * 9, 0).WithCrc(), "mlp_s[0] = 0", null);
            int head = mlp + 9 * (13 + 7);
            TestSupport.RefusedWith(new BlobPatch(blob).SetU8(head + 13 * 5 + 10, 0x80).WithCrc(), "head_w[1, 1] is -128", null);
            TestSupport.RefusedWith(new BlobPatch(blob).SetI32(head + 8 * 5, -5).WithCrc(), "head_m[0] = -5", null);
        }

        [TestMethod]
        public void Layer_indexed_accessors_refuse_a_layer_that_does_not_exist()
        {
            RnnModel model = RnnModel.Load(Mlp().Blob);
            RnnNetwork network = new RnnNetwork(model);
            network.Stages.Record = true;
            short[] buffer = new short[64];
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => model.GetCellType(-1));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => model.GetHiddenSize(2));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => model.GetCellFracBits(2));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Stages.CopyHidden(2, buffer, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Stages.CopyPreActivations(-1, buffer, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Stages.CopyGates(2, buffer, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Stages.CopyCell(3, buffer, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Stages.CopyGates(1, new short[27], 0));
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => network.Stages.CopyHidden(0, null, 0));
            network.Stages.CopyCell(1, new short[0], 0);    // a GRU layer has no cell state: nothing to copy
            network.Stages.CopyGates(1, new short[28], 0);
        }

        [TestMethod]
        public void Layers_run_in_order_and_reset_together()
        {
            GoldenCase g = Golden.GoldenData.Lstm3_c3_h5_k2_no_bias();
            RnnNetwork network = new RnnNetwork(RnnModel.Load(g.Blob));
            network.Step(g.Input, 0);
            network.Step(g.Input, 3);
            short[] hidden = new short[5];
            for (int l = 0; l < 3; l++)
            {
                network.Stages.CopyHidden(l, hidden, 0);
                Assert.IsTrue(!AllZero(hidden), "two steps move layer " + l + "'s h away from 0");
            }

            network.Reset();
            for (int l = 0; l < 3; l++)
            {
                network.Stages.CopyHidden(l, hidden, 0);
                Assert.IsTrue(AllZero(hidden), "Reset clears layer " + l + "'s h");
                network.Stages.CopyCell(l, hidden, 0);
                Assert.IsTrue(AllZero(hidden), "Reset clears layer " + l + "'s c");
            }
        }

        private static bool AllZero(short[] values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
