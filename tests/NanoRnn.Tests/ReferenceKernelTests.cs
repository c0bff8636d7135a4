#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System;

namespace NanoRnn.Tests
{
    /// <summary>
    /// Every fast kernel (packed, with and without recorded stages; compact; streamed) against the
    /// reference kernels (firmware/NanoRnn/Reference), step by step and stage by stage, on every golden
    /// model fed inputs the golden vectors do not hold: small, full-scale and saturating counts.
    /// </summary>
    [TestClass]
    public class ReferenceKernelTests
    {
        private const int Steps = 24;

        [TestMethod]
        public void Every_fast_kernel_equals_the_reference_kernel_on_every_golden_model()
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase g = Golden.GoldenData.Get(i);
                RnnModel model = RnnModel.Load(g.Blob);
                short[] input = Inputs(model.InputChannels, i);
                RnnNetwork reference = RnnNetwork.WithReferenceKernel(model);
                reference.Stages.Record = true;

                RnnNetwork packedRecorded = new RnnNetwork(model, true);
                packedRecorded.Stages.Record = true;
                RnnNetwork compact = new RnnNetwork(model, false);
                compact.Stages.Record = true;
                RnnNetwork streamed = new RnnNetwork(RnnModel.Load(g.Blob, false), new ByteArrayBlobReader(g.Blob), 3);
                streamed.Stages.Record = true;
                Lockstep(g.Name + " packed", reference, new RnnNetwork(model, true), input);
                Lockstep(g.Name + " packed, stages recorded", reference, packedRecorded, input);
                Lockstep(g.Name + " compact", reference, compact, input);
                Lockstep(g.Name + " streamed", reference, streamed, input);
            }
        }

        [TestMethod]
        public void The_reference_kernel_needs_the_gate_weights()
        {
            GoldenCase g = Golden.GoldenData.Get(0);
            TestSupport.ThrowsException(typeof(ArgumentException), () => RnnNetwork.WithReferenceKernel(RnnModel.Load(g.Blob, false)));
            TestSupport.ThrowsException(typeof(ArgumentNullException), () => RnnNetwork.WithReferenceKernel(null));
        }

        // Steps × C counts: a ramp through zero, full scale of either sign, and alternating extremes.
        internal static short[] Inputs(int channels, int seed)
        {
            var random = new Random(1000 + seed);
            var input = new short[Steps * channels];
            for (int t = 0; t < Steps; t++)
            {
                for (int c = 0; c < channels; c++)
                {
                    int value;
                    if (t < 8)
                    {
                        value = (t - 4) * 37 * (c + 1);
                    }
                    else if (t < 16)
                    {
                        value = random.Next(65536) - 32768;
                    }
                    else
                    {
                        value = (t + c) % 2 == 0 ? short.MaxValue : short.MinValue;
                    }

                    input[t * channels + c] = (short)value;
                }
            }

            return input;
        }

        // Both networks from reset through the input; after each step every layer's h and c, pre and
        // gates when the fast one records them, and the scores must be equal.
        internal static void Lockstep(string name, RnnNetwork reference, RnnNetwork fast, short[] input)
        {
            RnnModel model = reference.Model;
            int c = model.InputChannels;
            int k = model.ClassCount;
            int widest = 0;
            for (int l = 0; l < model.LayerCount; l++)
            {
                int rows = 4 * model.GetHiddenSize(l);
                widest = rows > widest ? rows : widest;
            }

            var expected = new short[widest];
            var actual = new short[widest];
            var expectedScores = new int[k];
            var actualScores = new int[k];
            reference.Reset();
            fast.Reset();
            for (int t = 0; t < Steps; t++)
            {
                reference.Step(input, t * c);
                fast.Step(input, t * c);
                for (int l = 0; l < model.LayerCount; l++)
                {
                    string where = name + " step " + t + " layer " + l + " ";
                    int h = model.GetHiddenSize(l);
                    int cell = model.GetCellType(l);
                    int rows = cell == RnnModel.CellTypeLstm || cell == RnnModel.CellTypeGru ? 4 * h : h;
                    reference.Stages.CopyHidden(l, expected, 0);
                    fast.Stages.CopyHidden(l, actual, 0);
                    Same(expected, actual, h, where + "h");
                    reference.Stages.CopyCell(l, expected, 0);
                    fast.Stages.CopyCell(l, actual, 0);
                    Same(expected, actual, cell == RnnModel.CellTypeLstm ? h : 0, where + "c");
                    if (fast.Stages.Record)
                    {
                        reference.Stages.CopyPreActivations(l, expected, 0);
                        fast.Stages.CopyPreActivations(l, actual, 0);
                        Same(expected, actual, rows, where + "pre");
                        reference.Stages.CopyGates(l, expected, 0);
                        fast.Stages.CopyGates(l, actual, 0);
                        Same(expected, actual, rows, where + "gates");
                    }
                }

                reference.ComputeOutput(expectedScores, 0);
                fast.ComputeOutput(actualScores, 0);
                for (int j = 0; j < k; j++)
                {
                    Assert.AreEqual(expectedScores[j], actualScores[j], name + " step " + t + " score " + j);
                }
            }
        }

        private static void Same(short[] expected, short[] actual, int count, string what)
        {
            for (int i = 0; i < count; i++)
            {
                Assert.AreEqual(expected[i], actual[i], what + "[" + i + "]");
            }
        }
    }
}
