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

            if (NativeKernels.Installed != null)
            {
                HostileStepLayersAreRefusedBeforeAnyWrite(NativeKernels.Installed);
            }
        }

        private const short Untouched = 0x5A5A;

        // Index in a layer's arrays of pre, the first of the four that StepLayers writes.
        private const int FirstOutputArray = 6;

        // Two LSTM layers, 3 inputs → 2 → 2, as KernelPlan lays them out for StepLayers; every output
        // array holds Untouched.
        private static int[] TwoLayerShapes()
        {
            return new int[] { RnnModel.CellTypeLstm, 12, 3, 2, RnnModel.CellTypeLstm, 12, 2, 2 };
        }

        private static object[] TwoLayerArrays()
        {
            var arrays = new object[2 * NativeKernels.ArraysPerLayer];
            for (int l = 0; l < 2; l++)
            {
                int inputs = l == 0 ? 3 : 2;
                var wx = new sbyte[8 * inputs];
                var wh = new sbyte[8 * 2];
                var bias = new int[8];
                var mx = new int[8];
                var mh = new int[8];
                var shift = new byte[8];
                for (int i = 0; i < wx.Length; i++)
                {
                    wx[i] = (sbyte)(i * 37 % 255 - 127);
                }

                for (int i = 0; i < wh.Length; i++)
                {
                    wh[i] = (sbyte)(i * 53 % 255 - 127);
                }

                for (int r = 0; r < 8; r++)
                {
                    bias[r] = r - 4;
                    mx[r] = 1 << 20;
                    mh[r] = 1 << 20;
                    shift[r] = 24;
                }

                // In NativeKernels.Describe's order: the weights and rescale, then pre, gates, cell and h.
                object[] layer = { wx, wh, bias, mx, mh, shift, new short[8], new short[8], new short[2], new short[2] };
                for (int a = FirstOutputArray; a < layer.Length; a++)
                {
                    short[] values = (short[])layer[a];
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] = Untouched;
                    }
                }

                Array.Copy(layer, 0, arrays, l * NativeKernels.ArraysPerLayer, layer.Length);
            }

            return arrays;
        }

        // Whether pre, gates, cell and h of both layers still hold Untouched everywhere.
        private static bool AllUntouched(object[] arrays)
        {
            for (int l = 0; l < 2; l++)
            {
                for (int a = FirstOutputArray; a < NativeKernels.ArraysPerLayer; a++)
                {
                    short[] values = arrays[l * NativeKernels.ArraysPerLayer + a] as short[];
                    for (int i = 0; values != null && i < values.Length; i++)
                    {
                        if (values[i] != Untouched)
                        {
                            return false;
                        }
                    }
                }
            }

            return true;
        }

        private static void Refused(INativeKernel native, string what, Type expected, int[] shapes, object[] arrays, short[] input, int offset)
        {
            TestSupport.ThrowsException(expected, () => native.StepLayers(shapes, arrays, input, offset));
            Assert.IsTrue(AllUntouched(arrays), what + ": an output was written");
        }

        // StepLayers checks the arrays a managed caller hands it, in the glue, and every layer before
        // it steps the first: a refused call is one exception and changes no output of any layer.
        private static void HostileStepLayersAreRefusedBeforeAnyWrite(INativeKernel native)
        {
            var input = new short[] { 1000, -2000, 3000 };
            object[] valid = TwoLayerArrays();
            native.StepLayers(TwoLayerShapes(), valid, input, 0);
            Assert.IsFalse(AllUntouched(valid), "a valid call wrote nothing");

            object[] arrays = TwoLayerArrays();
            arrays[0] = new int[6];
            Refused(native, "wx of ints", typeof(ArgumentException), TwoLayerShapes(), arrays, input, 0);
            arrays = TwoLayerArrays();
            arrays[5] = new sbyte[8];
            Refused(native, "shifts as sbyte", typeof(ArgumentException), TwoLayerShapes(), arrays, input, 0);
            arrays = TwoLayerArrays();
            arrays[1] = new sbyte[3];
            Refused(native, "short wh", typeof(ArgumentException), TwoLayerShapes(), arrays, input, 0);
            arrays = TwoLayerArrays();
            arrays[NativeKernels.ArraysPerLayer + 9] = null;
            Refused(native, "layer 1 without h", typeof(ArgumentNullException), TwoLayerShapes(), arrays, input, 0);
            arrays = TwoLayerArrays();
            ((byte[])arrays[NativeKernels.ArraysPerLayer + 5])[7] = 0;
            Refused(native, "layer 1's last shift 0", typeof(ArgumentException), TwoLayerShapes(), arrays, input, 0);
            int[] shapes = TwoLayerShapes();
            shapes[3] = 513;
            Refused(native, "hidden 513", typeof(ArgumentOutOfRangeException), shapes, TwoLayerArrays(), input, 0);
            shapes = TwoLayerShapes();
            shapes[0] = 9;
            Refused(native, "cell type 9", typeof(ArgumentException), shapes, TwoLayerArrays(), input, 0);
            shapes = TwoLayerShapes();
            shapes[6] = 3;
            arrays = TwoLayerArrays();
            arrays[NativeKernels.ArraysPerLayer] = new sbyte[8 * 3];
            Refused(native, "layer 1 of 3 inputs after an H of 2", typeof(ArgumentException), shapes, arrays, input, 0);
            Refused(native, "seven shape ints", typeof(ArgumentException), new int[7], TwoLayerArrays(), input, 0);
            Refused(native, "input from offset 1", typeof(ArgumentException), TwoLayerShapes(), TwoLayerArrays(), input, 1);
            Refused(native, "input offset -1", typeof(ArgumentOutOfRangeException), TwoLayerShapes(), TwoLayerArrays(), input, -1);
        }

        [TestMethod]
        public void Installing_nothing_is_refused()
        {
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => NativeKernels.Install(null));
        }
    }
}
