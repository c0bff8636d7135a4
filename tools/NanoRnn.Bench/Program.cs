using System;
using System.Collections.Generic;
using System.IO;

namespace NanoRnn.Bench
{
    /// <summary>A check of the harness failed, or it cannot run: one sentence, exit code 1.</summary>
    internal sealed class BenchFailure : Exception
    {
        public BenchFailure(string message)
            : base(message)
        {
        }
    }

    /// <summary>The command line.</summary>
    internal sealed class Options
    {
        public string Command;
        public int Steps = 200;
        public int Warmup = 20;
        public bool Methods;
        public string OutputFile;
        public string Library;                      // another NanoRnn.dll to measure
        public List<string> Models = new List<string>();
        public string NanoDirectory = Path.Combine(AppContext.BaseDirectory, "nano");

        public const string Usage =
@"NanoRnn.Bench: what NanoRnn costs on nanoCLR (interpreted IL) and on the host.

  dotnet run -c Release --project tools/NanoRnn.Bench -- il [options]
      Instruments NanoRnn.dll and its stand-ins with Mono.Cecil and prints, as Markdown, IL
      instructions, calls and allocations per step, per MAC, per ComputeOutput and per RnnModel.Load.
  dotnet run -c Release --project tools/NanoRnn.Bench -- time [options]
      Times Step on the host with BenchmarkDotNet (short job): ns per step, a secondary figure.

options:
  --steps N         steps measured after warm-up (il; default 200)
  --warmup N        warm-up steps (il; default 20)
  --methods         also print, per model and kernel, the IL of each method per step (il)
  --output FILE     also write the Markdown report to FILE, into its il region if it has one (il)
  --model PATH      measure this .nrnn instead of the standard models (repeatable)
  --library PATH    measure this NanoRnn.dll instead of the one built from firmware/NanoRnn

The standard models: LSTM 6→32 and 6→64 made by make_models.py (seeded, into obj/bench-models,
made on first use; needs /usr/bin/python3 with torch) and models/default/model.nrnn.
Exit code 1 when a check fails: instrumented ≠ original, a kernel ≠ the reference kernel, or allocation per step.";

        public static Options Parse(string[] args)
        {
            var o = new Options();
            for (int i = 0; i < args.Length; i++)
            {
                string a = args[i];
                string Value()
                {
                    if (i + 1 >= args.Length)
                    {
                        throw new UsageError(a + " needs a value");
                    }

                    return args[++i];
                }

                int Positive()
                {
                    string v = Value();
                    if (!int.TryParse(v, out int n) || n < 1)
                    {
                        throw new UsageError(a + " " + v + ": expected a whole number ≥ 1");
                    }

                    return n;
                }

                switch (a)
                {
                    case "il":
                    case "time":
                        o.Command = a;
                        break;
                    case "--steps":
                        o.Steps = Positive();
                        break;
                    case "--warmup":
                        o.Warmup = Positive();
                        break;
                    case "--methods":
                        o.Methods = true;
                        break;
                    case "--output":
                        o.OutputFile = Value();
                        break;
                    case "--model":
                        string model = Value();
                        if (!File.Exists(model))
                        {
                            throw new UsageError("--model " + model + ": no such file");
                        }

                        o.Models.Add(Path.GetFullPath(model));
                        break;
                    case "--library":
                        string library = Value();
                        if (!File.Exists(library))
                        {
                            throw new UsageError("--library " + library + ": no such file");
                        }

                        o.Library = Path.GetFullPath(library);
                        break;
                    case "-h":
                    case "--help":
                        o.Command = "help";
                        return o;
                    default:
                        throw new UsageError("unknown argument " + a);
                }
            }

            if (o.Command == null)
            {
                throw new UsageError("say il or time");
            }

            return o;
        }
    }

    internal sealed class UsageError : Exception
    {
        public UsageError(string message)
            : base(message)
        {
        }
    }

    internal static class Program
    {
        private static int Main(string[] args)
        {
            Options options;
            try
            {
                options = Options.Parse(args);
            }
            catch (UsageError e)
            {
                Console.Error.WriteLine("NanoRnn.Bench: " + e.Message + " (--help for usage)");
                return 2;
            }

            if (options.Command == "help")
            {
                Console.WriteLine(Options.Usage);
                return 0;
            }

            try
            {
                return options.Command == "il" ? IlCommand.Run(options, Console.Out) : TimeCommand.Run(options);
            }
            catch (BenchFailure e)
            {
                Console.Error.WriteLine("FAILED: " + e.Message);
                return 1;
            }
        }
    }
}
