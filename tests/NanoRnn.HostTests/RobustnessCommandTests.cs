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
        public void BadArgumentsAreUsageErrors(string line, string message)
        {
            var (code, _, stderr) = Run(line.Split(' '));
            Assert.AreEqual(2, code);
            StringAssert.Contains(stderr, message);
        }
    }
}
