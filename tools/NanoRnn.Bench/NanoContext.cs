using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace NanoRnn.Bench
{
    /// <summary>What the counters of every instrumented assembly in a context add up to.</summary>
    internal sealed class Counts
    {
        public long Instructions;
        public long Calls;
        public long Allocations;
        public long AllocatedBytes;
        public long HeapBytes;
        public Dictionary<string, long> MethodInstructions = new Dictionary<string, long>();   // by "Assembly: Type.Method(..)"
        public Dictionary<string, long> MethodEntries = new Dictionary<string, long>();

        public Counts Minus(Counts before)
        {
            var d = new Counts
            {
                Instructions = Instructions - before.Instructions,
                Calls = Calls - before.Calls,
                Allocations = Allocations - before.Allocations,
                AllocatedBytes = AllocatedBytes - before.AllocatedBytes,
                HeapBytes = HeapBytes - before.HeapBytes,
            };
            foreach (var pair in MethodInstructions)
            {
                d.MethodInstructions[pair.Key] = pair.Value - before.MethodInstructions[pair.Key];
                d.MethodEntries[pair.Key] = MethodEntries[pair.Key] - before.MethodEntries[pair.Key];
            }

            return d;
        }
    }

    /// <summary>
    /// NanoRnn.dll and NanoRnn.Bench.StandIns.dll, instrumented or as built, in a collectible
    /// AssemblyLoadContext of their own. mscorlib (nanoFramework 1.17) is left to the default context,
    /// where it binds to .NET's mscorlib facade, as on the desktop runner.
    /// </summary>
    internal sealed class NanoContext : IDisposable
    {
        private readonly LoadContext context;
        private readonly List<(Assembly Assembly, InstrumentedAssembly Info, FieldInfo[] Totals, (string Key, FieldInfo I, FieldInfo E)[] Methods)> counters =
            new List<(Assembly, InstrumentedAssembly, FieldInfo[], (string, FieldInfo, FieldInfo)[])>();

        private NanoContext(string name, Dictionary<string, byte[]> images)
        {
            context = new LoadContext(name, images);
        }

        public bool Instrumented { get; private set; }

        public Assembly Library { get; private set; }

        public Assembly StandIns { get; private set; }

        /// <summary>The assemblies as built.</summary>
        public static NanoContext Original(NanoAssemblies assemblies)
        {
            var images = assemblies.All.ToDictionary(a => a.Name, a => a.OriginalImage);
            var result = new NanoContext("original", images);
            result.LoadAssemblies();
            return result;
        }

        /// <summary>The instrumented copies, counters at zero.</summary>
        public static NanoContext Counting(NanoAssemblies assemblies)
        {
            var images = assemblies.All.ToDictionary(a => a.Name, a => a.InstrumentedImage);
            var result = new NanoContext("instrumented", images) { Instrumented = true };
            result.LoadAssemblies();
            foreach (InstrumentedAssembly info in assemblies.All)
            {
                Assembly assembly = result.context.LoadFromAssemblyName(new AssemblyName(info.Name));
                Type type = assembly.GetType(Instrumenter.CounterTypeFullName, true);
                FieldInfo Field(string name) => type.GetField(name, BindingFlags.Public | BindingFlags.Static)
                    ?? throw new BenchFailure("the instrumented " + info.Name + " has no counter " + name);
                var totals = new[]
                {
                    Field(Instrumenter.InstructionsField), Field(Instrumenter.CallsField), Field(Instrumenter.AllocationsField),
                    Field(Instrumenter.AllocatedBytesField), Field(Instrumenter.HeapBytesField),
                };
                var methods = info.Methods
                    .Select(m => (info.Name + ": " + m.Name + "#" + m.Id,
                        Field(Instrumenter.MethodInstructionsPrefix + m.Id), Field(Instrumenter.MethodEntriesPrefix + m.Id)))
                    .ToArray();
                result.counters.Add((assembly, info, totals, methods));
            }

            return result;
        }

        /// <summary>The counters now (sums over NanoRnn and the stand-ins).</summary>
        public Counts Read()
        {
            if (!Instrumented)
            {
                throw new InvalidOperationException("not an instrumented context");
            }

            var c = new Counts();
            foreach (var entry in counters)
            {
                c.Instructions += (long)entry.Totals[0].GetValue(null);
                c.Calls += (long)entry.Totals[1].GetValue(null);
                c.Allocations += (long)entry.Totals[2].GetValue(null);
                c.AllocatedBytes += (long)entry.Totals[3].GetValue(null);
                c.HeapBytes += (long)entry.Totals[4].GetValue(null);
                foreach (var method in entry.Methods)
                {
                    c.MethodInstructions[method.Key] = (long)method.I.GetValue(null);
                    c.MethodEntries[method.Key] = (long)method.E.GetValue(null);
                }
            }

            return c;
        }

        /// <summary>Runs every static constructor of NanoRnn.dll now (nanoCLR runs them when the assembly loads).</summary>
        public void RunStaticConstructors()
        {
            foreach (Type type in Library.GetTypes())
            {
                if (type.TypeInitializer != null && type.FullName != Instrumenter.CounterTypeFullName)
                {
                    System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(type.TypeHandle);
                }
            }
        }

        public void Dispose()
        {
            counters.Clear();
            Library = null;
            StandIns = null;
            context.Unload();
        }

        private void LoadAssemblies()
        {
            Library = context.LoadFromAssemblyName(new AssemblyName(NanoAssemblies.LibraryName));
            StandIns = context.LoadFromAssemblyName(new AssemblyName(NanoAssemblies.StandInsName));
        }

        private sealed class LoadContext : AssemblyLoadContext
        {
            private readonly Dictionary<string, byte[]> images;

            public LoadContext(string name, Dictionary<string, byte[]> images)
                : base("NanoRnn.Bench " + name, isCollectible: true)
            {
                this.images = images;
            }

            protected override Assembly Load(AssemblyName assemblyName)
            {
                return images.TryGetValue(assemblyName.Name, out byte[] image) ? LoadFromStream(new MemoryStream(image)) : null;
            }
        }
    }

    /// <summary>The nano-compiled assemblies the harness measures: where they are, and their instrumented copies.</summary>
    internal sealed class NanoAssemblies
    {
        public const string LibraryName = "NanoRnn";
        public const string StandInsName = "NanoRnn.Bench.StandIns";

        public InstrumentedAssembly Library;
        public InstrumentedAssembly StandIns;
        public string InstrumentedDirectory;

        public IEnumerable<InstrumentedAssembly> All
        {
            get { return new[] { Library, StandIns }; }
        }

        /// <summary>Instruments NanoRnn.dll and NanoRnn.Bench.StandIns.dll from <paramref name="nanoDirectory"/> into a temp folder.</summary>
        public static NanoAssemblies Prepare(string nanoDirectory, string libraryOverride)
        {
            string library = libraryOverride ?? Path.Combine(nanoDirectory, LibraryName + ".dll");
            string standIns = Path.Combine(nanoDirectory, StandInsName + ".dll");
            foreach (string path in new[] { library, standIns })
            {
                if (!File.Exists(path))
                {
                    throw new BenchFailure(path + " does not exist: build with `dotnet build tools/NanoRnn.Bench` (dotnet run does)");
                }
            }

            // Rewritten on every run; kept for inspection (ildasm, ILSpy). The harness loads them from memory.
            string output = Path.Combine(Path.GetTempPath(), "nanornn-bench", "instrumented");
            var search = new[] { Path.GetDirectoryName(Path.GetFullPath(library)), nanoDirectory, Path.Combine(nanoDirectory, "reference") };
            return new NanoAssemblies
            {
                InstrumentedDirectory = output,
                Library = Instrumenter.Instrument(library, output, search),
                StandIns = Instrumenter.Instrument(standIns, output, search),
            };
        }
    }
}
