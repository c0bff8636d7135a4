using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using NanoRnn.Desktop;

namespace NanoRnn.HostTests
{
    /// <summary>
    /// The progress line of long runs: on a terminal one line on stderr that rewrites itself and is
    /// erased at the end; with stderr redirected (a pipe, a file, these tests) nothing at all.
    /// </summary>
    [TestClass]
    public class ProgressTests
    {
        private static string Model => Repo.PathOf("models", "default", "model.nrnn");

        [TestMethod]
        public void QuietWhenStderrIsRedirected()
        {
            var stderr = new StringWriter();
            using (var progress = new Progress(stderr, false, "soak", 10, "steps", TimeSpan.Zero))
            {
                progress.Report(0);
                progress.Report(5);
            }

            Assert.AreEqual("", stderr.ToString());
        }

        [TestMethod]
        public void OnATerminalOneLineRewritesItselfAndIsErased()
        {
            var stderr = new StringWriter();
            using (var progress = new Progress(stderr, true, "soak", 200, "steps", TimeSpan.Zero))
            {
                progress.Report(5);
                progress.Report(100);
                progress.Report(200);
            }

            // Each write starts with a carriage return and no line ends; a shorter line would be padded
            // to the longest one before it; the last write blanks the line and returns to its start.
            Assert.AreEqual(
                "\rsoak: 5 of 200 steps (2%)" + "\rsoak: 100 of 200 steps (50%)" + "\rsoak: 200 of 200 steps (100%)"
                + "\r" + new string(' ', "soak: 200 of 200 steps (100%)".Length) + "\r",
                stderr.ToString());
        }

        [TestMethod]
        public void RewritesAtMostOncePerInterval()
        {
            var stderr = new StringWriter();
            var progress = new Progress(stderr, true, "fuzz", 10, "cases", TimeSpan.FromHours(1));
            progress.Report(1);
            progress.Report(2);
            Assert.AreEqual("\rfuzz: 1 of 10 cases (10%)", stderr.ToString());
        }

        // A short soak of the default model through the whole program; stderr a terminal or not.
        private static (int code, string stdout, string stderr) Soak(bool terminal)
        {
            string output = Path.Combine(Path.GetTempPath(), "nanornn-progress-" + Guid.NewGuid().ToString("N") + ".csv");
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            try
            {
                int code = Desktop.Program.Run(new[] { "soak", "--model", Model, "--output", output, "--steps", "3000" }, stdout, stderr, terminal);
                return (code, stdout.ToString(), stderr.ToString());
            }
            finally
            {
                File.Delete(output);
            }
        }

        [TestMethod]
        public void SoakAndFuzzWriteNoProgressWhenRedirected()
        {
            var (code, _, stderr) = Soak(false);
            Assert.AreEqual(0, code);
            Assert.AreEqual("", stderr);
            var fuzzErrors = new StringWriter();
            Assert.AreEqual(0, Desktop.Program.Run(new[] { "fuzz", "--model", Model, "--cases", "60" }, new StringWriter(), fuzzErrors));
            Assert.AreEqual("", fuzzErrors.ToString());
        }

        [TestMethod]
        public void SoakOnATerminalShowsProgressAndStillAllocatesNothingWhileStepping()
        {
            var (code, stdout, stderr) = Soak(true);
            Assert.AreEqual(0, code, stdout);
            // The progress line's own strings are not the network's: the verdict does not count them.
            StringAssert.Contains(stdout, "bytes allocated while stepping: 0; passed");
            StringAssert.StartsWith(stderr, "\rsoak: 0 of 12000 steps (0%)");
            StringAssert.EndsWith(stderr, "\r");
            Assert.IsFalse(stderr.Contains('\n'));
        }

        [TestMethod]
        public void FuzzOnATerminalShowsProgress()
        {
            var stderr = new StringWriter();
            Assert.AreEqual(0, Desktop.Program.Run(new[] { "fuzz", "--model", Model, "--cases", "60" }, new StringWriter(), stderr, true));
            StringAssert.StartsWith(stderr.ToString(), "\rfuzz: 0 of 60 cases (0%)");
            StringAssert.EndsWith(stderr.ToString(), "\r");
        }
    }
}
