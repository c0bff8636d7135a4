#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests
{
    /// <summary>
    /// The firmware against the Python bit-exact reference (the golden parts, written by
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
            Assert.IsTrue(Golden.GoldenData.Count > 0, "no golden cases: run python3 tools/quantize.py golden --out tests");
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase g = Golden.GoldenData.Get(i);
                RnnNetwork packed = new RnnNetwork(RnnModel.Load(g.Blob), true);
                Assert.IsTrue(packed.UsesPackedWeights, g.Name + " packed");
                Assert.IsFalse(packed.Stages.Record, g.Name + " records stages by default");
                CheckCase(g, packed, "packed");
                packed.Stages.Record = true;
                CheckCase(g, packed, "packed, stages recorded");
                RnnNetwork compact = new RnnNetwork(RnnModel.Load(g.Blob), false);
                Assert.IsFalse(compact.UsesPackedWeights, g.Name + " compact");
                CheckCase(g, compact, "compact");
                compact.Stages.Record = true;
                CheckCase(g, compact, "compact, stages recorded");
                RnnNetwork reference = RnnNetwork.WithReferenceKernel(RnnModel.Load(g.Blob));
                Assert.IsTrue(reference.UsesReferenceKernel, g.Name + " reference");
                reference.Stages.Record = true;
                CheckCase(g, reference, "reference");
            }
        }

        [TestMethod]
        public void Run_gives_the_reference_scores()
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase g = Golden.GoldenData.Get(i);
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

        [TestMethod]
        public void ComputeOutput_after_every_step_equals_the_reference()
        {
            for (int i = 0; i < Golden.GoldenData.Count; i++)
            {
                GoldenCase g = Golden.GoldenData.Get(i);
                RnnNetwork network = new RnnNetwork(RnnModel.Load(g.Blob));
                int c = network.Model.InputChannels;
                int k = network.Model.ClassCount;
                Assert.AreEqual(g.Sequences * g.Steps * k, g.StepOutput.Length, g.Name + ": step output length");
                int[] output = new int[k];
                for (int n = 0; n < g.Sequences; n++)
                {
                    network.Reset();
                    for (int t = 0; t < g.Steps; t++)
                    {
                        int step = n * g.Steps + t;
                        network.Step(g.Input, step * c);
                        network.ComputeOutput(output, 0);
                        CheckEqual(g.StepOutput, step * k, output, 0, k, g.Name + " sequence " + n + " step " + t + " output");
                    }
                }
            }
        }

        /// <summary>
        /// Runs every sequence of <paramref name="g"/> through <paramref name="network"/> (on g's blob)
        /// and checks, after every step, every layer's cell and hidden state, and its pre-activations
        /// and gates when the network records them; and the scores at the end of each sequence.
        /// </summary>
        internal static void CheckCase(GoldenCase g, RnnNetwork network, string kernel)
        {
            RnnModel model = network.Model;
            int c = model.InputChannels;
            int k = model.ClassCount;
            int layers = model.LayerCount;

            // Widths of each layer's stages, and the per-step totals of the golden arrays.
            int[] rows = new int[layers];
            int[] cells = new int[layers];
            int[] hiddens = new int[layers];
            int rowTotal = 0, cellTotal = 0, hiddenTotal = 0;
            for (int l = 0; l < layers; l++)
            {
                int h = model.GetHiddenSize(l);
                int cell = model.GetCellType(l);
                rows[l] = cell == RnnModel.CellTypeLstm || cell == RnnModel.CellTypeGru ? 4 * h : h;
                cells[l] = cell == RnnModel.CellTypeLstm ? h : 0;
                hiddens[l] = h;
                rowTotal += rows[l];
                cellTotal += cells[l];
                hiddenTotal += h;
            }

            Assert.AreEqual(g.Sequences * g.Steps * c, g.Input.Length, g.Name + ": input length");
            Assert.AreEqual(g.Sequences * g.Steps * rowTotal, g.Pre.Length, g.Name + ": pre length");
            Assert.AreEqual(g.Sequences * g.Steps * cellTotal, g.Cell.Length, g.Name + ": cell length");
            Assert.AreEqual(g.Sequences * g.Steps * hiddenTotal, g.Hidden.Length, g.Name + ": hidden length");
            Assert.AreEqual(g.Sequences * k, g.Output.Length, g.Name + ": output length");

            short[] buffer = new short[rowTotal];
            int[] output = new int[k];
            for (int n = 0; n < g.Sequences; n++)
            {
                network.Reset();
                for (int t = 0; t < g.Steps; t++)
                {
                    int step = n * g.Steps + t;
                    network.Step(g.Input, step * c);
                    int preAt = step * rowTotal, cellAt = step * cellTotal, hiddenAt = step * hiddenTotal;
                    for (int l = 0; l < layers; l++)
                    {
                        string where = g.Name + " " + kernel + " sequence " + n + " step " + t + " layer " + l + " ";
                        if (network.Stages.Record)
                        {
                            network.Stages.CopyPreActivations(l, buffer, 0);
                            CheckEqual(g.Pre, preAt, buffer, rows[l], where + "pre");
                            network.Stages.CopyGates(l, buffer, 0);
                            CheckEqual(g.Gates, preAt, buffer, rows[l], where + "gates");
                        }

                        network.Stages.CopyCell(l, buffer, 0);
                        CheckEqual(g.Cell, cellAt, buffer, cells[l], where + "cell");
                        network.Stages.CopyHidden(l, buffer, 0);
                        CheckEqual(g.Hidden, hiddenAt, buffer, hiddens[l], where + "hidden");
                        preAt += rows[l];
                        cellAt += cells[l];
                        hiddenAt += hiddens[l];
                    }
                }

                network.ComputeOutput(output, 0);
                CheckEqual(g.Output, n * k, output, 0, k, g.Name + " " + kernel + " sequence " + n + " output");
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

        internal static void CheckEqual(int[] expected, int offset, int[] actual, int actualOffset, int count, string what)
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
