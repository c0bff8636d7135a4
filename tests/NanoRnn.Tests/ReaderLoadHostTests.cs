#if !NANOFRAMEWORK_1_0
using System;
using System.Reflection;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace NanoRnn.Tests
{
    /// <summary>
    /// Host only (reflection over RnnModel's public surface; GC.GetAllocatedBytesForCurrentThread):
    /// a model loaded through a reader answers every public property and accessor as the array load
    /// does, including any added later, and the load allocates what the model keeps plus its buffer,
    /// never the gate weights.
    /// </summary>
    [TestClass]
    public class ReaderLoadHostTests
    {
        // The load through a reader allocates, beyond what Load(blob, false) does, its buffer, a copy of
        // the header and the reading state: on .NET about 400 bytes with object headers.
        private const int ReaderOverheadBytes = 1024;

        [TestMethod]
        public void Every_public_property_and_accessor_equals_the_array_loads()
        {
            PropertyInfo[] properties = typeof(RnnModel).GetProperties(BindingFlags.Public | BindingFlags.Instance);
            Assert.IsTrue(properties.Length >= 15, "RnnModel has " + properties.Length + " public properties");
            GoldenCase[] cases = Golden.GoldenData.All();
            foreach (GoldenCase g in cases)
            {
                RnnModel array = RnnModel.Load(g.Blob, false);
                RnnModel streamed = RnnModel.Load(new ByteArrayBlobReader(g.Blob), g.Blob.Length);
                foreach (PropertyInfo p in properties)
                {
                    object expected = p.GetValue(array);
                    if (expected is Array values)
                    {
                        CollectionAssert.AreEqual(values, (Array)p.GetValue(streamed), g.Name + " " + p.Name);
                    }
                    else
                    {
                        Assert.AreEqual(expected, p.GetValue(streamed), g.Name + " " + p.Name);
                    }
                }

                foreach (MethodInfo m in typeof(RnnModel).GetMethods(BindingFlags.Public | BindingFlags.Instance))
                {
                    ParameterInfo[] parameters = m.GetParameters();
                    if (!m.Name.StartsWith("Get", StringComparison.Ordinal) || parameters.Length != 1 || parameters[0].ParameterType != typeof(int))
                    {
                        continue;
                    }

                    int count = parameters[0].Name == "layer" ? array.LayerCount : array.InputChannels;
                    Assert.IsTrue(parameters[0].Name == "layer" || parameters[0].Name == "channel", m.Name + "(" + parameters[0].Name + ")");
                    for (int i = 0; i < count; i++)
                    {
                        Assert.AreEqual(m.Invoke(array, new object[] { i }), m.Invoke(streamed, new object[] { i }), g.Name + " " + m.Name + "(" + i + ")");
                    }
                }

                RnnModel full = RnnModel.Load(g.Blob);
                Assert.AreEqual(full.BlobCrc, streamed.BlobCrc, g.Name + " BlobCrc of Load(blob)");
            }
        }

        [TestMethod]
        public void Loading_through_a_reader_allocates_what_the_model_keeps_and_the_buffer()
        {
            GoldenCase[] cases = Golden.GoldenData.All();
            RnnModel.Load(new ByteArrayBlobReader(cases[0].Blob), cases[0].Blob.Length);    // warm up
            foreach (GoldenCase g in cases)
            {
                long full = Allocated(() => RnnModel.Load(g.Blob));
                long kept = Allocated(() => RnnModel.Load(g.Blob, false));
                var reader = new ByteArrayBlobReader(g.Blob);
                long streamed = Allocated(() => RnnModel.Load(reader, g.Blob.Length));

                Assert.IsTrue(streamed <= kept + ReaderOverheadBytes,
                    g.Name + ": the load through a reader allocated " + streamed + " bytes, Load(blob, false) " + kept);
                // Not the gate weights: the load that copies them allocates at least their size more.
                RnnModel model = RnnModel.Load(g.Blob);
                long weights = 0;
                int inputs = model.InputChannels;
                for (int l = 0; l < model.LayerCount; l++)
                {
                    int h = model.GetHiddenSize(l);
                    int rows = model.GetCellType(l) == RnnModel.CellTypeLstm || model.GetCellType(l) == RnnModel.CellTypeGru ? 4 * h : h;
                    weights += (long)rows * (inputs + h);
                    inputs = h;
                }

                Assert.IsTrue(full - streamed >= weights - ReaderOverheadBytes,
                    g.Name + ": " + streamed + " bytes through a reader, " + full + " with " + weights + " bytes of gate weights");
            }
        }

        private static long Allocated(Action action)
        {
            long before = AllocationHostTests.AllocatedBytes();
            action();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }
}
#endif
