using System;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>CRC-32 against the standard check value and against the trailers the Python tool (zlib.crc32) wrote.</summary>
    [TestClass]
    public class Crc32Tests
    {
        [TestMethod]
        public void Check_value_of_123456789()
        {
            byte[] ascii = new byte[] { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39 };
            Assert.AreEqual(unchecked((int)0xCBF43926), (int)Crc32.Compute(ascii, 0, ascii.Length), "CRC-32/ISO-HDLC check value");
        }

        [TestMethod]
        public void Empty_range_is_zero_and_offset_is_honoured()
        {
            byte[] padded = new byte[] { 0xFF, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0xFF };
            Assert.AreEqual(0, (int)Crc32.Compute(padded, 3, 0), "no bytes");
            Assert.AreEqual(unchecked((int)0xCBF43926), (int)Crc32.Compute(padded, 1, 9), "bytes 1..9");
        }

        [TestMethod]
        public void Matches_the_trailer_of_every_golden_blob()
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase golden = Golden.GoldenData.Get(i);
                byte[] blob = golden.Blob;
                int end = blob.Length - 4;
                int stored = blob[end] | (blob[end + 1] << 8) | (blob[end + 2] << 16) | (blob[end + 3] << 24);
                Assert.AreEqual(stored, (int)Crc32.Compute(blob, 0, end), golden.Name);
            }
        }

        [TestMethod]
        public void Append_over_pieces_equals_Compute_over_the_whole()
        {
            byte[] blob = Golden.GoldenData.Lstm_c6_h13_k4().Blob;
            uint whole = Crc32.Compute(blob, 0, blob.Length);
            for (int piece = 1; piece <= 97; piece += 16)
            {
                uint crc = 0;
                for (int offset = 0; offset < blob.Length; offset += piece)
                {
                    crc = Crc32.Append(crc, blob, offset, blob.Length - offset < piece ? blob.Length - offset : piece);
                }

                Assert.AreEqual((int)whole, (int)crc, "pieces of " + piece);
            }

            Assert.AreEqual((int)whole, (int)Crc32.Append(whole, blob, 7, 0), "an empty piece changes nothing");
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => Crc32.Append(0, blob, blob.Length, 1));
        }

        [TestMethod]
        public void Bad_arguments_throw()
        {
            byte[] data = new byte[4];
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => Crc32.Compute(null, 0, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => Crc32.Compute(data, -1, 1));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => Crc32.Compute(data, 1, 4));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => Crc32.Compute(data, 0, -1));
        }
    }
}
