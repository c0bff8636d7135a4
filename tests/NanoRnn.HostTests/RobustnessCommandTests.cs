using System.IO;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace NanoRnn.HostTests
{
    /// <summary>The desktop `fuzz` and `soak` commands' contracts: counts, exit codes, usage errors.</summary>
    [TestClass]
    public class RobustnessCommandTests
    {
        private static string Model => Repo.PathOf("models", "default", "model.nrnn");

        private static (int code, string stdout, string stderr) Run(params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = Desktop.Program.Run(args, stdout, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }

        [TestMethod]
        public void FuzzPrintsCountsThatAddUp()
        {
            var (code, stdout, _) = Run("fuzz", "--model", Model, "--cases", "400", "--seed", "5");
            Assert.AreEqual(0, code, stdout);
            Match m = Regex.Match(stdout, @"(\d+) cases, (\d+) loaded and ran, (\d+) refused \(ModelFormatException\), (\d+) failed");
            Assert.IsTrue(m.Success, stdout);
            Assert.AreEqual(400, int.Parse(m.Groups[1].Value));
            Assert.AreEqual(400, int.Parse(m.Groups[2].Value) + int.Parse(m.Groups[3].Value));
            Assert.AreEqual("0", m.Groups[4].Value);
        }

        [TestMethod]
        public void SimulateWithFaultsCountsEachAndKeepsGoing()
        {
            var (code, stdout, stderr) = Run("simulate", "--windows", "20",
                "--faults", "nack@2,reset@4.5,unplug@6,plug@8,stuck@10,stall@13,timeout@16.3");
            Assert.AreEqual(0, code, stderr);
            Match m = Regex.Match(stdout, @"sensor: MPU-6050, fifo overflows (\d+), bus errors (\d+), retries (\d+), reinitialised (\d+), stuck (\d+), wrong device 0");
            Assert.IsTrue(m.Success, stdout);
            Assert.AreEqual("1", m.Groups[1].Value, "the 2 s stall overflows the 1.7 s FIFO once");
            Assert.IsTrue(int.Parse(m.Groups[2].Value) >= 3, "nack, timeout and at least one unplugged attempt");
            Assert.AreEqual("3", m.Groups[4].Value, "reset, replug, stuck");
            Assert.AreEqual("1", m.Groups[5].Value);
            // Decisions resume after the last fault: at least one in the last three seconds.
            StringAssert.Matches(stdout, new Regex(@"\n +1[789]\.\d\d s  sample"));
        }

        [TestMethod]
        [DataRow("simulate --faults nack", "simulate: --faults item 'nack' is not KIND@SECONDS")]
        [DataRow("simulate --faults reset@3,nack@2", "simulate: --faults item 'nack@2' is not KIND@SECONDS in time order")]
        [DataRow("fuzz --cases 0", "fuzz: --cases must be a whole number from 1")]
        [DataRow("soak --output x.csv", "soak: --model is required")]
        [DataRow("soak --model m.nrnn --output x.csv --every 0", "soak: --every must be a whole number from 1")]
        [DataRow("soak --model m.nrnn --output x.csv --input-units counts", "soak: --input-units describes --input")]
        [DataRow("soak --model m.nrnn --output x.csv --input x.npy --streams 2", "soak: --streams and --input go separately")]
        [DataRow("simulate --recording r.csv --seed 2", "simulate: --windows and --seed describe the synthetic scene; not with --recording")]
        [DataRow("simulate --board nope", "simulate: unknown board 'nope' (boards: esp32-devkitc-gy521")]
        [DataRow("simulate --sensor mpu9250", "simulate: --sensor must be mpu6050, mpu6500 or mpu6886, not 'mpu9250'")]
        [DataRow("simulate --margin -1", "simulate: --margin must be a non-negative logit difference, not '-1'")]
        [DataRow("simulate --margin 1e300", "simulate: --margin 1E+300 is more than this model's scores can tell apart")]
        public void BadArgumentsAreUsageErrors(string line, string message)
        {
            var (code, stdout, stderr) = Run(line.Split(' '));
            Assert.AreEqual(2, code);
            StringAssert.StartsWith(stderr, "error: ");
            StringAssert.Contains(stderr, message);
            Assert.AreEqual(1, stderr.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Length, stderr);
            Assert.AreEqual("", stdout);
        }

        [TestMethod]
        public void FuzzInBatchesCountsWhatOneRunOfAllCasesCounts()
        {
            // The command runs the fuzzer a batch at a time for its progress line; the cases and the
            // verdict must be those of one run, so every count and maximum but the wall clock agrees.
            var (code, stdout, _) = Run("fuzz", "--model", Model, "--cases", "130", "--seed", "9");
            Assert.AreEqual(0, code, stdout);
            var whole = new Desktop.Robustness.BlobFuzzer(new[] { File.ReadAllBytes(Model) }, 9).Run(130, TextWriter.Null);
            StringAssert.Contains(stdout, $"130 cases, {whole.LoadedAndRan} loaded and ran, {whole.Refused} refused (ModelFormatException), 0 failed");
            StringAssert.Contains(stdout, $"beyond the blob's length: {whole.MostBytesOverLength} ");
            StringAssert.Contains(stdout, $"Load(blob, false): {whole.MostReaderBytesOverKept} ");
            StringAssert.Contains(stdout, $"most bytes it read: {whole.MostBytesRead}, at most {whole.MostBytesReadPerBlobByte} per blob byte");
        }
    }
}
