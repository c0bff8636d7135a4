#if !NANOFRAMEWORK_1_0
using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using NanoRnn.Desktop.Robustness;

namespace NanoRnn.Tests
{
    /// <summary>
    /// Host only (allocation is measured with GC.GetAllocatedBytesForCurrentThread): a few thousand
    /// mutations of every golden blob, loaded by the nano-compiled NanoRnn.dll, from the array and
    /// through a reader. Each either loads and runs or is refused with ModelFormatException, the same
    /// way and with the same message both ways, and Load never allocates much more than the blob's
    /// length. The desktop `fuzz` command runs the same fuzzer for longer (docs/robustness.md).
    /// </summary>
    [TestClass]
    public class BlobFuzzHostTests
    {
        [TestMethod]
        public void MutatedGoldenBlobsLoadAndRunOrAreRefused()
        {
            byte[][] seeds = new byte[Golden.GoldenData.Count][];
            for (int i = 0; i < seeds.Length; i++)
            {
                seeds[i] = Golden.GoldenData.Get(i).Blob;
            }

            var failures = new StringWriter();
            BlobFuzzer.Result result = new BlobFuzzer(seeds, 7).Run(3000, failures);

            Assert.AreEqual(string.Empty, failures.ToString());
            Assert.AreEqual(0, result.Failures);
            Assert.AreEqual(3000, result.LoadedAndRan + result.Refused);
            // Both outcomes must be exercised, or the mutations are too gentle or too blunt.
            Assert.IsTrue(result.LoadedAndRan > 300, "loaded and ran: " + result.LoadedAndRan);
            Assert.IsTrue(result.Refused > 300, "refused: " + result.Refused);
        }

        [TestMethod]
        public void HugeDeclaredSizesAreRefusedBeforeAllocating()
        {
            // A 40-byte blob whose header claims C = K = 512 (and then 65535): consistent total_bytes
            // and CRC, so only the size check stands between it and the arrays those sizes imply.
            foreach (int size in new[] { 512, 65535 })
            {
                BlobPatch patch = new BlobPatch(Golden.GoldenData.Lstm_c1_h5_k2().Blob);
                byte[] blob = new byte[40];
                Array.Copy(patch.Blob, blob, 32);
                var small = new BlobPatch(blob);
                small.SetU16(BlobPatch.InputChannels, size)
                    .SetU16(BlobPatch.ClassCount, size).SetI32(BlobPatch.TotalBytes, blob.Length);
                byte[] hostile = small.WithCrc();

                RnnModel.Load(Golden.GoldenData.Lstm_c1_h5_k2().Blob); // warm up
                long before = AllocationHostTests.AllocatedBytes();
                TestSupport.ThrowsException(typeof(ModelFormatException), () => RnnModel.Load(hostile));
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.IsTrue(allocated < BlobFuzzer.AllocationSlackBytes, "allocated " + allocated + " bytes");

                var reader = new ByteArrayBlobReader(hostile);
                before = AllocationHostTests.AllocatedBytes();
                TestSupport.ThrowsException(typeof(ModelFormatException), () => RnnModel.Load(reader, hostile.Length));
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.IsTrue(allocated < BlobFuzzer.AllocationSlackBytes, "through a reader: allocated " + allocated + " bytes");
            }
        }
    }
}
#endif
