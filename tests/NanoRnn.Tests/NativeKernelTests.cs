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
                GoldenTests.CheckCase(g, native, "native");
            }
        }

        [TestMethod]
        public void Installing_nothing_is_refused()
        {
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => NativeKernels.Install(null));
        }
    }
}
