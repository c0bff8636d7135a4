using System;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace NanoRnn.Desktop.Robustness
{
    /// <summary>
    /// Whether <see cref="GC.GetAllocatedBytesForCurrentThread"/> in this process counts what the
    /// firmware code allocates on nanoCLR, the same whatever the machine's load.
    /// </summary>
    /// <remarks>
    /// nanoCLR puts every <c>new</c> on the heap. .NET's optimising JIT does not: it keeps objects and
    /// small arrays that do not escape a method on the stack, so a per-step allocation can count as
    /// zero. And with tiered compilation a method runs unoptimised first and is recompiled in the
    /// background: which version runs, and so how many frames an exception's stack trace records,
    /// depends on timing. With <see cref="Settings"/> every method is compiled once, optimised, and
    /// every <c>new</c> is counted. The test projects set them in tests/host.runsettings; the
    /// desktop commands that assert allocations run themselves again with them.
    /// </remarks>
    public static class MeasuredAllocation
    {
        /// <summary>The environment variables that make allocation counts faithful and repeatable.</summary>
        public static readonly (string Name, string Value)[] Settings =
        {
            ("DOTNET_TieredCompilation", "0"),
            ("DOTNET_JitObjectStackAllocation", "0"),
        };

        private sealed class Probe
        {
            public int Value;
        }

        /// <summary>null when counts are faithful; otherwise what is wrong, and what to set.</summary>
        public static string Problem()
        {
            foreach ((string name, string value) in Settings)
            {
                if (Environment.GetEnvironmentVariable(name) != value)
                {
                    return $"allocation counts need {Describe()} in the environment ({name} is "
                           + $"{Environment.GetEnvironmentVariable(name) ?? "not set"})";
                }
            }

            // The setting's name or effect could change with the runtime: check the effect itself.
            ProbeAllocation(1);
            long before = GC.GetAllocatedBytesForCurrentThread();
            ProbeAllocation(2);
            long counted = GC.GetAllocatedBytesForCurrentThread() - before;
            return counted > 0 ? null : "the JIT kept a non-escaping object off the heap although " + Describe() + " is set";
        }

        /// <summary>The settings as NAME=VALUE, space-separated.</summary>
        public static string Describe()
        {
            return string.Join(" ", Array.ConvertAll(Settings, s => s.Name + "=" + s.Value));
        }

        // Optimised at once (no tiering), so the JIT's escape analysis applies to it if it is on.
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static int ProbeAllocation(int value)
        {
            var probe = new Probe { Value = value };
            return probe.Value;
        }

        /// <summary>
        /// Runs this program again with <paramref name="args"/> and <see cref="Settings"/>, relays its
        /// output and returns its exit code: for commands whose verdict rests on allocation counts,
        /// started in a process where <see cref="Problem"/> is not null. When <paramref name="errorIsTerminal"/>,
        /// the child writes to this process's stderr itself, so that it too sees a terminal there and
        /// shows its progress line.
        /// </summary>
        public static int RunAgainWithSettings(string[] args, TextWriter stdout, TextWriter stderr, bool errorIsTerminal)
        {
            string host = Environment.ProcessPath;
            var start = new ProcessStartInfo(host)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = !errorIsTerminal,
                UseShellExecute = false,
            };
            // Under `dotnet NanoRnn.Desktop.dll` the host is dotnet itself, which needs the program's path.
            if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            {
                start.ArgumentList.Add(Assembly.GetEntryAssembly().Location);
            }

            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            foreach ((string name, string value) in Settings)
            {
                start.Environment[name] = value;
            }

            using Process child = Process.Start(start);
            Task errors = errorIsTerminal ? Task.CompletedTask : Task.Run(() => Relay(child.StandardError, stderr));
            Relay(child.StandardOutput, stdout);
            errors.Wait();
            child.WaitForExit();
            return child.ExitCode;
        }

        private static void Relay(StreamReader from, TextWriter to)
        {
            string line;
            while ((line = from.ReadLine()) != null)
            {
                lock (to)
                {
                    to.WriteLine(line);
                }
            }
        }
    }
}
