using System;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>
    /// RnnNetwork's state and API: zero start, Reset, Run = Reset + Steps + ComputeOutput, shared
    /// models, ArgMax, and argument checks (ArgumentException before any state changes, never an
    /// IndexOutOfRangeException). Values come from the golden case lstm_c6_h13_k4 (C 6, H 13, K 4).
    /// </summary>
    [TestClass]
    public class NetworkTests
    {
        private const int C = 6, H = 13, K = 4;

        private static GoldenCase Golden6()
        {
            return Golden.GoldenData.Lstm_c6_h13_k4();
        }

        // A network that records its stages, so every test below can inspect them.
        private static RnnNetwork NewNetwork()
        {
            var network = new RnnNetwork(RnnModel.Load(Golden6().Blob));
            network.Stages.Record = true;
            return network;
        }

        [TestMethod]
        public void A_new_network_is_in_the_zero_state()
        {
            RnnNetwork network = NewNetwork();
            Assert.AreEqual(C, network.Model.InputChannels, "C");
            Assert.AreEqual(H, network.Model.HiddenSize, "H");
            Assert.AreEqual(K, network.Model.ClassCount, "K");
            AssertAllZero(network, "new network");
        }

        [TestMethod]
        public void Reset_clears_the_state()
        {
            GoldenCase g = Golden6();
            RnnNetwork network = NewNetwork();
            network.Step(g.Input, 0);
            network.Step(g.Input, C);
            short[] hidden = new short[H];
            network.Stages.CopyHidden(hidden, 0);
            Assert.IsTrue(!AllZero(hidden), "two steps move h away from 0");
            network.Reset();
            AssertAllZero(network, "after Reset");
        }

        [TestMethod]
        public void Run_equals_Reset_then_Steps_then_ComputeOutput()
        {
            GoldenCase g = Golden6();
            RnnNetwork stepped = NewNetwork();
            RnnNetwork run = NewNetwork();
            int[] expected = new int[K];
            int[] actual = new int[K + 2];
            for (int n = 0; n < g.Sequences; n++)
            {
                stepped.Reset();
                for (int t = 0; t < g.Steps; t++)
                {
                    stepped.Step(g.Input, (n * g.Steps + t) * C);
                }

                stepped.ComputeOutput(expected, 0);
                run.Run(g.Input, n * g.Steps * C, g.Steps, actual, 2);
                for (int k = 0; k < K; k++)
                {
                    Assert.AreEqual(expected[k], actual[2 + k], "sequence " + n + " score " + k);
                }

                AssertSameState(stepped, run, "sequence " + n);
            }
        }

        [TestMethod]
        public void Reset_between_sequences_leaves_nothing_behind()
        {
            GoldenCase g = Golden6();
            RnnNetwork used = NewNetwork();
            used.Run(g.Input, 0, g.Steps, new int[K], 0);       // sequence 0 first
            used.Reset();
            RnnNetwork fresh = NewNetwork();
            for (int t = 0; t < g.Steps; t++)
            {
                used.Step(g.Input, (g.Steps + t) * C);
                fresh.Step(g.Input, (g.Steps + t) * C);
            }

            AssertSameState(used, fresh, "sequence 1 after sequence 0 and Reset");
        }

        [TestMethod]
        public void Networks_sharing_a_model_are_independent()
        {
            GoldenCase g = Golden6();
            RnnModel model = RnnModel.Load(g.Blob);
            RnnNetwork a = new RnnNetwork(model);
            RnnNetwork b = new RnnNetwork(model);
            a.Stages.Record = b.Stages.Record = true;
            Assert.IsTrue(a.Model == model && b.Model == model, "Model is the shared instance");
            for (int t = 0; t < g.Steps; t++)
            {
                a.Step(g.Input, t * C);
            }

            AssertAllZero(b, "b after steps on a");
        }

        [TestMethod]
        public void Packed_kernel_folds_the_largest_bias_its_check_admits_exactly()
        {
            // Row 0 with sx = sh = 47: the packed kernel folds (bias + 32768) · 2^47 into the
            // rounding term, so the check admits |bias| up to a little under 2^16 − 32768. At the largest bias
            // it admits, the fused kernel (stages not recorded) still equals the compact one.
            GoldenCase g = Golden6();
            int largest = LargestPackableBias(g, 47);
            Assert.IsTrue(largest > 30000 && largest < 32768, "largest bias the packed kernel takes at sx = 47: " + largest);
            for (int sign = -1; sign <= 1; sign += 2)
            {
                BlobPatch patch = new BlobPatch(g.Blob);
                RnnModel model = RnnModel.Load(patch.SetU8(patch.Sx, 47).SetU8(patch.Sh, 47).SetI32(patch.Bias, sign * largest).WithCrc());
                RnnNetwork packed = new RnnNetwork(model, true);
                RnnNetwork compact = new RnnNetwork(model, false);
                for (int t = 0; t < g.Steps; t++)
                {
                    packed.Step(g.Input, t * C);
                    compact.Step(g.Input, t * C);
                    AssertSameState(compact, packed, "bias " + sign * largest + ", step " + t);
                }
            }
        }

        [TestMethod]
        public void Packed_kernel_is_refused_where_folding_the_bias_could_overflow()
        {
            GoldenCase g = Golden6();
            BlobPatch patch = new BlobPatch(g.Blob);
            RnnModel model = RnnModel.Load(patch.SetU8(patch.Sx, 47).SetU8(patch.Sh, 47).SetI32(patch.Bias, LargestPackableBias(g, 47) + 1).WithCrc());
            Assert.IsTrue(!new RnnNetwork(model).UsesPackedWeights, "the default constructor falls back to the compact kernel");
            TestSupport.ThrowsException(typeof(ArgumentException), () => new RnnNetwork(model, true));

            // s = 48 leaves no room for the tables' origin, 32768 · 2^48 ≥ 2^63: refused with any bias.
            patch = new BlobPatch(g.Blob);
            model = RnnModel.Load(patch.SetU8(patch.Sx, 48).SetU8(patch.Sh, 48).SetI32(patch.Bias, 0).WithCrc());
            TestSupport.ThrowsException(typeof(ArgumentException), () => new RnnNetwork(model, true));
        }

        // The largest bias of row 0, with both of row 0's shifts set to sx, that new RnnNetwork(model, true) accepts.
        private static int LargestPackableBias(GoldenCase g, int sx)
        {
            int accepted = 0, refused = 1 << 20;
            while (refused - accepted > 1)
            {
                int bias = accepted + (refused - accepted) / 2;
                BlobPatch patch = new BlobPatch(g.Blob);
                RnnModel model = RnnModel.Load(patch.SetU8(patch.Sx, sx).SetU8(patch.Sh, sx).SetI32(patch.Bias, bias).WithCrc());
                bool packs = true;
                try
                {
                    new RnnNetwork(model, true);
                }
                catch (ArgumentException)
                {
                    packs = false;
                }

                if (packs)
                {
                    accepted = bias;
                }
                else
                {
                    refused = bias;
                }
            }

            return accepted;
        }

        [TestMethod]
        public void PacksWithin_is_the_default_constructors_choice_at_any_budget()
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase golden = Golden.GoldenData.Get(i);
                RnnModel model = RnnModel.Load(golden.Blob);
                long bytes = RnnNetwork.PackedWeightBytes(model);
                Assert.IsTrue(RnnNetwork.PacksWithin(model, bytes), golden.Name + ": fits its own size");
                Assert.IsFalse(RnnNetwork.PacksWithin(model, bytes - 1), golden.Name + ": one byte short");
                // An installed native kernel comes first (NativeKernelTests); the budget decides otherwise.
                RnnNetwork chosen = new RnnNetwork(model);
                Assert.AreEqual(NativeKernels.Installed != null, chosen.UsesNativeKernel, golden.Name + ": native by default");
                Assert.AreEqual(
                    NativeKernels.Installed == null && RnnNetwork.PacksWithin(model, RnnNetwork.DefaultPackedWeightBudget),
                    chosen.UsesPackedWeights, golden.Name + ": the default constructor");
                Assert.IsFalse(RnnNetwork.PacksWithin(RnnModel.Load(golden.Blob, false), long.MaxValue), golden.Name + ": no gate weights");
            }

            GoldenCase g = Golden6();
            BlobPatch patch = new BlobPatch(g.Blob);
            RnnModel unfoldable = RnnModel.Load(patch.SetU8(patch.Sx, 48).SetU8(patch.Sh, 48).SetI32(patch.Bias, 0).WithCrc());
            Assert.IsFalse(RnnNetwork.PacksWithin(unfoldable, long.MaxValue), "a bias the packed kernel cannot fold");
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => RnnNetwork.PacksWithin(null, 0));
        }

        [TestMethod]
        public void Stages_are_kept_only_while_recorded()
        {
            GoldenCase g = Golden6();
            RnnNetwork network = new RnnNetwork(RnnModel.Load(g.Blob));
            Assert.IsTrue(!network.Stages.Record, "not recorded by default");
            network.Step(g.Input, 0);
            TestSupport.ThrowsException(typeof(InvalidOperationException), () => network.Stages.CopyPreActivations(new short[4 * H], 0));
            TestSupport.ThrowsException(typeof(InvalidOperationException), () => network.Stages.CopyGates(0, new short[4 * H], 0));

            network.Stages.Record = true;
            short[] rows = new short[4 * H];
            network.Stages.CopyGates(rows, 0);
            Assert.IsTrue(AllZero(rows), "switching recording on clears what an earlier step left");
            network.Step(g.Input, C);
            network.Stages.CopyGates(rows, 0);
            Assert.IsTrue(!AllZero(rows), "a recorded step keeps its gates");
            network.Stages.Record = false;
            network.Stages.Record = true;
            network.Stages.CopyPreActivations(rows, 0);
            Assert.IsTrue(AllZero(rows), "switching recording off and on again clears them");
        }

        [TestMethod]
        public void Run_with_zero_steps_scores_the_zero_state()
        {
            RnnNetwork network = NewNetwork();
            int[] fromZero = new int[K];
            network.ComputeOutput(fromZero, 0);
            network.Step(Golden6().Input, 0);
            int[] run = new int[K];
            network.Run(new short[0], 0, 0, run, 0);
            for (int k = 0; k < K; k++)
            {
                Assert.AreEqual(fromZero[k], run[k], "score " + k);
            }

            AssertAllZero(network, "after Run of 0 steps");
        }

        [TestMethod]
        public void ArgMax_returns_the_first_maximum()
        {
            Assert.AreEqual(1, RnnNetwork.ArgMax(new int[] { 1, 5, 5, 2 }, 0, 4), "tie -> first");
            Assert.AreEqual(0, RnnNetwork.ArgMax(new int[] { 7 }, 0, 1), "single value");
            Assert.AreEqual(1, RnnNetwork.ArgMax(new int[] { -5, -3, -3, -9 }, 0, 4), "negative values");
            Assert.AreEqual(2, RnnNetwork.ArgMax(new int[] { 99, 1, 2, 5, 99 }, 1, 3), "relative to offset, range only");
            Assert.AreEqual(0, RnnNetwork.ArgMax(new int[] { int.MinValue, int.MinValue }, 0, 2), "all int.MinValue");
        }

        [TestMethod]
        public void ArgMax_bad_arguments()
        {
            int[] values = new int[3];
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => RnnNetwork.ArgMax(null, 0, 1));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => RnnNetwork.ArgMax(values, 0, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => RnnNetwork.ArgMax(values, -1, 2));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => RnnNetwork.ArgMax(values, 2, 2));
        }

        [TestMethod]
        public void Constructor_refuses_null()
        {
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => new RnnNetwork(null));
        }

        [TestMethod]
        public void Step_bad_arguments()
        {
            RnnNetwork network = NewNetwork();
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => network.Step(null, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Step(new short[C - 1], 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Step(new short[C], 1));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Step(new short[C], -1));
            network.Step(new short[C + 3], 3);
        }

        [TestMethod]
        public void ComputeOutput_and_copies_bad_arguments()
        {
            RnnNetwork network = NewNetwork();
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => network.ComputeOutput(null, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.ComputeOutput(new int[K - 1], 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.ComputeOutput(new int[K], 1));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.ComputeOutput(new int[K], -1));
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => network.Stages.CopyPreActivations(null, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Stages.CopyPreActivations(new short[4 * H - 1], 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Stages.CopyGates(new short[4 * H], 1));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Stages.CopyCell(new short[H], -1));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Stages.CopyHidden(new short[H - 1], 0));
            network.Stages.CopyHidden(new short[H + 1], 1);
            network.Stages.CopyGates(new short[4 * H], 0);
        }

        [TestMethod]
        public void Run_bad_arguments_leave_the_state_alone()
        {
            GoldenCase g = Golden6();
            RnnNetwork network = NewNetwork();
            network.Step(g.Input, 0);
            short[] before = new short[H];
            network.Stages.CopyHidden(before, 0);

            short[] samples = new short[3 * C];
            int[] output = new int[K];
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => network.Run(null, 0, 1, output, 0));
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => network.Run(samples, 0, 1, null, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Run(samples, 0, -1, output, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Run(samples, 0, 4, output, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Run(samples, 1, 3, output, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Run(samples, -1, 1, output, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Run(samples, 0, int.MaxValue, output, 0));
            TestSupport.ThrowsException(typeof(ArgumentOutOfRangeException), () => network.Run(samples, 0, 3, output, 1));

            short[] after = new short[H];
            network.Stages.CopyHidden(after, 0);
            for (int j = 0; j < H; j++)
            {
                Assert.AreEqual((int)before[j], (int)after[j], "h[" + j + "] after refused Runs");
            }
        }

        private static bool AllZero(short[] values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] != 0)
                {
                    return false;
                }
            }

            return true;
        }

        private static void AssertAllZero(RnnNetwork network, string when)
        {
            short[] rows = new short[4 * H];
            short[] units = new short[H];
            network.Stages.CopyPreActivations(rows, 0);
            Assert.IsTrue(AllZero(rows), when + ": pre");
            network.Stages.CopyGates(rows, 0);
            Assert.IsTrue(AllZero(rows), when + ": gates");
            network.Stages.CopyCell(units, 0);
            Assert.IsTrue(AllZero(units), when + ": c");
            network.Stages.CopyHidden(units, 0);
            Assert.IsTrue(AllZero(units), when + ": h");
        }

        private static void AssertSameState(RnnNetwork expected, RnnNetwork actual, string when)
        {
            short[] a = new short[4 * H];
            short[] b = new short[4 * H];
            if (expected.Stages.Record && actual.Stages.Record)
            {
                expected.Stages.CopyPreActivations(a, 0);
                actual.Stages.CopyPreActivations(b, 0);
                AssertSame(a, b, when + ": pre");
                expected.Stages.CopyGates(a, 0);
                actual.Stages.CopyGates(b, 0);
                AssertSame(a, b, when + ": gates");
            }

            Array.Clear(a, 0, a.Length);
            Array.Clear(b, 0, b.Length);
            expected.Stages.CopyCell(a, 0);
            actual.Stages.CopyCell(b, 0);
            AssertSame(a, b, when + ": c");
            expected.Stages.CopyHidden(a, 0);
            actual.Stages.CopyHidden(b, 0);
            AssertSame(a, b, when + ": h");
        }

        private static void AssertSame(short[] expected, short[] actual, string what)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual((int)expected[i], (int)actual[i], what + "[" + i + "]");
            }
        }
    }
}
