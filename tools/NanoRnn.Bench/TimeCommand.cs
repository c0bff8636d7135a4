using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace NanoRnn.Bench
{
    /// <summary>
    /// The "time" command: host nanoseconds per Step of the UNinstrumented NanoRnn.dll (and the reference
    /// baseline) under .NET's JIT, with BenchmarkDotNet's short job, in process (the nano assemblies are
    /// loaded from bin/.../nano/, which a generated benchmark project could not see). A secondary
    /// figure: the JIT inlines and vectorises what nanoCLR interprets one instruction at a time, so
    /// rankings on the host can differ from those on the device; the "il" command is the device proxy.
    /// </summary>
    internal static class TimeCommand
    {
        internal static List<BenchModel> Models;
        internal static NanoAssemblies Assemblies;

        public static int Run(Options options)
        {
            Models = BenchModels.Resolve(options.Models, Console.Error)
                .Where(m => m.CellType == 1 && m.LayerCount == 1).ToList();
            Assemblies = NanoAssemblies.Prepare(options.NanoDirectory, options.Library);

            IConfig config = DefaultConfig.Instance
                .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
                .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"))
                .WithOptions(ConfigOptions.JoinSummary);
            Summary summary = BenchmarkRunner.Run<StepBenchmark>(config);

            Console.WriteLine();
            Console.WriteLine("## Host time per Step (.NET " + Environment.Version + ", BenchmarkDotNet short job; secondary to the IL counts)");
            Console.WriteLine();
            Console.WriteLine("| model | gate MACs | kernel | ns / step | ± std. dev. | ns / MAC | reference ÷ kernel |");
            Console.WriteLine("|---|--:|---|--:|--:|--:|--:|");
            var means = new Dictionary<string, double>();
            var deviations = new Dictionary<string, double>();
            foreach (BenchmarkReport report in summary.Reports)
            {
                string key = (string)report.BenchmarkCase.Parameters["Case"];
                if (report.ResultStatistics != null)
                {
                    means[key] = report.ResultStatistics.Mean;
                    deviations[key] = report.ResultStatistics.StandardDeviation;
                }
            }

            bool ok = true;
            foreach (string key in StepBenchmark.Cases())
            {
                string[] parts = key.Split('/');
                BenchModel model = Models.First(m => m.Name == parts[0]);
                if (!means.TryGetValue(key, out double ns))
                {
                    Console.WriteLine("| " + parts[0] + " | | " + parts[1] + " | failed | | | |");
                    ok = false;
                    continue;
                }

                means.TryGetValue(parts[0] + "/" + Network.Reference, out double reference);
                Console.WriteLine("| " + parts[0] + " | " + model.GateMacs + " | " + parts[1] + " | " + ns.ToString("F0", CultureInfo.InvariantCulture)
                    + " | " + deviations[key].ToString("F0", CultureInfo.InvariantCulture) + " | " + (ns / model.GateMacs).ToString("F3", CultureInfo.InvariantCulture)
                    + " | " + (reference > 0 ? (reference / ns).ToString("F2", CultureInfo.InvariantCulture) + "×" : "") + " |");
            }

            return ok ? 0 : 1;
        }
    }

    /// <summary>One Step per operation, cycling through 64 random samples.</summary>
    public class StepBenchmark
    {
        private const int SampleCount = 64;

        private NanoContext context;
        private Network network;
        private short[] samples;
        private int channels;
        private int offset;

        /// <summary>"model/kernel".</summary>
        [ParamsSource(nameof(Cases))]
        public string Case { get; set; }

        public static IEnumerable<string> Cases()
        {
            using (NanoContext probe = NanoContext.Original(TimeCommand.Assemblies))
            {
                string[] kernels = (Network.HasReference(probe.Library) ? new[] { Network.Reference } : new string[0]).Concat(Network.RealKernels(probe.Library)).ToArray();
                return TimeCommand.Models.SelectMany(m => kernels.Select(k => m.Name + "/" + k)).ToList();
            }
        }

        [GlobalSetup]
        public void Setup()
        {
            string[] parts = Case.Split('/');
            BenchModel model = TimeCommand.Models.First(m => m.Name == parts[0]);
            context = NanoContext.Original(TimeCommand.Assemblies);
            object loaded = Network.LoadModel(context.Library, model.Blob);
            network = Network.Create(context, parts[1], loaded, model.Blob);
            channels = model.C;
            samples = Checks.Samples(IlCommand.InputSeed, SampleCount, channels);
            offset = 0;
        }

        [Benchmark]
        public void Step()
        {
            network.Step(samples, offset);
            offset += channels;
            if (offset == samples.Length)
            {
                offset = 0;
            }
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            network = null;
            context.Dispose();
        }
    }
}
