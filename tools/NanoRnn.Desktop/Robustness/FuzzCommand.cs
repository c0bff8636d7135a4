using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Text;

namespace NanoRnn.Desktop.Robustness
{
    /// <summary>
    /// `fuzz`: runs <see cref="BlobFuzzer"/> over a valid blob and prints the counts. Exit 0 when every
    /// case loaded and ran or was refused with ModelFormatException, the same way through a reader as
    /// from the array, 1 otherwise.
    /// </summary>
    internal static class FuzzCommand
    {
        // The fuzzer runs this many cases at a time, so that the progress line can follow it. Its random
        // generator goes on from one batch to the next: the cases are those of one run of all of them.
        private const int CasesPerBatch = 50;

        /// <summary>The `fuzz` command: its options and what runs it.</summary>
        public static Command Create(Streams io)
        {
            Option<string> model = CommandLineOptions.Path("--model", "MODEL.nrnn", "the valid blob to damage (default: the bundled gesture model)");
            Option<int> cases = CommandLineOptions.WholeNumber("--cases", "how many damaged blobs to try", 1, int.MaxValue, 10000);
            Option<int> seed = CommandLineOptions.WholeNumber("--seed", "the fuzzer's random seed: the same seed, the same cases", 0, int.MaxValue, 1);
            var command = new Command("fuzz",
                "Damages a valid blob again and again; every case must load and run or be refused with ModelFormatException, "
                + "the same through a reader as from the array, within its allocation and read limits. Prints the counts; exit 1 on any other outcome.")
            {
                model, cases, seed,
            };
            command.SetAction(parsed => Run(io, parsed.GetValue(model) ?? SimulateCommand.DefaultModelPath, parsed.GetValue(cases), parsed.GetValue(seed)));
            return command;
        }

        private static int Run(Streams io, string path, int cases, int seed)
        {
            ModelFile.Load(path); // the seed blob itself must be valid
            byte[] blob = InputFile.ReadAllBytes(path);

            var fuzzer = new BlobFuzzer(new[] { blob }, seed);
            var result = new BlobFuzzer.Result();
            using (Progress progress = io.Progress("fuzz", cases, "cases"))
            {
                var failures = new FailureLines(io.Out, progress);
                for (int done = 0; done < cases; done += CasesPerBatch)
                {
                    progress.Report(done);
                    failures.FirstCase = done;
                    Add(result, fuzzer.Run(Math.Min(CasesPerBatch, cases - done), failures));
                }
            }

            io.Out.WriteLine(
                $"fuzz {Path.GetFileName(path)} ({blob.Length} bytes), seed {seed}: {result.Cases} cases, "
                + $"{result.LoadedAndRan} loaded and ran, {result.Refused} refused (ModelFormatException), "
                + $"{result.Failures} failed");
            io.Out.WriteLine(
                $"most bytes allocated by Load beyond the blob's length: {result.MostBytesOverLength} "
                + $"(limit {BlobFuzzer.AllocationSlackBytes})");
            io.Out.WriteLine(
                $"every case also loaded through a reader (another outcome or message fails the case); most bytes it allocated beyond "
                + $"Load(blob, false): {result.MostReaderBytesOverKept} (limit {BlobFuzzer.ReaderSlackBytes}); most bytes it read: "
                + $"{result.MostBytesRead}, at most {result.MostBytesReadPerBlobByte} per blob byte (limit {BlobFuzzer.ReadsPerBlobByte})");
            io.Out.WriteLine($"slowest case {result.SlowestCaseMs} ms (wall clock, for information; no verdict rests on it)");
            return result.Failures == 0 ? 0 : 1;
        }

        // One batch's counts into the whole run's: counts add up, the "most" figures are maxima.
        private static void Add(BlobFuzzer.Result total, BlobFuzzer.Result batch)
        {
            total.Cases += batch.Cases;
            total.LoadedAndRan += batch.LoadedAndRan;
            total.Refused += batch.Refused;
            total.Failures += batch.Failures;
            total.MostBytesOverLength = Math.Max(total.MostBytesOverLength, batch.MostBytesOverLength);
            total.MostReaderBytesOverKept = Math.Max(total.MostReaderBytesOverKept, batch.MostReaderBytesOverKept);
            total.MostBytesRead = Math.Max(total.MostBytesRead, batch.MostBytesRead);
            total.MostBytesReadPerBlobByte = Math.Max(total.MostBytesReadPerBlobByte, batch.MostBytesReadPerBlobByte);
            total.SlowestCaseMs = Math.Max(total.SlowestCaseMs, batch.SlowestCaseMs);
        }

        /// <summary>
        /// The fuzzer's failure lines, `case I (…): …`, to stdout: with I counted over the whole run
        /// rather than the batch, and the progress line erased first so the two do not share a line.
        /// </summary>
        private sealed class FailureLines : TextWriter
        {
            private const string Prefix = "case ";
            private readonly TextWriter _output;
            private readonly Progress _progress;

            public FailureLines(TextWriter output, Progress progress)
            {
                _output = output;
                _progress = progress;
            }

            /// <summary>The run's index of the batch's case 0.</summary>
            public int FirstCase { get; set; }

            public override Encoding Encoding => _output.Encoding;

            public override void WriteLine(string value)
            {
                _progress.Clear();
                int end = Prefix.Length;
                if (value != null && value.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    while (end < value.Length && char.IsAsciiDigit(value[end]))
                    {
                        end++;
                    }
                }

                if (end > Prefix.Length)
                {
                    int index = int.Parse(value.AsSpan(Prefix.Length, end - Prefix.Length), CultureInfo.InvariantCulture);
                    value = Prefix + (FirstCase + index).ToString(CultureInfo.InvariantCulture) + value.Substring(end);
                }

                _output.WriteLine(value);
            }

            public override void Write(char value)
            {
                _progress.Clear();
                _output.Write(value);
            }
        }
    }
}
