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
        [DataRow("<i2", "1, 1, 1", 2, false, "dtype '<i2' is not supported")]
        [DataRow("<f4", "1, 1, 2", 4, false, "needs 8 data bytes but the file has 4")]
        [DataRow("<f4", "1, 1, 1", 8, false, "needs 4 data bytes but the file has 8")]
        [DataRow("<f4", "1, 1, 1", 4, true, "Fortran-ordered")]
        [DataRow("<f4", "1, x, 1", 4, false, "malformed shape")]
        [DataRow(">f4", "1, 1, 1", 4, false, "dtype '>f4' is not supported")]
        [DataRow("<f8", "2, 1, 1", 12, false, "needs 16 data bytes but the file has 12")]
        public void RefusesWhatItCannotRead(string descr, string shape, int bytes, bool fortran, string message)
        {
            var e = Assert.ThrowsExactly<DataException>(() => NpyArray.Parse(Npy.Bytes(descr, shape, new byte[bytes], fortran), "x.npy"));
            StringAssert.Contains(e.Message, message);
            StringAssert.StartsWith(e.Message, "x.npy: ");
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
