using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace NanoRnn.HostTests
{
    /// <summary>
    /// tests/run-on-nanoclr.sh without nanoCLR (it is not installed here): its counting of the launcher's
    /// result lines, its message and exit code when no nanoCLR is found, and, through a stand-in runner
    /// given as NANOCLR, the order in which it hands over the .pe files.
    /// </summary>
    [TestClass]
    public class NanoClrScriptTests
    {
        private const int NoNanoClr = 3;
        private const int NotBuilt = 4;

        private static string _folder;

        [ClassInitialize]
        public static void CreateFolder(TestContext context)
        {
            _folder = Path.Combine(Path.GetTempPath(), "nanornn-nanoclr-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_folder);
        }

        [ClassCleanup]
        public static void DeleteFolder()
        {
            Directory.Delete(_folder, true);
        }

        private static (int code, string stdout, string stderr) Run(Dictionary<string, string> environment, params string[] args)
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Repo.PathOf("tests", "run-on-nanoclr.sh"));
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment.Remove("NANOCLR");
            foreach (KeyValuePair<string, string> variable in environment ?? new Dictionary<string, string>())
            {
                start.Environment[variable.Key] = variable.Value;
            }

            using Process process = Process.Start(start);
            string stdout = process.StandardOutput.ReadToEnd();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout, stderr);
        }

        private static string Write(string name, params string[] lines)
        {
            string path = Path.Combine(_folder, name);
            File.WriteAllText(path, string.Join("\n", lines) + "\n");
            return path;
        }

        private static string ClosingLine(string stdout)
        {
            return stdout.TrimEnd().Split('\n').Last();
        }

        private static string Passed(int i) => $"Test passed,NanoRnn.Tests.SampleTests.Case{i},{100 + i}";

        [TestMethod]
        public void Parse_counts_passed_lines_in_both_launcher_formats_and_exits_0()
        {
            string file = Write("passed.txt",
                "Loaded: mscorlib.pe", Passed(1), Passed(2), "Test passed: NanoRnn.Tests.SampleTests.Case3, 103", "Done.");
            var (code, stdout, _) = Run(null, "--parse", file);
            Assert.AreEqual(0, code, stdout);
            Assert.AreEqual("nanoCLR: 3 passed, 0 failed, 0 skipped", ClosingLine(stdout));
        }

        [TestMethod]
        public void Parse_reports_each_failed_and_skipped_test_and_exits_1_on_a_failure()
        {
            string failed = "Test failed,NanoRnn.Tests.SampleTests.Broken,Assert.AreEqual failed. Expected:<1>. Actual:<2>.";
            string skipped = "Test skipped,NanoRnn.Tests.SampleTests.Later,not on this target";
            var (code, stdout, _) = Run(null, "--parse", Write("failed.txt", Passed(1), failed, skipped, Passed(2), "Done."));
            Assert.AreEqual(1, code, stdout);
            Assert.AreEqual("nanoCLR: 2 passed, 1 failed, 1 skipped", ClosingLine(stdout));
            StringAssert.Contains(stdout, "FAILED  " + failed);
            StringAssert.Contains(stdout, "SKIPPED " + skipped);
        }

        [TestMethod]
        public void Parse_fails_an_output_without_results_and_refuses_an_unreadable_file()
        {
            var (code, stdout, _) = Run(null, "--parse", Write("crashed.txt", "Loaded: mscorlib.pe", "Exiting."));
            Assert.AreEqual(1, code, stdout);
            StringAssert.Contains(stdout, "no test result lines");

            var missing = Run(null, "--parse", Path.Combine(_folder, "absent.txt"));
            Assert.AreEqual(2, missing.code);
            StringAssert.Contains(missing.stderr, "cannot read");
            Assert.AreEqual(2, Run(null, "--frobnicate").code);
        }

        [TestMethod]
        public void Without_nanoCLR_it_says_what_to_install_and_exits_3()
        {
            var environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = _folder };
            var (code, stdout, stderr) = Run(environment);
            Assert.AreEqual(NoNanoClr, code, stdout + stderr);
            StringAssert.Contains(stderr, "dotnet tool install -g nanoclr");
            StringAssert.Contains(stderr, "targets/posix");
            StringAssert.Contains(stderr, "NANOCLR");
        }

        [TestMethod]
        public void With_a_runner_it_passes_the_pe_files_in_dependency_order_and_counts_its_output()
        {
            string pes = Path.Combine(_folder, "pe");
            Directory.CreateDirectory(pes);
            string[] names = { "NFUnitTest.pe", "NanoRnn.pe", "mscorlib.pe", "nanoFramework.TestFramework.pe", "nanoFramework.UnitTestLauncher.pe" };
            foreach (string name in names)
            {
                File.WriteAllText(Path.Combine(pes, name), "");
            }

            string arguments = Path.Combine(_folder, "arguments.txt");
            string runner = Write("runner.sh",
                "#!/bin/sh",
                "printf '%s\\n' \"$@\" > '" + arguments + "'",
                "echo '" + Passed(1) + "'",
                "echo '" + Passed(2) + "'",
                "echo 'Done.'");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(runner, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var (code, stdout, stderr) = Run(new Dictionary<string, string> { ["NANOCLR"] = runner }, "--pe-folder", pes);
            Assert.AreEqual(0, code, stdout + stderr);
            Assert.AreEqual("nanoCLR: 2 passed, 0 failed, 0 skipped", ClosingLine(stdout));
            string[] handed = File.ReadAllLines(arguments).Select(a => a.StartsWith("--") ? a : Path.GetFileName(a)).ToArray();
            CollectionAssert.AreEqual(
                new[] { "--assemblies", "mscorlib.pe", "nanoFramework.UnitTestLauncher.pe", "nanoFramework.TestFramework.pe", "NanoRnn.pe", "NFUnitTest.pe" },
                handed, string.Join(" ", handed));

            File.Delete(Path.Combine(pes, "NFUnitTest.pe"));
            var unbuilt = Run(new Dictionary<string, string> { ["NANOCLR"] = runner }, "--pe-folder", pes);
            Assert.AreEqual(NotBuilt, unbuilt.code, unbuilt.stderr);
            StringAssert.Contains(unbuilt.stderr, "NanoRnn.Tests.nfproj");
        }
    }
}
