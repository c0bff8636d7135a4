#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>
    /// The firmware against the Python bit-exact reference (Golden/*.g.cs, written by
    /// `python3 tools/quantize.py golden`): every stage after every step, and the scores at the end.
    /// Exactly equal, because both sides implement the same integer arithmetic; any difference is a bug
    /// on one side or an ambiguity in docs/model-format.md.
    /// </summary>
    [TestClass]
    public class GoldenTests
    {
        [TestMethod]
        public void Every_stage_of_every_step_equals_the_reference()
        {
            GoldenCase[] cases = Golden.GoldenData.All();
            Assert.IsTrue(cases.Length > 0, "no golden cases: run python3 tools/quantize.py golden --out tests/NanoRnn.Tests/Golden");
            for (int i = 0; i < cases.Length; i++)
            {
                CheckCase(cases[i], true);      // the packed kernel
                CheckCase(cases[i], false);     // the compact kernel
            }
        }

        [TestMethod]
        public void Run_gives_the_reference_scores()
        {
            GoldenCase[] cases = Golden.GoldenData.All();
            for (int i = 0; i < cases.Length; i++)
            {
                GoldenCase g = cases[i];
                RnnNetwork network = new RnnNetwork(RnnModel.Load(g.Blob));
                int c = network.Model.InputChannels;
                int k = network.Model.ClassCount;
                int[] output = new int[g.Sequences * k];
                for (int n = 0; n < g.Sequences; n++)
                {
                    network.Run(g.Input, n * g.Steps * c, g.Steps, output, n * k);
                }

                CheckEqual(g.Output, 0, output, 0, output.Length, g.Name + " Run output");
            }
        }

        private static void CheckCase(GoldenCase g, bool packWeights)
        {
            RnnModel model = RnnModel.Load(g.Blob);
            RnnNetwork network = new RnnNetwork(model, packWeights);
            Assert.AreEqual(packWeights, network.UsesPackedWeights);
            int c = model.InputChannels;
            int h = model.HiddenSize;
            int k = model.ClassCount;
            int rows = 4 * h;
            Assert.AreEqual(g.Sequences * g.Steps * c, g.Input.Length, g.Name + ": input length");
            Assert.AreEqual(g.Sequences * g.Steps * rows, g.Pre.Length, g.Name + ": pre length");
            Assert.AreEqual(g.Sequences * k, g.Output.Length, g.Name + ": output length");

            short[] pre = new short[rows];
            short[] gates = new short[rows];
            short[] cell = new short[h];
            short[] hidden = new short[h];
            int[] output = new int[k];
            for (int n = 0; n < g.Sequences; n++)
            {
                network.Reset();
                for (int t = 0; t < g.Steps; t++)
                {
                    int step = n * g.Steps + t;
                    network.Step(g.Input, step * c);
                    network.CopyPreActivations(pre, 0);
                    network.CopyGates(gates, 0);
                    network.CopyCell(cell, 0);
                    network.CopyHidden(hidden, 0);
                    string where = g.Name + (packWeights ? " packed" : " compact") + " sequence " + n + " step " + t + " ";
                    CheckEqual(g.Pre, step * rows, pre, rows, where + "pre");
                    CheckEqual(g.Gates, step * rows, gates, rows, where + "gates");
                    CheckEqual(g.Cell, step * h, cell, h, where + "cell");
                    CheckEqual(g.Hidden, step * h, hidden, h, where + "hidden");
                }

                network.ComputeOutput(output, 0);
                CheckEqual(g.Output, n * k, output, 0, k, g.Name + " sequence " + n + " output");
            }
        }

        // Reports only the first mismatch, with its index (within the step; gates: row = gate·H + j).
        private static void CheckEqual(short[] expected, int offset, short[] actual, int count, string what)
        {
            for (int i = 0; i < count; i++)
            {
                if (expected[offset + i] != actual[i])
                {
                    Assert.AreEqual((int)expected[offset + i], (int)actual[i], what + "[" + i + "]");
                }
            }
        }

        private static void CheckEqual(int[] expected, int offset, int[] actual, int actualOffset, int count, string what)
        {
            for (int i = 0; i < count; i++)
            {
                if (expected[offset + i] != actual[actualOffset + i])
                {
                    Assert.AreEqual(expected[offset + i], actual[actualOffset + i], what + "[" + i + "]");
                }
            }
        }
    }
}
