using System;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>
    /// Each check of docs/model-format.md ("What the loader checks"), in the doc's order: one damaged
    /// copy of a valid golden blob per check, refused with a ModelFormatException whose message names
    /// the field and the value. Where a check comes after the CRC, the CRC is recomputed so that the
    /// check itself is reached.
    /// </summary>
    [TestClass]
    public class ModelValidationTests
    {
        // 1. At least 32 bytes; magic "NRNN"; format_version 3; header_bytes 32.

        [TestMethod]
        public void Shorter_than_the_header()
        {
            byte[] blob = new byte[31];
            Array.Copy(BlobPatch.Small().Blob, blob, 31);
            TestSupport.RefusedWith(blob, "31 bytes", "32-byte header");
            TestSupport.RefusedWith(new byte[0], "0 bytes", "header");
        }

        [TestMethod]
        public void Bad_magic()
        {
            TestSupport.RefusedWith(BlobPatch.Small().SetU8(3, 'X').Blob, "magic", "4E 52 4E 58");
        }

        [TestMethod]
        public void Unsupported_format_version()
        {
            TestSupport.RefusedWith(BlobPatch.Small().SetU16(BlobPatch.FormatVersion, 4).Blob, "format_version 4", null);
            TestSupport.RefusedWith(BlobPatch.Small().SetU16(BlobPatch.FormatVersion, 0).Blob, "format_version 0", null);
        }

        [TestMethod]
        public void Wrong_header_bytes()
        {
            TestSupport.RefusedWith(BlobPatch.Small().SetU16(BlobPatch.HeaderBytes, 36).Blob, "header_bytes", "36");
        }

        // 2. total_bytes equals the length of the array.

        [TestMethod]
        public void Truncated_by_one_byte()
        {
            byte[] valid = BlobPatch.Small().Blob;
            byte[] blob = new byte[valid.Length - 1];
            Array.Copy(valid, blob, blob.Length);
            TestSupport.RefusedWith(blob, "total_bytes says " + valid.Length, "has " + blob.Length);
        }

        [TestMethod]
        public void Extended_by_one_byte()
        {
            byte[] valid = BlobPatch.Small().Blob;
            byte[] blob = new byte[valid.Length + 1];
            Array.Copy(valid, blob, valid.Length);
            TestSupport.RefusedWith(blob, "total_bytes says " + valid.Length, "has " + blob.Length);
        }

        // 3. CRC-32.

        [TestMethod]
        public void Flipped_bit_fails_the_CRC()
        {
            BlobPatch weight = BlobPatch.Small();
            weight.Blob[weight.Wh + 3] ^= 0x10;
            TestSupport.RefusedWith(weight.Blob, "CRC-32", "stored 0x");

            BlobPatch trailer = BlobPatch.Small();
            trailer.Blob[trailer.Crc] ^= 0x01;
            TestSupport.RefusedWith(trailer.Blob, "CRC-32", "computed 0x");
        }

        // 4. cell_type, layer_count, head_type, reserved fields, C, H, K, cf in range; total_bytes
        //    equals the size those fields imply.

        [TestMethod]
        public void Unsupported_cell_layer_count_and_head()
        {
            BlobPatch cell = BlobPatch.Small();
            TestSupport.RefusedWith(cell.SetU8(cell.CellType, 5).WithCrc(), "layer 0 cell_type 5", "not supported");
            cell = BlobPatch.Small();
            TestSupport.RefusedWith(cell.SetU8(cell.CellType, 2).WithCrc(), "layer 0 cell_frac_bits", "is not 0");
            TestSupport.RefusedWith(BlobPatch.Small().SetU8(BlobPatch.LayerCount, 5).WithCrc(), "layer_count 5", "1..4");
            TestSupport.RefusedWith(BlobPatch.Small().SetU8(BlobPatch.LayerCount, 2).WithCrc(), "layer 1", null);
            TestSupport.RefusedWith(BlobPatch.Small().SetU8(BlobPatch.HeadType, 0).WithCrc(), "head_type 0", null);
        }

        [TestMethod]
        public void Reserved_fields_must_be_zero()
        {
            TestSupport.RefusedWith(BlobPatch.Small().SetU8(BlobPatch.Reserved12, 1).WithCrc(), "reserved", "offset 12");
            TestSupport.RefusedWith(BlobPatch.Small().SetU8(BlobPatch.Reserved22, 2).WithCrc(), "reserved", "offset 22");
            TestSupport.RefusedWith(BlobPatch.Small().SetU8(BlobPatch.Reserved23, 7).WithCrc(), "reserved", "offset 23");
            TestSupport.RefusedWith(BlobPatch.Small().SetU16(BlobPatch.Reserved30, 256).WithCrc(), "reserved", "offset 30");
        }

        [TestMethod]
        public void Dimensions_outside_1_to_512()
        {
            TestSupport.RefusedWith(BlobPatch.Small().SetU16(BlobPatch.InputChannels, 0).WithCrc(), "input_channels 0", "1..512");
            BlobPatch hidden = BlobPatch.Small();
            TestSupport.RefusedWith(hidden.SetU16(hidden.HiddenSize, 513).WithCrc(), "layer 0 hidden_size 513", "1..512");
            TestSupport.RefusedWith(BlobPatch.Small().SetU16(BlobPatch.ClassCount, 0).WithCrc(), "class_count 0", "1..512");
            TestSupport.RefusedWith(BlobPatch.Small().SetU16(BlobPatch.ClassCount, 65535).WithCrc(), "class_count 65535", null);
        }

        [TestMethod]
        public void Cell_frac_bits_outside_4_to_15()
        {
            BlobPatch patch = BlobPatch.Small();
            TestSupport.RefusedWith(patch.SetU8(patch.CellFracBits, 3).WithCrc(), "cell_frac_bits 3", "4..15");
            TestSupport.RefusedWith(patch.SetU8(patch.CellFracBits, 16).WithCrc(), "cell_frac_bits 16", "4..15");
        }

        [TestMethod]
        public void Size_implied_by_the_dimensions_must_match()
        {
            // One more class needs 4 + 4 + 4 + 1 + H more bytes than the blob has.
            BlobPatch patch = BlobPatch.Small();
            int k = patch.K;
            TestSupport.RefusedWith(patch.SetU16(BlobPatch.ClassCount, k + 100).WithCrc(), "total_bytes", "does not match the layers and head");
            TestSupport.RefusedWith(BlobPatch.Small().SetU16(BlobPatch.InputChannels, 200).WithCrc(), "total_bytes", "layer 0 header runs past the end");
        }

        // 5. output_scale and input scales finite and positive, input zeros finite; channel sources known; shifts 1..62, multipliers >= 0,
        //    no weight -128.

        [TestMethod]
        public void Output_scale_must_be_finite_and_positive()
        {
            TestSupport.RefusedWith(BlobPatch.Small().SetF32(BlobPatch.OutputScale, 0f).WithCrc(), "output_scale", "not finite and positive");
            TestSupport.RefusedWith(BlobPatch.Small().SetF32(BlobPatch.OutputScale, -0.001f).WithCrc(), "output_scale", null);
            TestSupport.RefusedWith(BlobPatch.Small().SetF32(BlobPatch.OutputScale, float.NaN).WithCrc(), "output_scale", null);
            TestSupport.RefusedWith(BlobPatch.Small().SetF32(BlobPatch.OutputScale, float.PositiveInfinity).WithCrc(), "output_scale", null);
            TestSupport.RefusedWith(BlobPatch.Small().SetI32(BlobPatch.OutputScale, unchecked((int)0x80000000)).WithCrc(), "output_scale", "0x80000000");
        }

        [TestMethod]
        public void Input_scales_must_be_finite_and_positive_and_zeros_finite()
        {
            BlobPatch p = BlobPatch.Small();
            TestSupport.RefusedWith(p.SetF32(p.InputScale, float.NaN).WithCrc(), "input_scale[0]", "not finite and positive");
            p = BlobPatch.Small();
            TestSupport.RefusedWith(p.SetF32(p.InputScale, 0f).WithCrc(), "input_scale[0]", "not finite and positive");
            p = BlobPatch.Small();
            TestSupport.RefusedWith(p.SetF32(p.InputZero, float.NegativeInfinity).WithCrc(), "input_zero[0]", "not finite");
            p = BlobPatch.Small();
            RnnModel model = RnnModel.Load(p.SetF32(p.InputZero, -3.5f).WithCrc());   // a negative zero point is fine
            Assert.IsTrue(model.GetInputZero(0) == -3.5f);
        }

        [TestMethod]
        public void Tiny_positive_output_scale_is_accepted()
        {
            // A denormal is finite and positive, as NumPy's isfinite and > 0 say.
            RnnModel model = RnnModel.Load(BlobPatch.Small().SetI32(BlobPatch.OutputScale, 1).WithCrc());
            Assert.IsTrue(model.OutputScale > 0f, "denormal output_scale");
        }

        [TestMethod]
        public void Channel_source_must_be_known()
        {
            BlobPatch patch = BlobPatch.Small();
            TestSupport.RefusedWith(patch.SetU8(patch.ChannelSource, 8).WithCrc(), "channel_source[0] = 8", null);
            TestSupport.RefusedWith(patch.SetU8(patch.ChannelSource, 31).WithCrc(), "channel_source[0] = 31", null);
            TestSupport.RefusedWith(patch.SetU8(patch.ChannelSource, 64).WithCrc(), "channel_source[0] = 64", null);
            Assert.AreEqual(63, RnnModel.Load(patch.SetU8(patch.ChannelSource, 63).WithCrc()).GetChannelSource(0), "in31");
            Assert.AreEqual(7, RnnModel.Load(patch.SetU8(patch.ChannelSource, 7).WithCrc()).GetChannelSource(0), "temperature");
        }

        [TestMethod]
        public void Shifts_must_be_1_to_62()
        {
            BlobPatch patch = BlobPatch.Small();
            TestSupport.RefusedWith(patch.SetU8(patch.Sx + 3, 0).WithCrc(), "sx[3] = 0", "1..62");
            patch = BlobPatch.Small();
            TestSupport.RefusedWith(patch.SetU8(patch.Sh + patch.R - 1, 63).WithCrc(), "sh[" + (patch.R - 1) + "] = 63", "1..62");
            patch = BlobPatch.Small();
            TestSupport.RefusedWith(patch.SetU8(patch.HeadS + 1, 0).WithCrc(), "head_s[1] = 0", null);
            patch = BlobPatch.Small();
            RnnModel.Load(patch.SetU8(patch.Sx, 1).SetU8(patch.Sh, 62).WithCrc());
        }

        [TestMethod]
        public void Multipliers_must_not_be_negative()
        {
            BlobPatch patch = BlobPatch.Small();
            TestSupport.RefusedWith(patch.SetI32(patch.Mx + 4 * 2, -1).WithCrc(), "mx[2] = -1", "negative");
            patch = BlobPatch.Small();
            TestSupport.RefusedWith(patch.SetI32(patch.Mh, int.MinValue).WithCrc(), "mh[0] = -2147483648", null);
            patch = BlobPatch.Small();
            TestSupport.RefusedWith(patch.SetI32(patch.HeadM + 4, -5).WithCrc(), "head_m[1] = -5", null);
            patch = BlobPatch.Small();
            RnnModel.Load(patch.SetI32(patch.Mx, int.MaxValue).SetI32(patch.Mh, 0).WithCrc());
        }

        [TestMethod]
        public void Weights_must_not_be_minus_128()
        {
            BlobPatch patch = BlobPatch.Small();
            TestSupport.RefusedWith(patch.SetU8(patch.Wx + 7, 0x80).WithCrc(), "wx[7, 0]", "-128");
            patch = BlobPatch.Small();
            TestSupport.RefusedWith(patch.SetU8(patch.Wh + 2 * patch.H + 4, 0x80).WithCrc(), "wh[2, 4]", "-128");
            patch = BlobPatch.Small();
            TestSupport.RefusedWith(patch.SetU8(patch.HeadW + patch.H + 1, 0x80).WithCrc(), "head_w[1, 1]", "-128");
            patch = BlobPatch.Small();
            RnnModel.Load(patch.SetU8(patch.Wx, 0x81).SetU8(patch.HeadW, 0x7F).WithCrc());
        }

        // Order: when several things are wrong, the first check in the doc's order reports.

        [TestMethod]
        public void The_first_failing_check_in_doc_order_reports()
        {
            BlobPatch patch = BlobPatch.Small();
            patch.SetU16(BlobPatch.FormatVersion, 9);
            patch.Blob[patch.Wx] = 0x80;
            TestSupport.RefusedWith(patch.Blob, "format_version 9", null);

            patch = BlobPatch.Small();
            patch.SetU16(patch.HiddenSize, 600).SetF32(BlobPatch.OutputScale, float.NaN);
            TestSupport.RefusedWith(patch.Blob, "CRC-32", null);
            TestSupport.RefusedWith(patch.WithCrc(), "hidden_size 600", null);

            patch = BlobPatch.Small();
            patch.SetF32(BlobPatch.OutputScale, -1f).SetU8(patch.Sx, 0).SetU8(patch.Wx, 0x80);
            TestSupport.RefusedWith(patch.WithCrc(), "output_scale", null);

            patch = BlobPatch.Small();
            patch.SetI32(patch.Mx, -1).SetU8(patch.HeadS, 0);
            TestSupport.RefusedWith(patch.WithCrc(), "layer 0 mx[0] = -1", null);   // each layer before the head
        }
    }
}
