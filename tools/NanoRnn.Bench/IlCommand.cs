using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace NanoRnn.Bench
{
    /// <summary>The "il" command: interpreted cost per step, per MAC and per load, as Markdown.</summary>
    internal static class IlCommand
    {
        public const int InputSeed = 1;

        // A call plus return costs nanoCLR about ten simple instructions (docs/performance.md).
        public const int CallWeight = 10;

        /// <summary>The region of docs/performance.md that <c>il --output docs/performance.md</c> rewrites.</summary>
        public const string Region = "il";

        private const string Title = "## Interpreted cost of NanoRnn (IL instructions, nanoCLR)";

        private sealed class KernelCost
        {
            public string Kernel;
            public Counts Constructor;
            public Counts Step;           // per step (divided)
            public Counts Output;         // per ComputeOutput (divided)
            public double StepIl, StepCalls, StepAllocations, StepBytes;
            public double OutputIl, OutputCalls, OutputAllocations, OutputBytes;

            public double StepWeighted
            {
                get { return StepIl + CallWeight * StepCalls; }
            }

            public double OutputWeighted
            {
                get { return OutputIl + CallWeight * OutputCalls; }
            }
        }

        private sealed class ModelCost
        {
            public BenchModel Model;
            public string Refused;        // RnnModel.Load's message for a blob it does not support
            public Counts Load;
            public Counts LoadWithoutWeights;  // RnnModel.Load(blob, false), what the streamed kernels run
            public Counts LoadThroughReader;   // RnnModel.Load(reader, length) over ByteArrayBlobReader; null if the library has none
            public Counts LoadThroughResource; // the same over the resource stand-in, which allocates each read
            public string DefaultKernel;
            public List<KernelCost> Kernels = new List<KernelCost>();

            public KernelCost Reference
            {
                get { return Kernels.FirstOrDefault(k => k.Kernel == Network.Reference); }   // null: a library without the reference kernel
            }
        }

        public static int Run(Options options, TextWriter output)
        {
            TextWriter log = Console.Error;
            List<BenchModel> models = BenchModels.Resolve(options.Models, log);
            NanoAssemblies assemblies = NanoAssemblies.Prepare(options.NanoDirectory, options.Library);
            var text = new StringBuilder();
            var failures = new List<string>();

            using (NanoContext original = NanoContext.Original(assemblies))
            using (NanoContext counting = NanoContext.Counting(assemblies))
            {
                List<string> kernels = (Network.HasReference(original.Library) ? new[] { Network.Reference } : new string[0])
                    .Concat(Network.RealKernels(original.Library)).Concat(Network.StreamedKernels(original.Library)).ToList();

                // Static data first, so that Load and the constructors count only their own allocations.
                Counts before = counting.Read();
                counting.RunStaticConstructors();
                Counts statics = counting.Read().Minus(before);

                var costs = new List<ModelCost>();
                var hostChecks = new List<string>();
                foreach (BenchModel model in models)
                {
                    log.WriteLine("measuring " + model.Name + " (" + model.Shape + ")");
                    var cost = new ModelCost { Model = model };
                    costs.Add(cost);
                    try
                    {
                        Network.LoadModel(original.Library, model.Blob);
                    }
                    catch (Exception e) when (e.GetType().Name == "ModelFormatException")
                    {
                        cost.Refused = e.Message;
                        continue;
                    }

                    List<string> modelKernels = kernels;
                    Checks.InstrumentedMatchesOriginal(original, counting, model, modelKernels);
                    if (kernels.Contains(Network.Reference))
                    {
                        Checks.ReferenceMatchesNetwork(original, model, kernels.Where(k => !Network.IsStreamed(k)));
                    }

                    Checks.StreamedMatchesCompact(original, model, modelKernels);
                    if (Network.HasReaderLoad(original.Library))
                    {
                        Checks.ReaderLoadMatchesCompact(original, model);
                    }

                    Measure(counting, model, modelKernels, options, cost);
                    cost.DefaultKernel = Network.DefaultKernelOf(
                        Network.Create(original, Network.Default, Network.LoadModel(original.Library, model.Blob), model.Blob));
                    hostChecks.Add(HostAllocationCheck(original, model, cost.DefaultKernel, failures));
                    // The resource stand-in allocates per read by design: that is what its rows measure.
                    foreach (KernelCost k in cost.Kernels.Where(k => !Network.ReaderAllocates(k.Kernel) && (k.StepAllocations != 0 || k.OutputAllocations != 0)))
                    {
                        failures.Add(Checks.Describe(k.Kernel) + " allocates after warm-up on " + model.Name
                            + ": " + Format(k.StepAllocations) + " objects per step, " + Format(k.OutputAllocations) + " per ComputeOutput");
                    }
                }

                WriteReport(text, options, assemblies, kernels, statics, costs, hostChecks);
            }

            output.Write(Title + "\n\n" + text);
            if (options.OutputFile != null)
            {
                log.WriteLine("wrote " + GeneratedPage.Write(options.OutputFile, Region, CommandLine(options), text.ToString()));
            }

            foreach (string failure in failures)
            {
                Console.Error.WriteLine("FAILED: " + failure);
            }

            return failures.Count == 0 ? 0 : 1;
        }

        private static void Measure(NanoContext counting, BenchModel model, List<string> kernels, Options options, ModelCost cost)
        {
            Counts before = counting.Read();
            object loaded = Network.LoadModel(counting.Library, model.Blob);
            cost.Load = counting.Read().Minus(before);
            object weightless = null;
            if (kernels.Any(Network.IsStreamed))
            {
                before = counting.Read();
                weightless = Network.LoadModel(counting.Library, model.Blob, false);
                cost.LoadWithoutWeights = counting.Read().Minus(before);
            }

            if (Network.HasReaderLoad(counting.Library))
            {
                cost.LoadThroughReader = CountReaderLoad(counting, model.Blob, false);
                cost.LoadThroughResource = CountReaderLoad(counting, model.Blob, true);
            }

            short[] warm = Checks.Samples(InputSeed + 1, options.Warmup, model.C);
            short[] samples = Checks.Samples(InputSeed, options.Steps, model.C);
            int outputs = Math.Min(options.Steps, 100);
            var scores = new int[model.K];
            foreach (string kernel in kernels)
            {
                var k = new KernelCost { Kernel = kernel };
                before = counting.Read();
                Network network = Network.Create(counting, kernel, Network.IsStreamed(kernel) ? weightless : loaded, model.Blob);
                k.Constructor = counting.Read().Minus(before);

                for (int t = 0; t < options.Warmup; t++)
                {
                    network.Step(warm, t * model.C);
                }

                network.ComputeOutput(scores, 0);

                before = counting.Read();
                for (int t = 0; t < options.Steps; t++)
                {
                    network.Step(samples, t * model.C);
                }

                k.Step = counting.Read().Minus(before);
                k.StepIl = (double)k.Step.Instructions / options.Steps;
                k.StepCalls = (double)k.Step.Calls / options.Steps;
                k.StepAllocations = (double)k.Step.Allocations / options.Steps;
                k.StepBytes = (double)k.Step.AllocatedBytes / options.Steps;

                before = counting.Read();
                for (int i = 0; i < outputs; i++)
                {
                    network.ComputeOutput(scores, 0);
                }

                k.Output = counting.Read().Minus(before);
                k.OutputIl = (double)k.Output.Instructions / outputs;
                k.OutputCalls = (double)k.Output.Calls / outputs;
                k.OutputAllocations = (double)k.Output.Allocations / outputs;
                k.OutputBytes = (double)k.Output.AllocatedBytes / outputs;
                cost.Kernels.Add(k);
            }
        }

        // RnnModel.Load(reader, length); the reader is made before counting, as the caller holds it.
        private static Counts CountReaderLoad(NanoContext counting, byte[] blob, bool allocatingReader)
        {
            object reader = Network.CreateReader(counting, blob, allocatingReader);
            Counts before = counting.Read();
            Network.LoadModel(counting.Library, reader, blob.Length);
            return counting.Read().Minus(before);
        }

        // The uninstrumented assembly on .NET: the runtime's own allocation counter over 1000 steps.
        private static string HostAllocationCheck(NanoContext original, BenchModel model, string kernel, List<string> failures)
        {
            const int steps = 1000;
            object loaded = Network.LoadModel(original.Library, model.Blob);
            Network network = Network.Create(original, kernel == Network.Default ? Network.Default : kernel, loaded, model.Blob);
            short[] samples = Checks.Samples(InputSeed, steps, model.C);
            var scores = new int[model.K];
            for (int t = 0; t < 10; t++)
            {
                network.Step(samples, t * model.C);
            }

            network.ComputeOutput(scores, 0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int t = 0; t < steps; t++)
            {
                network.Step(samples, t * model.C);
                network.ComputeOutput(scores, 0);
            }

            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (bytes != 0)
            {
                failures.Add("RnnNetwork (" + kernel + ") allocated " + bytes + " bytes on .NET over " + steps + " steps of " + model.Name);
            }

            return model.Name + " (" + kernel + "): " + bytes + " bytes";
        }

        private static void WriteReport(
            StringBuilder w, Options options, NanoAssemblies assemblies, List<string> kernels, Counts statics,
            List<ModelCost> costs, List<string> hostChecks)
        {
            InstrumentedAssembly lib = assemblies.Library;
            w.AppendLine("- NanoRnn.dll: `" + RelativeToRepository(lib.OriginalPath) + "`, " + BuildKind(lib.OriginalImage) + ", SHA-256 " + ShortHash(lib.OriginalImage)
                + "; stand-ins: NanoRnn.Bench.StandIns.dll (" + BuildKind(assemblies.StandIns.OriginalImage) + ")");
            w.AppendLine("- " + options.Steps + " steps after " + options.Warmup + " warm-up steps; random int16 inputs (seed " + InputSeed
                + "); ComputeOutput averaged over " + Math.Min(options.Steps, 100) + " calls; instrumented copies in `" + assemblies.InstrumentedDirectory + "`");
            w.AppendLine("- checked before measuring: instrumented = original (" + string.Join(", ", kernels) + "; h, c, gates, pre-activations and scores after each of "
                + Checks.Steps + " steps), every kernel = the reference kernel bit for bit on every model, and every streamed kernel = compact bit for bit"
                + (costs.Any(c => c.LoadThroughReader != null) ? ", on models loaded from the array and through a reader" : "") + ": passed");
            w.AppendLine("- weighted = IL + " + CallWeight + " × calls (a call and return cost nanoCLR about ten simple instructions); MAC = one int8 × int16 multiply-accumulate");
            w.AppendLine();

            var measured = costs.Where(c => c.Refused == null).ToList();
            w.AppendLine("### Step: one time step of every layer (gate MACs = Σ R·(inputs + H), R = 4H for LSTM and GRU, H for RNN; the cell update is included in the step, not in the MACs)");
            w.AppendLine();
            w.AppendLine("| model | gate MACs | kernel | IL / step | IL / MAC | calls / step | weighted / step | allocations / step | bytes / step | reference ÷ kernel, IL | reference ÷ kernel, weighted |");
            w.AppendLine("|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (ModelCost c in measured)
            {
                bool first = true;
                foreach (KernelCost k in c.Kernels)
                {
                    w.AppendLine("| " + (first ? c.Model.Name + " (" + c.Model.Shape + ")" : "") + " | " + (first ? c.Model.GateMacs.ToString(CultureInfo.InvariantCulture) : "")
                        + " | " + KernelLabel(k.Kernel, c.DefaultKernel) + " | " + Format(k.StepIl) + " | " + Format2(k.StepIl / c.Model.GateMacs)
                        + " | " + Format(k.StepCalls) + " | " + Format(k.StepWeighted) + " | " + Format(k.StepAllocations) + " | " + Format(k.StepBytes)
                        + " | " + (c.Reference == null ? "–" : Ratio(c.Reference.StepIl, k.StepIl)) + " | " + (c.Reference == null ? "–" : Ratio(c.Reference.StepWeighted, k.StepWeighted)) + " |");
                    first = false;
                }
            }

            w.AppendLine();
            w.AppendLine("### ComputeOutput: the head on the last hidden state (head MACs = K·H; MLP: M·H + K·M)");
            w.AppendLine();
            w.AppendLine("| model | head MACs | kernel | IL | IL / MAC | calls | weighted | allocations | bytes | reference ÷ NanoRnn, IL | reference ÷ NanoRnn, weighted |");
            w.AppendLine("|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (ModelCost c in measured)
            {
                KernelCost nanoRnn = c.Kernels.FirstOrDefault(k => k.Kernel == c.DefaultKernel) ?? c.Kernels.Last();
                bool first = true;
                foreach (KernelCost k in new[] { c.Reference, nanoRnn }.Where(k => k != null))
                {
                    w.AppendLine("| " + (first ? c.Model.Name : "") + " | " + (first ? c.Model.HeadMacs.ToString(CultureInfo.InvariantCulture) : "")
                        + " | " + (k == c.Reference ? "reference" : "NanoRnn") + " | " + Format(k.OutputIl) + " | " + Format2(k.OutputIl / c.Model.HeadMacs)
                        + " | " + Format(k.OutputCalls) + " | " + Format(k.OutputWeighted) + " | " + Format(k.OutputAllocations) + " | " + Format(k.OutputBytes)
                        + " | " + (c.Reference == null ? "–" : Ratio(c.Reference.OutputIl, k.OutputIl)) + " | " + (c.Reference == null ? "–" : Ratio(c.Reference.OutputWeighted, k.OutputWeighted)) + " |");
                    first = false;
                }
            }

            w.AppendLine();
            w.AppendLine("### Load and memory");
            w.AppendLine();
            w.AppendLine("Bytes are what the code allocates (element count × element size; objects as nanoCLR lays them out, 12 bytes a field); "
                + "\"heap\" adds nanoCLR's array headers and 12-byte block rounding. Nothing is freed during Load, so the sum of its allocations "
                + "is its peak managed allocation; all of it but two small objects (BlobLayout, BlobSource: about 400 bytes) stays as the model's RAM. "
                + "The blob itself comes on top while it is in RAM.");
            w.AppendLine();
            string[] real = kernels.Where(k => k != Network.Reference && !Network.IsStreamed(k)).ToArray();
            w.Append("| model | blob bytes | float32 params bytes | RnnModel.Load IL | Load calls | Load objects | Load bytes (peak) | Load heap");
            foreach (string k in real)
            {
                w.Append(" | new RnnNetwork, " + k + ": objects / bytes / heap");
            }

            w.AppendLine(" | model + network RAM, default kernel (heap) |");
            w.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|" + string.Concat(real.Select(_ => "--:|")) + "--:|");
            foreach (ModelCost c in measured)
            {
                w.Append("| " + c.Model.Name + " | " + c.Model.Blob.Length + " | " + c.Model.FloatParameterBytes + " | " + c.Load.Instructions + " | " + c.Load.Calls
                    + " | " + c.Load.Allocations + " | " + c.Load.AllocatedBytes + " | " + c.Load.HeapBytes);
                foreach (string kernel in real)
                {
                    Counts ctor = c.Kernels.First(k => k.Kernel == kernel).Constructor;
                    w.Append(" | " + ctor.Allocations + " / " + ctor.AllocatedBytes + " / " + ctor.HeapBytes);
                }

                KernelCost chosen = c.Kernels.FirstOrDefault(k => k.Kernel == c.DefaultKernel) ?? c.Kernels.Last();
                w.AppendLine(" | " + (c.Load.HeapBytes + chosen.Constructor.HeapBytes) + " (" + c.DefaultKernel + ") |");
            }

            w.AppendLine();
            w.AppendLine("- static data of NanoRnn.dll (activation and CRC tables, once per application; nanoCLR builds them when the assembly loads): "
                + statics.Allocations + " objects, " + statics.AllocatedBytes + " bytes (heap " + statics.HeapBytes + "), " + statics.Instructions + " IL instructions");
            w.AppendLine("- host cross-check, uninstrumented NanoRnn.dll on .NET, GC.GetAllocatedBytesForCurrentThread over 1000 × (Step + ComputeOutput): "
                + string.Join("; ", hostChecks));
            foreach (ModelCost c in costs.Where(c => c.Refused != null))
            {
                w.AppendLine("- " + c.Model.Name + " (" + c.Model.Shape + "): not measured, RnnModel.Load refuses it: " + c.Refused);
            }

            w.AppendLine("- the reference kernel (RnnNetwork.WithReferenceKernel) is each cell's equations written out row by row: the ratio columns say what the fast kernels save. "
                + "A GRU layer runs the same row kernels over 4H rows r, z, n_x, n_h.");

            if (measured.Any(c => c.LoadThroughReader != null))
            {
                WriteReaderLoad(w, measured);
            }

            if (measured.Any(c => c.LoadWithoutWeights != null))
            {
                WriteStreamedMemory(w, measured, statics);
            }

            if (options.Methods)
            {
                WriteMethods(w, measured);
            }
        }

        // RnnModel.Load(reader, length): cost, peak, reads.
        private static void WriteReaderLoad(StringBuilder w, List<ModelCost> measured)
        {
            w.AppendLine();
            w.AppendLine("Loading through a reader, RnnModel.Load(reader, length) over ByteArrayBlobReader: the blob is not in RAM; the loader reads it "
                + "into one 256-byte buffer, runs every check Load(blob) runs and keeps what Load(blob, false) keeps (no gate weights). "
                + "Its heap is its peak (nothing is freed while it runs); the buffer, a copy of the 32-byte header and the reading state are garbage "
                + "once it returns. Load(blob, false) peak = its heap + the blob's. Reads and bytes read are counted through the resource "
                + "stand-in (AllocatingBlobReader: every read allocates what it returns, as ResourceUtility.GetObject does), whose own IL is the last column.");
            w.AppendLine();
            w.AppendLine("| model | blob bytes | Load(reader) IL | IL per blob byte: Load(blob) / Load(reader) | calls | objects | bytes (peak) | heap (peak) | Load(blob, false): heap + blob heap | reads | bytes read | Load(reader) IL, resource stand-in |");
            w.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (ModelCost c in measured.Where(c => c.LoadThroughReader != null))
            {
                Counts r = c.LoadThroughReader;
                Counts resource = c.LoadThroughResource;
                double bytes = c.Model.Blob.Length;
                w.AppendLine("| " + c.Model.Name + " | " + c.Model.Blob.Length + " | " + r.Instructions
                    + " | " + (c.Load.Instructions / bytes).ToString("F1", CultureInfo.InvariantCulture) + " / " + (r.Instructions / bytes).ToString("F1", CultureInfo.InvariantCulture)
                    + " | " + r.Calls + " | " + r.Allocations + " | " + r.AllocatedBytes + " | " + r.HeapBytes
                    + " | " + (c.LoadWithoutWeights == null ? "–" : (c.LoadWithoutWeights.HeapBytes + HeapFit.Array(c.Model.Blob.Length)).ToString(CultureInfo.InvariantCulture))
                    + " | " + (resource.Allocations - r.Allocations) + " | " + (resource.AllocatedBytes - r.AllocatedBytes) + " | " + resource.Instructions + " |");
            }
        }

        // RAM and load peak in each mode, and the largest single-layer LSTM that fits a heap in each.
        private static void WriteStreamedMemory(StringBuilder w, List<ModelCost> measured, Counts statics)
        {
            w.AppendLine();
            w.AppendLine("### Memory by mode: gate weights in RAM (compact, packed) or read from the blob (streamed)");
            w.AppendLine();
            w.AppendLine("Heap bytes as above. Streamed: RnnModel.Load(blob, false) and new RnnNetwork(model, ByteArrayBlobReader, "
                + Network.StreamedChunkRows + "). Steady = model + network. Peak while loading = the blob (an array, as nanoFramework's "
                + "Resources.GetBytes returns it) + the model, before the network exists and the blob is dropped; through a reader, "
                + "RnnModel.Load(reader, length)'s heap, with no blob in RAM. "
                + "Constructor IL: the streamed constructor reads the whole blob once through the reader and checks its CRC-32.");
            w.AppendLine();
            w.AppendLine("| model | blob heap | Load heap: with gate weights / without | steady: compact / packed / streamed 16 / streamed all | peak while loading: with gate weights / without / through a reader | streamed 16 constructor IL, array / resource reader | resource reader: bytes allocated by the constructor |");
            w.AppendLine("|---|--:|--:|--:|--:|--:|--:|");
            foreach (ModelCost c in measured.Where(c => c.LoadWithoutWeights != null))
            {
                long blob = HeapFit.Array(c.Model.Blob.Length);
                w.AppendLine("| " + c.Model.Name + " | " + blob + " | " + c.Load.HeapBytes + " / " + c.LoadWithoutWeights.HeapBytes
                    + " | " + Steady(c, Network.Compact) + " / " + Steady(c, Network.Packed) + " / " + Steady(c, Network.Streamed16Array) + " / " + Steady(c, Network.StreamedAllArray)
                    + " | " + (blob + c.Load.HeapBytes) + " / " + (blob + c.LoadWithoutWeights.HeapBytes)
                    + " / " + (c.LoadThroughReader == null ? "–" : c.LoadThroughReader.HeapBytes.ToString(CultureInfo.InvariantCulture))
                    + " | " + Ctor(c, Network.Streamed16Array).Instructions + " / " + Ctor(c, Network.Streamed16Resource).Instructions
                    + " | " + Ctor(c, Network.Streamed16Resource).AllocatedBytes + " |");
            }

            // The fit: array formulas (HeapFit) plus the objects of the first measured single-layer LSTM of 6 channels.
            ModelCost reference = measured.FirstOrDefault(c => c.LoadWithoutWeights != null && c.Model.IsPlainSingleLstm && c.Model.C == 6);
            if (reference == null)
            {
                return;
            }

            BenchModel r = reference.Model;
            Dictionary<string, long> objects = HeapFit.Calibrate(r.C, r.H, r.K, mode => MeasuredHeap(reference, mode));
            w.AppendLine();
            w.AppendLine("Predicted heap (HeapFit: the library's arrays, 20-byte headers, 12-byte blocks, plus the objects measured on "
                + r.Name + ") against the measurement, model + network:");
            w.AppendLine();
            w.AppendLine("| model | compact: predicted / measured | packed | streamed 16 |");
            w.AppendLine("|---|--:|--:|--:|");
            foreach (ModelCost c in measured.Where(c => c.LoadWithoutWeights != null && c.Model.IsPlainSingleLstm))
            {
                w.AppendLine("| " + c.Model.Name + " | " + string.Join(" | ", HeapFit.Modes.Select(mode =>
                    (HeapFit.Arrays(mode, c.Model.C, c.Model.H, c.Model.K) + objects[mode]) + " / " + MeasuredHeap(c, mode))) + " |");
            }

            const long Heap = 100000;
            // What the load through a reader allocates beyond Load(blob, false): its buffer, the header copy, its state.
            long readerExtra = reference.LoadThroughReader == null ? -1 : reference.LoadThroughReader.HeapBytes - reference.LoadWithoutWeights.HeapBytes;
            w.AppendLine();
            w.AppendLine("Largest single-layer LSTM " + r.C + "→H, " + r.K + " classes, whose peak while loading and steady state both fit a "
                + Heap + "-byte heap with the static tables (" + statics.HeapBytes + " bytes), predicted as above (fragmentation not modelled). "
                + "Loaded from an array (Resources.GetBytes, then RnnModel.Load(blob[, false])), the blob is in RAM beside the model while it loads; "
                + "loaded through a reader (RnnModel.Load(reader, length), streamed only: it keeps no gate weights), the loader's buffer and state take its place"
                + (readerExtra < 0 ? " (not measured: the library has no such Load)" : " (" + readerExtra + " bytes of heap beyond Load(blob, false), measured on " + r.Name + ")")
                + ". H is at most 512 (the format's limit); the last column also gives the largest H the heap alone would allow.");
            w.AppendLine();
            w.AppendLine("| mode | largest H, loaded from an array | its blob bytes | its gate MACs per step | largest H, loaded through a reader |");
            w.AppendLine("|---|--:|--:|--:|--:|");
            foreach (string mode in HeapFit.Modes)
            {
                int h = HeapFit.LargestHidden(mode, r.C, r.K, Heap, statics.HeapBytes, objects[mode], hidden => HeapFit.Array(HeapFit.BlobBytes(r.C, hidden, r.K)), HeapFit.MaxHidden);
                string throughReader = "– (keeps no gate weights)";
                if (mode == HeapFit.Streamed && readerExtra >= 0)
                {
                    int fits = HeapFit.LargestHidden(mode, r.C, r.K, Heap, statics.HeapBytes, objects[mode], hidden => readerExtra, HeapFit.MaxHidden);
                    int unbounded = HeapFit.LargestHidden(mode, r.C, r.K, Heap, statics.HeapBytes, objects[mode], hidden => readerExtra, 8 * HeapFit.MaxHidden);
                    throughReader = fits + (fits == HeapFit.MaxHidden ? " (the format's limit; the heap alone: " + unbounded + ")" : "");
                }

                w.AppendLine("| " + mode + " | " + h + " | " + HeapFit.BlobBytes(r.C, h, r.K) + " | " + (4L * h * (r.C + h)) + " | " + throughReader + " |");
            }
        }

        private static Counts Ctor(ModelCost c, string kernel)
        {
            return c.Kernels.First(k => k.Kernel == kernel).Constructor;
        }

        private static long Steady(ModelCost c, string kernel)
        {
            return (Network.IsStreamed(kernel) ? c.LoadWithoutWeights : c.Load).HeapBytes + Ctor(c, kernel).HeapBytes;
        }

        private static long MeasuredHeap(ModelCost c, string mode)
        {
            return Steady(c, mode == HeapFit.Streamed ? Network.Streamed16Array : mode);
        }

        // Per method, per step: where the instructions go.
        private static void WriteMethods(StringBuilder w, List<ModelCost> measured)
        {
            foreach (ModelCost c in measured)
            {
                foreach (KernelCost k in c.Kernels)
                {
                    w.AppendLine();
                    w.AppendLine("#### " + c.Model.Name + ", " + k.Kernel + ": Step by method (per step)");
                    w.AppendLine();
                    w.AppendLine("| method | entered | IL | share |");
                    w.AppendLine("|---|--:|--:|--:|");
                    double steps = k.Step.Instructions / k.StepIl;
                    foreach (var pair in k.Step.MethodInstructions.Where(p => p.Value > 0 || k.Step.MethodEntries[p.Key] > 0).OrderByDescending(p => p.Value))
                    {
                        string name = pair.Key.Substring(0, pair.Key.LastIndexOf('#'));
                        w.AppendLine("| " + name + " | " + Format(k.Step.MethodEntries[pair.Key] / steps) + " | " + Format(pair.Value / steps)
                            + " | " + (100.0 * pair.Value / k.Step.Instructions).ToString("F1", CultureInfo.InvariantCulture) + "% |");
                    }
                }
            }
        }

        // The command that writes the report again, for its provenance line: the options that change it, paths from the repository.
        private static string CommandLine(Options options)
        {
            var command = new StringBuilder("dotnet run -c Release --project tools/NanoRnn.Bench -- il");
            var defaults = new Options();
            if (options.Steps != defaults.Steps)
            {
                command.Append(" --steps " + options.Steps);
            }

            if (options.Warmup != defaults.Warmup)
            {
                command.Append(" --warmup " + options.Warmup);
            }

            if (options.Methods)
            {
                command.Append(" --methods");
            }

            foreach (string model in options.Models)
            {
                command.Append(" --model " + RelativeToRepository(model));
            }

            if (options.Library != null)
            {
                command.Append(" --library " + RelativeToRepository(options.Library));
            }

            return command + " --output " + RelativeToRepository(Path.GetFullPath(options.OutputFile));
        }

        private static string RelativeToRepository(string path)
        {
            try
            {
                string relative = Path.GetRelativePath(BenchModels.RepositoryRoot(), path);
                return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
            }
            catch (BenchFailure)
            {
                return path;
            }
        }

        private static string KernelLabel(string kernel, string defaultKernel)
        {
            return kernel + (kernel == defaultKernel && kernel != Network.Default ? " (default)" : "");
        }

        private static string Ratio(double reference, double kernel)
        {
            return kernel == 0 ? "–" : (reference / kernel).ToString("F2", CultureInfo.InvariantCulture) + "×";
        }

        // Whole numbers as they are; averages with one decimal when they are not whole.
        public static string Format(double value)
        {
            return Math.Abs(value - Math.Round(value)) < 0.05
                ? Math.Round(value).ToString("F0", CultureInfo.InvariantCulture)
                : value.ToString("F1", CultureInfo.InvariantCulture);
        }

        private static string Format2(double value)
        {
            return value.ToString("F2", CultureInfo.InvariantCulture);
        }

        private static string BuildKind(byte[] image)
        {
            // A Debug build fills its IL with nops (one per statement and brace); a Release build has almost none.
            using (var module = Mono.Cecil.ModuleDefinition.ReadModule(new MemoryStream(image)))
            {
                var code = module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody).SelectMany(m => m.Body.Instructions).ToList();
                int nops = code.Count(i => i.OpCode.Code == Mono.Cecil.Cil.Code.Nop);
                return nops * 20 > code.Count
                    ? "**Debug build (" + nops + " nops in " + code.Count + " IL instructions): counts are too high, run with -c Release**"
                    : "optimized build (" + nops + " nops in " + code.Count + " IL instructions)";
            }
        }

        private static string ShortHash(byte[] image)
        {
            return Convert.ToHexString(SHA256.HashData(image)).Substring(0, 12).ToLowerInvariant();
        }
    }
}
