#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System;

namespace NanoRnn.Tests
{
    /// <summary>
    /// The native kernel (NanoRnn.Native, docs/native.md) where the firmware has it: nanoCLR runs its
    /// static constructor at start-up when NanoRnn.Native.pe is deployed, which installs it. Then every
    /// golden model runs natively, stage by stage equal to the reference kernel, and the default
    /// constructor chooses it. Without it (.NET, stock firmware) no network is native and asking for
    /// one says why.
    /// </summary>
    [TestClass]
    public class NativeKernelTests
    {
        [TestMethod]
        public void The_native_kernel_equals_the_reference_kernel_or_is_refused_with_a_reason()
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase g = Golden.GoldenData.Get(i);
                RnnModel model = RnnModel.Load(g.Blob);
                var chosen = new RnnNetwork(model);
                if (NativeKernels.Installed == null)
                {
                    Assert.IsFalse(chosen.UsesNativeKernel, g.Name + " default kernel");
                    Exception e = TestSupport.ThrowsException(typeof(InvalidOperationException), () => RnnNetwork.WithNativeKernel(model));
                    TestSupport.Contains("does not contain NanoRnn.Native", e.Message);
                    continue;
                }

                Assert.IsTrue(chosen.UsesNativeKernel, g.Name + " default kernel");
                RnnNetwork reference = RnnNetwork.WithReferenceKernel(model);
                reference.Stages.Record = true;
                RnnNetwork native = RnnNetwork.WithNativeKernel(model);
                native.Stages.Record = true;
                ReferenceKernelTests.Lockstep(g.Name + " native", reference, native, ReferenceKernelTests.Inputs(model.InputChannels, i));
                CheckGoldenScores(g, native);
            }
        }

        [TestMethod]
        public void Installing_nothing_is_refused()
        {
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => NativeKernels.Install(null));
        }

        // The golden sequences' final scores, through Run.
        private static void CheckGoldenScores(GoldenCase g, RnnNetwork network)
        {
            int k = network.Model.ClassCount;
            var output = new int[k];
            for (int n = 0; n < g.Sequences; n++)
            {
                network.Run(g.Input, n * g.Steps * network.Model.InputChannels, g.Steps, output, 0);
                for (int j = 0; j < k; j++)
                {
                    Assert.AreEqual(g.Output[n * k + j], output[j], g.Name + " sequence " + n + " score " + j);
                }
            }
        }
    }
}
