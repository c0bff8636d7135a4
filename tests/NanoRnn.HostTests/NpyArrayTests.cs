using Microsoft.VisualStudio.TestTools.UnitTesting;
using NanoRnn.Desktop;

namespace NanoRnn.HostTests
{
    [TestClass]
    public class NpyArrayTests
    {
        [TestMethod]
        public void ReadsFloat32AndFloat64InCOrder()
        {
            NpyArray f4 = NpyArray.Parse(Npy.Bytes("<f4", "1, 2, 3", Npy.Floats(1, 2, 3, 4, 5, -6.5f)), "x");
            CollectionAssert.AreEqual(new[] { 1, 2, 3 }, f4.Shape);
            CollectionAssert.AreEqual(new double[] { 1, 2, 3, 4, 5, -6.5 }, f4.Values);
            NpyArray f8 = NpyArray.Parse(Npy.Bytes("<f8", "2, 1, 1", Npy.Doubles(0.1, 1e300), major: 2), "x");
            CollectionAssert.AreEqual(new double[] { 0.1, 1e300 }, f8.Values);
        }

        [TestMethod]
        [DataRow("<c8", "1, 1, 1", 8, false, "dtype '<c8' is not supported; save float16, float32, float64 or integers")]
        [DataRow("|b1", "1, 1, 1", 1, false, "dtype '|b1' is not supported")]
        [DataRow("<f16", "1, 1, 1", 16, false, "dtype '<f16' is not supported")]
        [DataRow("|i4", "1, 1, 1", 4, false, "dtype '|i4' is not supported")]
        [DataRow("<f4", "1, 1, 2", 4, false, "needs 8 data bytes but the file has 4")]
        [DataRow("<f4", "1, 1, 1", 8, false, "needs 4 data bytes but the file has 8")]
        [DataRow("<f4", "1, 1, 1", 4, true, "Fortran-ordered")]
        [DataRow("<f4", "1, x, 1", 4, false, "malformed shape")]
        [DataRow("<f8", "2, 1, 1", 12, false, "needs 16 data bytes but the file has 12")]
        public void RefusesWhatItCannotRead(string descr, string shape, int bytes, bool fortran, string message)
        {
            var e = Assert.ThrowsExactly<DataException>(() => NpyArray.Parse(Npy.Bytes(descr, shape, new byte[bytes], fortran), "x.npy"));
            StringAssert.Contains(e.Message, message);
            StringAssert.StartsWith(e.Message, "x.npy: ");
        }

        // Every dtype tools/quantize.py reads, so that the two runners take the same files.
        [TestMethod]
        [DataRow("<f2", new byte[] { 0x00, 0xBC, 0x00, 0x3C }, -1.0, 1.0)]           // half -1, 1
        [DataRow(">f4", new byte[] { 0xC0, 0x20, 0, 0, 0x3F, 0x80, 0, 0 }, -2.5, 1.0)]
        [DataRow("|i1", new byte[] { 0xFF, 0x7F }, -1.0, 127.0)]
        [DataRow("|u1", new byte[] { 0xFF, 0x00 }, 255.0, 0.0)]
        [DataRow("<i2", new byte[] { 0x00, 0x80, 0xFF, 0x7F }, -32768.0, 32767.0)]
        [DataRow(">i2", new byte[] { 0x80, 0x00, 0x7F, 0xFF }, -32768.0, 32767.0)]
        [DataRow("<u2", new byte[] { 0xFF, 0xFF, 0x01, 0x00 }, 65535.0, 1.0)]
        [DataRow("<i4", new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 3, 0, 0, 0 }, -2.0, 3.0)]
        [DataRow("<u4", new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0 }, 4294967295.0, 0.0)]
        [DataRow("<i8", new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 7, 0, 0, 0, 0, 0, 0, 0 }, -1.0, 7.0)]
        [DataRow(">u8", new byte[] { 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 9 }, 256.0, 9.0)]
        public void ReadsHalfFloatsIntegersAndBigEndian(string descr, byte[] data, double first, double second)
        {
            NpyArray array = NpyArray.Parse(Npy.Bytes(descr, "1, 2, 1", data), "x");
            CollectionAssert.AreEqual(new[] { first, second }, array.Values);
            Assert.AreEqual(descr[1] != 'f', array.IsInteger);
        }

        [TestMethod]
        public void ReadsFormatVersion3AndOtherRanks()
        {
            NpyArray v3 = NpyArray.Parse(Npy.Bytes("<f4", "2,", Npy.Floats(7, 8), major: 3), "x");
            CollectionAssert.AreEqual(new[] { 2 }, v3.Shape);
            CollectionAssert.AreEqual(new double[] { 7, 8 }, v3.Values);
            StringAssert.Contains(Assert.ThrowsExactly<DataException>(() =>
                NpyArray.Parse(Npy.Bytes("<f4", "1, 1", Npy.Floats(1), major: 4), "x")).Message, "format version 4 is not supported");
        }

        [TestMethod]
        public void RefusesNonNpyAndTruncatedHeaders()
        {
            StringAssert.Contains(Assert.ThrowsExactly<DataException>(() => NpyArray.Parse(new byte[20], "x")).Message, "not a .npy file");
            byte[] valid = Npy.Bytes("<f4", "1, 1, 1", Npy.Floats(1));
            StringAssert.Contains(Assert.ThrowsExactly<DataException>(() => NpyArray.Parse(valid[..40], "x")).Message, "truncated .npy header");
        }
    }
}
