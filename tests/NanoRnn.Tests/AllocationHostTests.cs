#if !NANOFRAMEWORK_1_0
using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using NanoRnn.Desktop.Robustness;

namespace NanoRnn.Tests
{
    /// <summary>
    /// Host only (GC.GetAllocatedBytesForCurrentThread is .NET's): the per-sample path allocates
    /// nothing, so it cannot fragment the ESP32's ~100 KB heap or trigger a collection mid-stream.
    /// </summary>
    [TestClass]
    public class AllocationHostTests
    {
        /// <summary>
        /// GC.GetAllocatedBytesForCurrentThread, after checking that this process counts every
        /// allocation as nanoCLR makes it, the same under any load (tests/host.runsettings).
        /// </summary>
        internal static long AllocatedBytes()
        {
            string problem = MeasuredAllocation.Problem();
            Assert.IsNull(problem, problem + "; `dotnet test` sets them from tests/host.runsettings");
            return GC.GetAllocatedBytesForCurrentThread();
        }

        [TestMethod]
        public void Allocation_counts_are_faithful_in_this_process()
        {
            AllocatedBytes();
        }

        [TestMethod]
        [DataRow(true)]
        [DataRow(false)]
        public void Step_ComputeOutput_Run_and_copies_allocate_nothing(bool packWeights)
        {
            GoldenCase g = Golden.GoldenData.Lstm_c6_h33_k6_long();
            RnnNetwork network = new RnnNetwork(RnnModel.Load(g.Blob), packWeights);
            network.Stages.Record = true;
            int c = network.Model.InputChannels;
            int h = network.Model.HiddenSize;
            int[] output = new int[network.Model.ClassCount];
            short[] rows = new short[4 * h];

            // Warm up: static tables, JIT.
            network.Run(g.Input, 0, g.Steps, output, 0);
            network.Stages.CopyGates(rows, 0);
            RnnNetwork.ArgMax(output, 0, output.Length);

            long before = AllocatedBytes();
            for (int repeat = 0; repeat < 25; repeat++)
            {
                network.Reset();
                for (int t = 0; t < g.Steps; t++)
                {
                    network.Step(g.Input, t * c);
                }

                network.ComputeOutput(output, 0);
                network.Stages.CopyPreActivations(rows, 0);
                network.Stages.CopyGates(rows, 0);
                network.Run(g.Input, 0, g.Steps, output, 0);
                RnnNetwork.ArgMax(output, 0, output.Length);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.AreEqual(0L, allocated, "bytes allocated by 2000 steps");
        }

        [TestMethod]
        [DataRow(true)]
        [DataRow(false)]
        public void Every_cell_stack_and_head_steps_without_allocating(bool packWeights)
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase g = Golden.GoldenData.Get(i);
                StepsWithoutAllocating(g, new RnnNetwork(RnnModel.Load(g.Blob), packWeights), g.Name);
            }
        }

        // Streaming reads the gate weights into a buffer the constructor allocated; a reader that
        // allocates (one over nanoFramework's ResourceUtility.GetObject) adds its own: docs/performance.md.
        [TestMethod]
        [DataRow(1)]
        [DataRow(16)]
        [DataRow(int.MaxValue)]
        public void Streaming_from_a_ByteArrayBlobReader_allocates_nothing(int chunkRows)
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase g = Golden.GoldenData.Get(i);
                RnnNetwork network = new RnnNetwork(RnnModel.Load(g.Blob, false), new ByteArrayBlobReader(g.Blob), chunkRows);
                StepsWithoutAllocating(g, network, g.Name + " streamed, " + chunkRows + " rows per read");
            }
        }

        // Five passes over g's first sequence (Step, ComputeOutput, the state copies) allocate nothing
        // after a warm-up step, with the stages not recorded (the fused kernels) and recorded.
        private static void StepsWithoutAllocating(GoldenCase g, RnnNetwork network, string what)
        {
            int c = network.Model.InputChannels;
            int[] output = new int[network.Model.ClassCount];
            short[] rows = new short[4 * 512];
            for (int record = 0; record < 2; record++)
            {
                network.Stages.Record = record == 1;
                network.Step(g.Input, 0);                // warm up: static tables, JIT
                network.ComputeOutput(output, 0);
                network.Stages.CopyHidden(0, rows, 0);

                long before = AllocatedBytes();
                for (int repeat = 0; repeat < 5; repeat++)
                {
                    network.Reset();
                    for (int t = 0; t < g.Steps; t++)
                    {
                        network.Step(g.Input, t * c);
                        network.ComputeOutput(output, 0);
                    }

                    for (int l = 0; l < network.Model.LayerCount; l++)
                    {
                        network.Stages.CopyHidden(l, rows, 0);
                        if (network.Stages.Record)
                        {
                            network.Stages.CopyGates(l, rows, 0);
                        }
                    }
                }

                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.AreEqual(0L, allocated, what + (network.Stages.Record ? ", stages recorded" : "") + ": bytes allocated while stepping");
            }
        }
    }
}
#endif
