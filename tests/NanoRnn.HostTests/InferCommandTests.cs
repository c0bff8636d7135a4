using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using NanoRnn.Desktop;

namespace NanoRnn.HostTests
{
    /// <summary>The desktop runner's command line, in process: exit codes, messages, no partial output.</summary>
    [TestClass]
    public class InferCommandTests
    {
        private static string _folder;

        [TestInitialize]
        public void CreateFolder()
        {
            _folder = Path.Combine(Path.GetTempPath(), "nanornn-host-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_folder);
        }

        [TestCleanup]
        public void DeleteFolder()
        {
            Directory.Delete(_folder, true);
        }

        private static string Model => Repo.PathOf("models", "default", "model.nrnn");

        private static (int code, string stdout, string stderr) Run(params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = Desktop.Program.Run(args, stdout, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }

        private static string Write(string name, byte[] data)
        {
            string path = Path.Combine(_folder, name);
            File.WriteAllBytes(path, data);
            return path;
        }

        [TestMethod]
        public void WritesOneRowPerSequenceToStdoutOrFile()
        {
            string input = Write("x.npy", Npy.Bytes("<f4", "2, 3, 6", Npy.Floats(new float[36])));
            var (code, stdout, _) = Run("infer", "--model", Model, "--input", input);
            Assert.AreEqual(0, code);
            string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.AreEqual("pred,q0,q1,q2,q3,q4,logit0,logit1,logit2,logit3,logit4", lines[0]);
            Assert.AreEqual(3, lines.Length);
            string output = Path.Combine(_folder, "out.csv");
            Assert.AreEqual(0, Run("infer", "--model", Model, "--input", input, "--output", output).code);
            Assert.AreEqual(stdout, File.ReadAllText(output));
        }

        [TestMethod]
        [DataRow("<f4", "2, 3", 24, "is not N×T×C")]
        [DataRow("<f4", "1, 3, 4", 48, "has 4 channels, the model takes 6")]
        [DataRow("<f4", "0, 3, 6", 0, "is empty")]
        [DataRow("<f4", "1, 0, 6", 0, "is empty")]
        public void BadInputIsOneErrorAndNoOutputFile(string descr, string shape, int bytes, string message)
        {
            string input = Write("bad.npy", Npy.Bytes(descr, shape, new byte[bytes]));
            string output = Path.Combine(_folder, "out.csv");
            var (code, _, stderr) = Run("infer", "--model", Model, "--input", input, "--output", output);
            Assert.AreEqual(1, code);
            StringAssert.Contains(stderr, message);
            StringAssert.StartsWith(stderr, "error: ");
            Assert.AreEqual(1, stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.AreEqual(0, Directory.GetFiles(_folder, "*.csv").Length + Directory.GetFiles(_folder, "*.tmp").Length);
        }

        [TestMethod]
        public void NonFiniteInputNamesWhere()
        {
            var values = new float[12];
            values[9] = float.NaN;                       // sequence 0, step 1, channel 3
            string input = Write("nan.npy", Npy.Bytes("<f4", "1, 2, 6", Npy.Floats(values)));
            var (code, _, stderr) = Run("infer", "--model", Model, "--input", input);
            Assert.AreEqual(1, code);
            StringAssert.Contains(stderr, "not finite at sequence 0, step 1, channel 3");
        }

        [TestMethod]
        public void CorruptOrMissingModelIsNamed()
        {
            string input = Write("x.npy", Npy.Bytes("<f4", "1, 1, 6", new byte[24]));
            byte[] blob = File.ReadAllBytes(Model);
            string truncated = Write("short.nrnn", blob[..(blob.Length - 1)]);
            var (code, _, stderr) = Run("infer", "--model", truncated, "--input", input);
            Assert.AreEqual(1, code);
            StringAssert.Contains(stderr, "short.nrnn: ");
            StringAssert.Contains(stderr, "total_bytes");
            (code, _, stderr) = Run("infer", "--model", Path.Combine(_folder, "none.nrnn"), "--input", input);
            Assert.AreEqual(1, code);
            StringAssert.Contains(stderr, "none.nrnn: cannot read");
        }

        [TestMethod]
        [DataRow("frobnicate", "unknown command 'frobnicate'")]
        [DataRow("infer --input x.npy", "--model is required")]
        [DataRow("infer --model m --model m", "--model is given twice")]
        [DataRow("infer --model", "--model needs a value")]
        [DataRow("infer --modle m", "unknown option '--modle'")]
        public void CommandLineErrorsExitWithTwo(string line, string message)
        {
            var (code, _, stderr) = Run(line.Split(' '));
            Assert.AreEqual(2, code);
            StringAssert.Contains(stderr, message);
            StringAssert.Contains(stderr, "usage:");
        }
    }
}
