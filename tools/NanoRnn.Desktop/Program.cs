using System;
using System.IO;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// The desktop runner. Exit codes: 0 done, 1 bad input data, 2 bad command line, 3 a failure
    /// the runner did not foresee (one line naming it, never a stack trace).
    /// </summary>
    public static class Program
    {
        private const string UsageText =
            "usage: NanoRnn.Desktop COMMAND [options]\n" +
            "  " + InferCommand.Usage + "\n" +
            "      run sequences from an N×T×C .npy or a variable-length .npz (training units, or int16 counts with\n" +
            "      --input-units counts); CSV to OUT.csv or stdout, one row per sequence, or per sequence and step\n" +
            "      with --every-step; warns on stderr when input values saturate int16\n" +
            "  " + SimulateCommand.Usage + "\n" +
            "      run the sampling pipeline on a simulated sensor: a recording (docs/recording-format.md)\n" +
            "      or a synthetic gesture scene; defaults: the bundled gesture model on " + SimulateCommand.DefaultBoard + "\n" +
            "  " + Robustness.FuzzCommand.Usage + "\n" +
            "      mutate a valid blob N times (default 10000, the bundled model); every case must load and\n" +
            "      run or be refused with ModelFormatException; prints the counts, exit 1 on any other outcome\n" +
            "  " + Robustness.SoakCommand.Usage + "\n" +
            "      long runs of adversarial inputs (or of --input's sequences, each replayed over and over);\n" +
            "      checkpoints as `quantize.py soak` writes them from the integer reference; exit 1 if a step\n" +
            "      allocates or the state leaves its range\n";

        // Each command: its name, its one-line usage and what runs it. A new command is one more line
        // here and its description in UsageText.
        private static readonly (string Name, string Usage, Func<string[], TextWriter, TextWriter, int> Run)[] Commands =
        {
            ("infer", InferCommand.Usage, InferCommand.Run),
            ("simulate", SimulateCommand.Usage, SimulateCommand.Run),
            ("fuzz", Robustness.FuzzCommand.Usage, Robustness.FuzzCommand.Run),
            ("soak", Robustness.SoakCommand.Usage, Robustness.SoakCommand.Run),
        };

        private static readonly string[] CountAllocations = { "fuzz", "soak" };

        public static int Main(string[] args)
        {
            return Run(args, Console.Out, Console.Error);
        }

        /// <summary>
        /// The whole program, with its output streams given (tests call this). A failure is one line
        /// `error: …` on <paramref name="stderr"/>; a usage error's line ends with the command's usage.
        /// </summary>
        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            if (args.Length == 0 || IsHelp(args[0]) || args[0] == "help")
            {
                (args.Length == 0 ? stderr : stdout).Write(UsageText);
                return args.Length == 0 ? 2 : 0;
            }

            int index = Array.FindIndex(Commands, c => c.Name == args[0]);
            if (index < 0)
            {
                string names = string.Join(", ", Array.ConvertAll(Commands, c => c.Name));
                stderr.WriteLine($"error: unknown command '{args[0]}' (commands: {names}; --help shows their options)");
                return 2;
            }

            var command = Commands[index];
            if (Array.Exists(args, IsHelp))
            {
                stdout.Write(UsageText);
                return 0;
            }

            // Their verdicts rest on allocation counts, which only some runtime settings make faithful.
            if (Array.IndexOf(CountAllocations, command.Name) >= 0 && Robustness.MeasuredAllocation.Problem() != null)
            {
                return Robustness.MeasuredAllocation.RunAgainWithSettings(args, stdout, stderr);
            }

            try
            {
                return command.Run(args, stdout, stderr);
            }
            catch (UsageException e)
            {
                string usage = string.Join(" ", command.Usage.Split('\n', StringSplitOptions.TrimEntries));
                stderr.WriteLine($"error: {e.Message} (usage: {usage})");
                return 2;
            }
            catch (DataException e)
            {
                stderr.WriteLine($"error: {e.Message}");
                return 1;
            }
            catch (Exception e)
            {
                // A bug or a case no check foresaw: still one line, with what and where, for a report.
                string where = e.TargetSite == null ? string.Empty : $" in {e.TargetSite.DeclaringType?.Name}.{e.TargetSite.Name}";
                stderr.WriteLine($"error: {command.Name}: unexpected {e.GetType().Name}{where}: {e.Message}");
                return 3;
            }
        }

        private static bool IsHelp(string argument)
        {
            return argument == "--help" || argument == "-h";
        }
    }
}
