using System;
using NanoRnn.Tests.Golden;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>Format 3's records (class names, the check sequence) and the boot check that runs them.</summary>
    [TestClass]
    public class ReferenceCheckTests
    {
        [TestMethod]
        public void GoldenChecksAreIdenticalOnEveryKernel()
        {
            CheckEveryKernel(GoldenData.Lstm2_c6_h13_k4().Blob, 4);
            CheckEveryKernel(GoldenData.Gru4_c2_h6_k3().Blob, 6);
            CheckEveryKernel(GoldenData.Rnn_tanh_c4_h6_k3_named_no_calibration().Blob, 64);
        }

        [TestMethod]
        public void NamesTravelWithTheModel()
        {
            RnnModel model = RnnModel.Load(GoldenData.Lstm2_c6_h13_k4().Blob);
            Assert.AreEqual(3, model.FormatVersion);
            Assert.AreEqual(4, model.ClassNames.Length);
            Assert.AreEqual("rest", model.ClassNames[0]);
            Assert.AreEqual("turn", model.ClassNames[3]);
            Assert.IsNull(RnnModel.Load(GoldenData.Gru4_c2_h6_k3().Blob).ClassNames, "a check without names");
            Assert.IsNull(RnnModel.Load(GoldenData.Gru_c5_h7_k3().Blob).ClassNames, "no class names");
        }

        [TestMethod]
        public void AScoreThatDiffersIsFoundAtItsStepAndClass()
        {
            byte[] blob = Copy(GoldenData.Lstm2_c6_h13_k4().Blob);
            int last = blob.Length - 8;                 // step 3, class 3: the last score before the CRC
            int stored = BitConverter.ToInt32(blob, last);
            var patch = new BlobPatch(blob);
            patch.SetI32(last, stored + 1);
            ReferenceCheckResult result = ReferenceCheck.Run(new RnnNetwork(RnnModel.Load(patch.WithCrc())));
            Assert.IsTrue(result.Stored);
            Assert.IsFalse(result.Identical);
            Assert.AreEqual(3, result.FirstDifferentStep);
            Assert.AreEqual(3, result.FirstDifferentClass);
            Assert.AreEqual(stored + 1, result.Expected);
            Assert.AreEqual(stored, result.Actual);
            Assert.AreEqual("model check: DIFFERENT from the reference at step 3, class 3: expected " + (stored + 1) + ", computed " + stored,
                result.Describe());
        }

        [TestMethod]
        public void ABlobWithoutACheckSequenceSaysItWasNotChecked()
        {
            ReferenceCheckResult result = ReferenceCheck.Run(new RnnNetwork(RnnModel.Load(GoldenData.Gru_c5_h7_k3().Blob)));
            Assert.IsFalse(result.Stored);
            Assert.AreEqual("model check: this blob carries no check sequence (exported before format 3); not checked", result.Describe());
            RnnModel empty = RnnModel.Load(WithRecords(new byte[0]));
            Assert.AreEqual(0, empty.CheckStepCount, "format 3 with no records");
            Assert.IsFalse(ReferenceCheck.Run(new RnnNetwork(empty)).Stored);
        }

        [TestMethod]
        public void UnknownRecordsAreSkipped()
        {
            byte[] records = Join(Record(77, 0, new byte[] { 1, 2, 3 }), Record(1, 0, Names("a", "bb", "ccc")));
            RnnModel model = RnnModel.Load(WithRecords(records));
            Assert.AreEqual("ccc", model.ClassNames[2]);
        }

        [TestMethod]
        public void MalformedRecordsAreRefusedSayingWhat()
        {
            int at = Base().Length - 4;                 // the first record starts where the CRC was
            TestSupport.RefusedWith(WithRecords(new byte[5]), "record 0 (at byte " + at + "): its 8-byte header runs past the end (5 bytes before the CRC)", null);
            byte[] longer = Record(1, 0, new byte[3]);
            longer[4] = 100;
            TestSupport.RefusedWith(WithRecords(longer), "record 0", "payload_bytes 100 runs past the end (3 bytes before the CRC)");
            TestSupport.RefusedWith(WithRecords(Record(1, 1, Names("a", "b", "c"))), "record 0", "flags 1 is not 0");
            TestSupport.RefusedWith(WithRecords(Join(Record(1, 0, Names("a", "b", "c")), Record(1, 0, Names("a", "b", "c")))),
                "record 1", "a second record of tag 1");
            TestSupport.RefusedWith(WithRecords(Record(1, 0, Names("a", "b"))), "class names: the record holds 2 names, class_count is 3", null);
            TestSupport.RefusedWith(WithRecords(Record(1, 0, Names("a", "b", "c\u0007"))), "class name 2: byte 1 is 0x07, not printable ASCII", null);
            TestSupport.RefusedWith(WithRecords(Record(1, 0, Join(Names("a", "b", "c"), new byte[] { 0 }))), "class names: 1 bytes after the 3 names", null);
            TestSupport.RefusedWith(WithRecords(Record(2, 0, Check(0, 0))), "check sequence: steps 0 is outside 1..64", null);
            TestSupport.RefusedWith(WithRecords(Record(2, 0, Check(65, 65))), "check sequence: steps 65 is outside 1..64", null);
            TestSupport.RefusedWith(WithRecords(Record(2, 0, Check(2, 1))), "check sequence: payload_bytes", "does not match 2 steps of 5 inputs and 3 scores");
        }

        private static void CheckEveryKernel(byte[] blob, int steps)
        {
            RnnModel model = RnnModel.Load(blob);
            Assert.AreEqual(steps, model.CheckStepCount);
            AssertIdentical(new RnnNetwork(model, false), steps, "compact");
            AssertIdentical(new RnnNetwork(model, true), steps, "packed");
            AssertIdentical(new RnnNetwork(RnnModel.Load(blob, false), new ByteArrayBlobReader(blob), 3), steps, "streamed");
        }

        private static void AssertIdentical(RnnNetwork network, int steps, string kernel)
        {
            ReferenceCheckResult result = ReferenceCheck.Run(network);
            Assert.IsTrue(result.Identical, kernel + ": " + result.Describe());
            Assert.AreEqual("model check: identical to the reference, " + steps + " steps", result.Describe(), kernel);
        }

        // Gru_c5_h7_k3: no records, C = 5, K = 3.
        private static byte[] Base()
        {
            return GoldenData.Gru_c5_h7_k3().Blob;
        }

        // The base model as format 3 with these records, total_bytes and CRC right.
        private static byte[] WithRecords(byte[] records)
        {
            byte[] v2 = Base();
            var blob = new byte[v2.Length + records.Length];
            Array.Copy(v2, blob, v2.Length - 4);
            Array.Copy(records, 0, blob, v2.Length - 4, records.Length);
            var patch = new BlobPatch(blob);
            patch.SetU16(BlobPatch.FormatVersion, 3).SetI32(BlobPatch.TotalBytes, blob.Length);
            return patch.WithCrc();
        }

        private static byte[] Record(int tag, int flags, byte[] payload)
        {
            var record = new byte[8 + payload.Length];
            record[0] = (byte)tag;
            record[1] = (byte)(tag >> 8);
            record[2] = (byte)flags;
            record[4] = (byte)payload.Length;
            record[5] = (byte)(payload.Length >> 8);
            Array.Copy(payload, 0, record, 8, payload.Length);
            return record;
        }

        private static byte[] Names(string a, string b, string c)
        {
            return Join(Join(Name(a), Name(b)), Name(c));
        }

        private static byte[] Names(string a, string b)
        {
            return Join(Name(a), Name(b));
        }

        private static byte[] Name(string name)
        {
            var bytes = new byte[1 + name.Length];
            bytes[0] = (byte)name.Length;
            for (int i = 0; i < name.Length; i++)
            {
                bytes[1 + i] = (byte)name[i];
            }

            return bytes;
        }

        // A check payload claiming `steps` steps, sized for `sizedFor` steps of the base model (C = 5, K = 3).
        private static byte[] Check(int steps, int sizedFor)
        {
            var payload = new byte[4 + sizedFor * (2 * 5 + 4 * 3)];
            payload[0] = (byte)steps;
            payload[1] = (byte)(steps >> 8);
            return payload;
        }

        private static byte[] Join(byte[] first, byte[] second)
        {
            var joined = new byte[first.Length + second.Length];
            Array.Copy(first, joined, first.Length);
            Array.Copy(second, 0, joined, first.Length, second.Length);
            return joined;
        }

        private static byte[] Copy(byte[] blob)
        {
            var copy = new byte[blob.Length];
            Array.Copy(blob, copy, blob.Length);
            return copy;
        }
    }
}
