namespace NanoRnn
{
    /// <summary>
    /// Where each field of a format-version-1 blob lives (docs/model-format.md, "Blob layout").
    /// The constants are the 32-byte header; an instance holds the section offsets for given C, H, K.
    /// </summary>
    internal sealed class BlobLayout
    {
        // Header: offset                          type     field
        internal const int MagicOffset = 0;         // u8[4]  "NRNN"
        internal const int FormatVersionOffset = 4; // u16    1
        internal const int HeaderBytesOffset = 6;   // u16    32
        internal const int TotalBytesOffset = 8;    // u32    whole blob, CRC included
        internal const int CellTypeOffset = 12;     // u8     1 = LSTM
        internal const int LayerCountOffset = 13;   // u8     1
        internal const int HeadTypeOffset = 14;     // u8     1 = linear on the last step
        internal const int Reserved15Offset = 15;   // u8     0
        internal const int InputChannelsOffset = 16; // u16   C, 1..512
        internal const int HiddenSizeOffset = 18;   // u16    H, 1..512
        internal const int ClassCountOffset = 20;   // u16    K, 1..512
        internal const int CellFracBitsOffset = 22; // u8     cf, 4..15
        internal const int Reserved23Offset = 23;   // u8     0
        internal const int OutputScaleOffset = 24;  // f32    finite, > 0
        internal const int SampleRateOffset = 28;   // u16    Hz, 0 = not recorded
        internal const int Reserved30Offset = 30;   // u16    0
        internal const int HeaderBytes = 32;

        internal const byte Magic0 = 0x4E;          // 'N'
        internal const byte Magic1 = 0x52;          // 'R'
        internal const byte Magic2 = 0x4E;          // 'N'
        internal const byte Magic3 = 0x4E;          // 'N'
        internal const int FormatVersion = 1;
        internal const int HeadTypeLinearLast = 1;
        internal const int SupportedLayerCount = 1;
        internal const int LstmGateCount = 4;       // i, f, g, o
        internal const int MaxDimension = 512;      // C, H, K: keeps every int32 accumulator exact
        internal const int MinCellFracBits = 4;
        internal const int MaxCellFracBits = 15;
        internal const int MinShift = 1;
        internal const int MaxShift = 62;
        internal const int CrcBytes = 4;

        // Sections, in blob order, no padding. R = 4H.   type  count  field
        internal readonly int InputScale;    // f32  C      training units per count
        internal readonly int InputZero;     // f32  C      counts that mean 0 in training units
        internal readonly int ChannelSource; // u8   C      ChannelSource code
        internal readonly int WxRowScale;    // f32  R      information only
        internal readonly int WhRowScale;    // f32  R      information only
        internal readonly int GateBias;      // i32  R      Q3.12
        internal readonly int Mx;            // i32  R      multiplier of the input product
        internal readonly int Mh;            // i32  R      multiplier of the recurrent product
        internal readonly int Sx;            // u8   R      shift of the input product
        internal readonly int Sh;            // u8   R      shift of the recurrent product
        internal readonly int Wx;            // i8   R·C    row-major, row r = gate·H + j
        internal readonly int Wh;            // i8   R·H    row-major
        internal readonly int HeadRowScale;  // f32  K      information only
        internal readonly int HeadBias;      // i32  K      units of output_scale
        internal readonly int HeadM;         // i32  K      multiplier
        internal readonly int HeadS;         // u8   K      shift
        internal readonly int HeadW;         // i8   K·H    row-major
        internal readonly int Crc;           // u32  1      CRC-32 of every byte before it
        internal readonly int TotalBytes;    // = 32 + 9C + R·(8 + 12 + 2 + C + H) + K·(4 + 8 + 1 + H) + 4

        internal BlobLayout(int inputChannels, int hiddenSize, int classCount)
        {
            int c = inputChannels;
            int h = hiddenSize;
            int k = classCount;
            int r = LstmGateCount * h;
            InputScale = HeaderBytes;
            InputZero = InputScale + 4 * c;
            ChannelSource = InputZero + 4 * c;
            WxRowScale = ChannelSource + c;
            WhRowScale = WxRowScale + 4 * r;
            GateBias = WhRowScale + 4 * r;
            Mx = GateBias + 4 * r;
            Mh = Mx + 4 * r;
            Sx = Mh + 4 * r;
            Sh = Sx + r;
            Wx = Sh + r;
            Wh = Wx + r * c;
            HeadRowScale = Wh + r * h;
            HeadBias = HeadRowScale + 4 * k;
            HeadM = HeadBias + 4 * k;
            HeadS = HeadM + 4 * k;
            HeadW = HeadS + k;
            Crc = HeadW + k * h;
            TotalBytes = Crc + CrcBytes;
        }
    }
}
