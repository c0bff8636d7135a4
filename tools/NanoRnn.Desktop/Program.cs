using System;
using System.CommandLine;
using System.CommandLine.Help;
using System.IO;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// The desktop runner. Exit codes: 0 done, 1 bad input data, 2 bad command line, 3 a failure
    /// the runner did not foresee (one line naming it, never a stack trace).
    /// </summary>
    public static class Program
    {
        // Arguments are taken as written: `@file` is a file name, not a file of more arguments.
        private static readonly ParserConfiguration Parsing = new ParserConfiguration { ResponseFileTokenReplacer = null };

        // Their verdicts rest on allocation counts, which only some runtime settings make faithful.
        private static readonly string[] CountAllocations = { "fuzz", "soak" };

        public static int Main(string[] args)
        {
            return Run(args, Console.Out, Console.Error, !Console.IsErrorRedirected);
        }

        /// <summary>
        /// The whole program, with its output streams given (tests call this). A failure is one line
        /// `error: …` on <paramref name="stderr"/>; a usage error's line ends with the command's synopsis.
        /// </summary>
        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            return Run(args, stdout, stderr, false);
        }

        /// <inheritdoc cref="Run(string[], TextWriter, TextWriter)"/>
        /// <param name="errorIsTerminal">Whether <paramref name="stderr"/> is a terminal, where long runs show a progress line.</param>
        internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool errorIsTerminal)
        {
            Command root = CreateRoot(new Streams(stdout, stderr, errorIsTerminal));
            var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
            if (args.Length == 0)
            {
                // No command: what the commands are, where errors go.
                root.Parse(new[] { "--help" }, Parsing).Invoke(new InvocationConfiguration { Output = stderr });
                return 2;
            }

            ParseResult parsed = root.Parse(args, Parsing);
            if (parsed.Action is HelpAction)
            {
                return parsed.Invoke(invocation);
            }

            if (parsed.Errors.Count > 0)
            {
                stderr.WriteLine("error: " + CommandLineErrors.Describe(parsed));
                return 2;
            }

            Command command = parsed.CommandResult.Command;
            if (Array.IndexOf(CountAllocations, command.Name) >= 0 && Robustness.MeasuredAllocation.Problem() != null)
            {
                return Robustness.MeasuredAllocation.RunAgainWithSettings(args, stdout, stderr, errorIsTerminal);
            }

            try
            {
                return parsed.Invoke(invocation);
            }
            catch (UsageException e)
            {
                stderr.WriteLine($"error: {command.Name}: {e.Message} (usage: {CommandLineErrors.Synopsis(command)})");
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

        // Every command, each with its options, its help and what runs it.
        private static Command CreateRoot(Streams io)
        {
            var root = new Command("NanoRnn.Desktop",
                "The firmware's code on this PC: run a model on recorded sequences, simulate a board with its sensor, "
                + "fuzz the blob loader, soak the network. `NanoRnn.Desktop COMMAND --help` shows a command's options.")
            {
                InferCommand.Create(io),
                SimulateCommand.Create(io),
                Robustness.FuzzCommand.Create(io),
                Robustness.SoakCommand.Create(io),
            };
            root.Options.Add(new HelpOption());
            return root;
        }
    }
}
