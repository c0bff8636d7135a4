using System;

namespace NanoRnn.Tests
{
    /// <summary>
    /// Damages a copy of a valid golden blob one field at a time, for the loader tests. Offsets come
    /// straight from docs/model-format.md ("Blob layout"), independently of the library's own layout.
    /// This edits blobs the Python tool wrote; it is not a second blob writer.
    /// </summary>
    internal sealed class BlobPatch
    {
        // Header offsets (docs/model-format.md).
        internal const int FormatVersion = 4, HeaderBytes = 6, TotalBytes = 8, Reserved12 = 12, LayerCount = 13,
            HeadType = 14, HeadSteps = 15, InputChannels = 16, MlpHidden = 18, ClassCount = 20,
            Reserved22 = 22, Reserved23 = 23, OutputScale = 24, SampleRate = 28, Reserved30 = 30;

        internal readonly byte[] Blob;
        internal readonly int C, H, K, R;

        // Layer 0's header fields, then the section offsets of layer 0 and, for a one-layer blob with
        // a linear head, of the head, in blob order.
        internal readonly int CellType, CellFracBits, HiddenSize, HiddenScale;
        internal readonly int InputScale, InputZero, ChannelSource, WxRowScale, WhRowScale, Bias, Mx, Mh,
            Sx, Sh, Wx, Wh, HeadRowScale, HeadBias, HeadM, HeadS, HeadW, Crc;

        /// <summary>A private copy of <paramref name="valid"/> and the offsets of its sections.</summary>
        internal BlobPatch(byte[] valid)
        {
            Blob = new byte[valid.Length];
            Array.Copy(valid, Blob, valid.Length);
            C = U16(InputChannels);
            K = U16(ClassCount);
            InputScale = 32;
            InputZero = InputScale + 4 * C;
            ChannelSource = InputZero + 4 * C;
            CellType = ChannelSource + C;
            CellFracBits = CellType + 1;
            HiddenSize = CellType + 2;
            HiddenScale = CellType + 4;
            bool hasLayer = HiddenSize + 2 <= Blob.Length;
            H = hasLayer ? U16(HiddenSize) : 0;
            R = hasLayer && (Blob[CellType] == 3 || Blob[CellType] == 4) ? H : 4 * H;
            WxRowScale = CellType + 8;
            WhRowScale = WxRowScale + 4 * R;
            Bias = WhRowScale + 4 * R;
            Mx = Bias + 4 * R;
            Mh = Mx + 4 * R;
            Sx = Mh + 4 * R;
            Sh = Sx + R;
            Wx = Sh + R;
            Wh = Wx + R * C;
            HeadRowScale = Wh + R * H;
            HeadBias = HeadRowScale + 4 * K;
            HeadM = HeadBias + 4 * K;
            HeadS = HeadM + 4 * K;
            HeadW = HeadS + K;
            Crc = Blob.Length - 4;
        }

        /// <summary>The smallest golden model (C = 1, H = 5, K = 2).</summary>
        internal static BlobPatch Small()
        {
            return new BlobPatch(Golden.GoldenData.Lstm_c1_h5_k2().Blob);
        }

        internal int U16(int offset)
        {
            return Blob[offset] | (Blob[offset + 1] << 8);
        }

        internal BlobPatch SetU8(int offset, int value)
        {
            Blob[offset] = (byte)value;
            return this;
        }

        internal BlobPatch SetU16(int offset, int value)
        {
            Blob[offset] = (byte)value;
            Blob[offset + 1] = (byte)(value >> 8);
            return this;
        }

        internal BlobPatch SetI32(int offset, int value)
        {
            for (int i = 0; i < 4; i++)
            {
                Blob[offset + i] = (byte)(value >> (8 * i));
            }

            return this;
        }

        internal BlobPatch SetF32(int offset, float value)
        {
            byte[] bytes = BitConverter.GetBytes(value);
            Array.Copy(bytes, 0, Blob, offset, 4);
            return this;
        }

        /// <summary>Rewrites the trailer so the CRC check passes and a later check is reached.</summary>
        internal byte[] WithCrc()
        {
            int end = Blob.Length - 4;
            SetI32(end, (int)Crc32.Compute(Blob, 0, end));
            return Blob;
        }
    }
}
