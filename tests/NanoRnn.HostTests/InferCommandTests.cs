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
        [DataRow("<U4", "1, 1, 6", 96, "dtype '<U4' is not supported")]
        [DataRow("<f4", "1, 1, 1, 6", 24, "is not N×T×C")]
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
        public void TextFileAsInputIsNotANpy()
        {
            string input = Write("x.npy", System.Text.Encoding.ASCII.GetBytes("1,2,3,4,5,6\n"));
            var (code, _, stderr) = Run("infer", "--model", Model, "--input", input);
            Assert.AreEqual(1, code);
            StringAssert.Contains(stderr, "x.npy: not a .npy file");
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
        [DataRow("frobnicate", "unknown command 'frobnicate' (commands: infer, simulate, fuzz, soak;")]
        [DataRow("infer --input x.npy", "infer: --model is required (usage: infer --model MODEL.nrnn")]
        [DataRow("infer --model m --model m", "--model is given twice")]
        [DataRow("infer --model", "--model needs a value")]
        [DataRow("infer --modle m", "unknown option '--modle'")]
        [DataRow("infer --every-step --model m --every-step", "--every-step is given twice")]
        [DataRow("infer --every-step=1", "infer: --every-step takes no value, not '1'")]
        [DataRow("infer --every-step 1", "infer: --every-step takes no value, not '1'")]
        [DataRow("infer --model --input x.npy", "infer: --model needs a value")]
        [DataRow("infer --model m --input x.npy x.npz", "infer: unexpected argument 'x.npz'")]
        [DataRow("infer --model m --input x.npy --input-units volts", "infer: --input-units must be training or counts, not 'volts'")]
        [DataRow("--frobnicate", "unknown option '--frobnicate' (commands: infer, simulate, fuzz, soak;")]
        [DataRow("simulate --window", "simulate: --window needs a value (usage: simulate [--model M.nrnn]")]
        [DataRow("simulate --window 1.5", "simulate: --window must be a whole number from 0 to 100000, not '1.5'")]
        public void CommandLineErrorsAreOneLineAndExitWithTwo(string line, string message)
        {
            var (code, stdout, stderr) = Run(line.Split(' '));
            Assert.AreEqual(2, code);
            StringAssert.StartsWith(stderr, "error: ");
            StringAssert.Contains(stderr, message);
            Assert.AreEqual(1, stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, stderr);
            Assert.AreEqual("", stdout);
        }

        [TestMethod]
        [DataRow("--help")]
        [DataRow("-h")]
        public void HelpListsEveryCommandAndSucceeds(string line)
        {
            var (code, stdout, stderr) = Run(line.Split(' '));
            Assert.AreEqual(0, code);
            StringAssert.Contains(stdout, "Commands:");
            foreach (string command in new[] { "infer", "simulate", "fuzz", "soak" })
            {
                StringAssert.Matches(stdout, new System.Text.RegularExpressions.Regex($"\\n  {command} +[A-Z]"), command);
            }

            Assert.AreEqual("", stderr);
        }

        [TestMethod]
        [DataRow("infer --help", "--model <MODEL.nrnn> (REQUIRED);--input <X.npy|X.npz> (REQUIRED);--output <OUT.csv>;--every-step;--input-units <training|counts>;[default: training]")]
        [DataRow("simulate --model m -h", "--model <M.nrnn>;--board <NAME>;--sensor <mpu6050|mpu6500|mpu6886>;--recording <R.csv>;--windows <N>;--seed <N>;--window <N>;--smoothing <N>;--margin <LOGIT>;--decisions <OUT.csv>;--faults <KIND@SECONDS,...>")]
        [DataRow("fuzz --help", "--model <MODEL.nrnn>;--cases <N>;[default: 10000];--seed <N>")]
        [DataRow("soak --bogus --help", "--model <MODEL.nrnn> (REQUIRED);--output <OUT.csv> (REQUIRED);--streams <N>;--input <X.npy|X.npz>;--input-units;--steps <N>;--every <N>;--seed <N>")]
        public void EachCommandsHelpListsItsOptionsAndSucceeds(string line, string options)
        {
            var (code, stdout, stderr) = Run(line.Split(' '));
            Assert.AreEqual(0, code);
            StringAssert.StartsWith(stdout, "Description:");
            StringAssert.Contains(stdout, "Usage:\n  NanoRnn.Desktop " + line.Split(' ')[0] + " [options]");
            foreach (string option in options.Split(';'))
            {
                StringAssert.Contains(stdout, option, option);
            }

            Assert.AreEqual("", stderr);
        }

        [TestMethod]
        public void NoArgumentsIsAUsageError()
        {
            var (code, stdout, stderr) = Run();
            Assert.AreEqual(2, code);
            Assert.AreEqual("", stdout);
            StringAssert.Contains(stderr, "Commands:");
        }

        [TestMethod]
        public void UnwritableOutputIsOneErrorAndLeavesNothing()
        {
            string input = Write("x.npy", Npy.Bytes("<f4", "1, 1, 6", new byte[24]));
            string folder = Path.Combine(_folder, "taken.csv");
            Directory.CreateDirectory(folder);
            var (code, _, stderr) = Run("infer", "--model", Model, "--input", input, "--output", folder);
            Assert.AreEqual(1, code);
            StringAssert.Contains(stderr, "taken.csv: is a folder, not a file");
            (code, _, stderr) = Run("infer", "--model", Model, "--input", input, "--output", Path.Combine(_folder, "none", "o.csv"));
            Assert.AreEqual(1, code);
            StringAssert.Contains(stderr, "does not exist");
            Assert.AreEqual(0, Directory.GetFiles(_folder, "*.tmp", SearchOption.AllDirectories).Length);
            Assert.AreEqual(0, Directory.GetFiles(_folder, "*.csv", SearchOption.AllDirectories).Length);
        }

        [TestMethod]
        public void FolderAsInputIsNamed()
        {
            var (code, _, stderr) = Run("infer", "--model", Model, "--input", _folder);
            Assert.AreEqual(1, code);
            StringAssert.Contains(stderr, _folder + ": is a folder, not a file");
        }

        [TestMethod]
        public void OutputIsReplacedWholeAndEndsWithNewline()
        {
            string input = Write("x.npy", Npy.Bytes("<f8", "3, 2, 6", Npy.Doubles(new double[36])));
            string output = Write("out.csv", new byte[10000]);
            Assert.AreEqual(0, Run("infer", "--model", Model, "--input", input, "--output", output).code);
            string text = File.ReadAllText(output);
            Assert.AreEqual(4, text.Split('\n').Length - 1);
            Assert.IsTrue(text.EndsWith("\n") && !text.Contains('\r') && !text.Contains('\0'));
            Assert.AreEqual(2, Directory.GetFiles(_folder).Length);   // out.csv and x.npy only: no temporary left
        }

        [TestMethod]
        public void QuantizeClampsToInt16()
        {
            RnnModel model = RnnModel.Load(File.ReadAllBytes(Model));
            var values = new float[12];
            values[0] = 1e30f;
            values[7] = -1e30f;
            NpyArray input = NpyArray.Parse(Npy.Bytes("<f4", "1, 2, 6", Npy.Floats(values)), "x");
            short[] counts = InferCommand.Quantize(model, input, "x");
            Assert.AreEqual(short.MaxValue, counts[0]);
            Assert.AreEqual(short.MinValue, counts[7]);
        }

        [TestMethod]
        public void CountsRunAsTheyAreAndSaturationIsCountedPerChannel()
        {
            RnnModel model = RnnModel.Load(File.ReadAllBytes(Model));
            // Step 0: in range; step 1: channel 2 past int16 as counts; step 2 (beyond length 2): ignored.
            var values = new double[18];
            values[2] = 1000.4;
            values[6 + 2] = 40000;
            values[12 + 0] = -1e9;
            NpyArray input = NpyArray.Parse(Npy.Bytes("<f8", "1, 3, 6", Npy.Doubles(values)), "x");
            var saturated = new long[6];
            short[] counts = InputUnits.ToCounts(model, input, "x", true, new[] { 2 }, saturated);
            Assert.AreEqual(1000, counts[2]);
            Assert.AreEqual(short.MaxValue, counts[6 + 2]);
            Assert.AreEqual(short.MinValue, counts[12]);
            CollectionAssert.AreEqual(new long[] { 0, 0, 1, 0, 0, 0 }, saturated);
            StringAssert.StartsWith(InputUnits.SaturationWarning("x", model, saturated, 12, true),
                "x: 1 of 12 input values saturated the int16 input (per channel: 2 (az) 1); with --input-units counts");
            Assert.IsNull(InputUnits.SaturationWarning("x", model, new long[6], 12, true));
        }

        [TestMethod]
        public void InferWarnsOnStderrAndStillWritesTheRows()
        {
            var values = new float[36];
            values[0] = 1e6f;       // far past what the default model's scale holds in training units
            string input = Write("x.npy", Npy.Bytes("<f4", "2, 3, 6", Npy.Floats(values)));
            var (code, stdout, stderr) = Run("infer", "--model", Model, "--input", input);
            Assert.AreEqual(0, code);
            Assert.AreEqual(3, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            StringAssert.StartsWith(stderr, $"warning: {input}: 1 of 36 input values saturated the int16 input (per channel: 0 (ax) 1); the blob takes training units");
            Assert.AreEqual(2, Run("infer", "--model", Model, "--input", input, "--input-units", "volts").code);
        }

        [TestMethod]
        public void AnEmptyOptionValueIsAUsageError()
        {
            string input = Write("x.npy", Npy.Bytes("<f4", "1, 1, 6", Npy.Floats(new float[6])));
            var (code, _, stderr) = Run("infer", "--model", Model, "--input", input, "--output", "");
            Assert.AreEqual(2, code);
            StringAssert.StartsWith(stderr, "error: infer: --output needs a value, not an empty one");
            Assert.AreEqual(1, stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }
    }
}
