using System;
using System.IO;

namespace NanoRnn.Desktop.Robustness
{
    /// <summary>
    /// `fuzz`: runs <see cref="BlobFuzzer"/> over a valid blob and prints the counts. Exit 0 when every
    /// case loaded and ran or was refused with ModelFormatException, the same way through a reader as
    /// from the array, 1 otherwise.
    /// </summary>
    internal static class FuzzCommand
    {
        public const string Usage = "fuzz [--model MODEL.nrnn] [--cases N] [--seed S]";

        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            var options = new Arguments("fuzz", args, 1, "model", "cases", "seed");
            string path = options.Optional("model", SimulateCommand.DefaultModelPath);
            int cases = options.Int("cases", 10000, 1, int.MaxValue);
            int seed = options.Int("seed", 1, 0, int.MaxValue);
            ModelFile.Load(path); // the seed blob itself must be valid
            byte[] blob = InputFile.ReadAllBytes(path);

            var fuzzer = new BlobFuzzer(new[] { blob }, seed);
            var result = fuzzer.Run(cases, stdout);
            stdout.WriteLine(
                $"fuzz {Path.GetFileName(path)} ({blob.Length} bytes), seed {seed}: {result.Cases} cases, "
                + $"{result.LoadedAndRan} loaded and ran, {result.Refused} refused (ModelFormatException), "
                + $"{result.Failures} failed");
            stdout.WriteLine(
                $"most bytes allocated by Load beyond the blob's length: {result.MostBytesOverLength} "
                + $"(limit {BlobFuzzer.AllocationSlackBytes})");
            stdout.WriteLine(
                $"every case also loaded through a reader (another outcome or message fails the case); most bytes it allocated beyond "
                + $"Load(blob, false): {result.MostReaderBytesOverKept} (limit {BlobFuzzer.ReaderSlackBytes}); most bytes it read: "
                + $"{result.MostBytesRead}, at most {result.MostBytesReadPerBlobByte} per blob byte (limit {BlobFuzzer.ReadsPerBlobByte})");
            stdout.WriteLine($"slowest case {result.SlowestCaseMs} ms (wall clock, for information; no verdict rests on it)");
            return result.Failures == 0 ? 0 : 1;
        }
    }
}
