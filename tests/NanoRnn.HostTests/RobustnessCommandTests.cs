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
