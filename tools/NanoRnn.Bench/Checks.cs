using System;
using System.Collections.Generic;

namespace NanoRnn.Bench
{
    /// <summary>
    /// The harness's own guarantees, checked on every run before anything is reported: the instrumented
    /// assemblies compute exactly what the originals compute, and every kernel of RnnNetwork computes
    /// exactly what its reference kernel computes. Any difference is a <see cref="BenchFailure"/>.
    /// </summary>
    internal static class Checks
    {
        public const int Steps = 300;          // three sequences of 100, one per input range
        public const int SequenceLength = 100;

        /// <summary>
        /// int16 inputs, time-major (step t at t·C): sequences of small, medium and full-range values,
        /// so that the saturating paths run too.
        /// </summary>
        public static short[] Samples(int seed, int steps, int channels)
        {
            var random = new Random(seed);
            var samples = new short[steps * channels];
            for (int t = 0; t < steps; t++)
            {
                int range = ((t / SequenceLength) % 3) switch { 0 => 2000, 1 => 12000, _ => 32768 };
                for (int c = 0; c < channels; c++)
                {
                    samples[t * channels + c] = (short)Math.Clamp(random.Next(-range, range), short.MinValue, short.MaxValue);
                }
            }

            return samples;
        }

        /// <summary>Original vs instrumented, for every kernel of RnnNetwork.</summary>
        public static void InstrumentedMatchesOriginal(NanoContext original, NanoContext instrumented, BenchModel model, IEnumerable<string> kernels)
        {
            foreach (string kernel in kernels)
            {
                Network a = Network.Create(original, kernel, Network.ModelFor(original.Library, kernel, model.Blob), model.Blob);
                Network b = Network.Create(instrumented, kernel, Network.ModelFor(instrumented.Library, kernel, model.Blob), model.Blob);
                Lockstep(a, b, model, "instrumented " + Describe(kernel) + " differs from the original on " + model.Name, true);
            }
        }

        /// <summary>The reference kernel vs every other kernel of RnnNetwork in RAM, both as built: every stage they keep.</summary>
        public static void ReferenceMatchesNetwork(NanoContext original, BenchModel model, IEnumerable<string> kernels)
        {
            object loaded = Network.LoadModel(original.Library, model.Blob);
            foreach (string kernel in kernels)
            {
                if (kernel == Network.Reference)
                {
                    continue;
                }

                Network reference = Network.Create(original, Network.Reference, loaded, model.Blob);
                Network real = Network.Create(original, kernel, loaded, model.Blob);
                Lockstep(reference, real, model, "RnnNetwork (" + kernel + ") differs from the reference kernel on " + model.Name, true);
            }
        }

        /// <summary>Every streamed kernel vs the compact one, both as built: the same numbers, read from the blob instead of RAM.</summary>
        public static void StreamedMatchesCompact(NanoContext original, BenchModel model, IEnumerable<string> kernels)
        {
            foreach (string kernel in kernels)
            {
                if (!Network.IsStreamed(kernel))
                {
                    continue;
                }

                Network compact = Network.Create(original, Network.Compact, Network.LoadModel(original.Library, model.Blob), model.Blob);
                Network streamed = Network.Create(original, kernel, Network.ModelFor(original.Library, kernel, model.Blob), model.Blob);
                Lockstep(compact, streamed, model, "RnnNetwork (" + kernel + ") differs from RnnNetwork (compact) on " + model.Name, true);
            }
        }

        /// <summary>
        /// A model loaded through a reader (RnnModel.Load(reader, length)), streamed 16 rows per read, vs
        /// the compact kernel on RnnModel.Load(blob): the same numbers.
        /// </summary>
        public static void ReaderLoadMatchesCompact(NanoContext original, BenchModel model)
        {
            Network compact = Network.Create(original, Network.Compact, Network.LoadModel(original.Library, model.Blob), model.Blob);
            object loaded = Network.LoadModel(original.Library, Network.CreateReader(original, model.Blob, false), model.Blob.Length);
            Network streamed = Network.Create(original, Network.Streamed16Array, loaded, model.Blob);
            Lockstep(compact, streamed, model, "a model loaded through a reader, streamed, differs from RnnNetwork (compact) on " + model.Name, true);
        }

        public static string Describe(string kernel)
        {
            return "RnnNetwork (" + kernel + ")";
        }

        // Runs both on the same inputs and compares h, c and the scores after every step (and the
        // gates and pre-activations when both sides expose them).
        private static void Lockstep(Network a, Network b, BenchModel model, string what, bool allStates)
        {
            short[] samples = Samples(7, Steps, model.C);
            int rows = model.Rows;
            var scoresA = new int[model.K];
            var scoresB = new int[model.K];
            for (int t = 0; t < Steps; t++)
            {
                if (t % SequenceLength == 0)
                {
                    a.Reset();
                    b.Reset();
                }

                a.Step(samples, t * model.C);
                b.Step(samples, t * model.C);
                Same(what, "h", t, a.CopyHidden, b.CopyHidden, model.H);
                Same(what, "c", t, a.CopyCell, b.CopyCell, model.CellCount);
                if (allStates)
                {
                    Same(what, "gates", t, a.CopyGates, b.CopyGates, rows);
                    Same(what, "pre-activations", t, a.CopyPreActivations, b.CopyPreActivations, rows);
                }

                a.ComputeOutput(scoresA, 0);
                b.ComputeOutput(scoresB, 0);
                for (int k = 0; k < model.K; k++)
                {
                    if (scoresA[k] != scoresB[k])
                    {
                        throw new BenchFailure(what + ": score[" + k + "] after step " + t + " is " + scoresA[k] + " vs " + scoresB[k]);
                    }
                }
            }
        }

        private static void Same(string what, string state, int step, Action<short[], int> copyA, Action<short[], int> copyB, int count)
        {
            if (copyA == null || copyB == null)
            {
                return;
            }

            var va = new short[count];
            var vb = new short[count];
            copyA(va, 0);
            copyB(vb, 0);
            for (int i = 0; i < count; i++)
            {
                if (va[i] != vb[i])
                {
                    throw new BenchFailure(what + ": " + state + "[" + i + "] after step " + step + " is " + va[i] + " vs " + vb[i]);
                }
            }
        }
    }
}
