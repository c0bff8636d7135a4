using System;
using System.IO;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// The desktop runner. Exit codes: 0 done, 1 bad input data, 2 bad command line.
    /// </summary>
    public static class Program
    {
        private const string UsageText =
            "usage: NanoRnn.Desktop COMMAND [options]\n" +
            "  " + InferCommand.Usage + "\n" +
            "      run sequences from an N×T×C .npy (training units); CSV to OUT.csv or stdout\n" +
            "  " + SimulateCommand.Usage + "\n" +
            "      run the sampling pipeline on a simulated sensor: a recording (docs/recording-format.md)\n" +
            "      or a synthetic gesture scene; defaults: the bundled gesture model on " + SimulateCommand.DefaultBoard + "\n";

        public static int Main(string[] args)
        {
            return Run(args, Console.Out, Console.Error);
        }

        /// <summary>The whole program, with its output streams given (tests call this).</summary>
        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            try
            {
                if (args.Length == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help")
                {
                    (args.Length == 0 ? stderr : stdout).Write(UsageText);
                    return args.Length == 0 ? 2 : 0;
                }

                switch (args[0])
                {
                    case "infer":
                        return InferCommand.Run(args, stdout);
                    case "simulate":
                        return SimulateCommand.Run(args, stdout);
                    default:
                        throw new UsageException($"unknown command '{args[0]}'");
                }
            }
            catch (UsageException e)
            {
                stderr.WriteLine($"error: {e.Message}");
                stderr.Write(UsageText);
                return 2;
            }
            catch (DataException e)
            {
                stderr.WriteLine($"error: {e.Message}");
                return 1;
            }
        }
    }
}
