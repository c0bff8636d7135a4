using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace NanoRnn.HostTests
{
    /// <summary>
    /// The firmware tests compile and mean the same under nanoFramework.TestFramework on nanoCLR and under
    /// MSTest here only if they keep to what both provide (FirmwareTestApi); this checks every firmware
    /// test source, and that the check itself catches each kind of departure.
    /// </summary>
    [TestClass]
    public class FirmwareTestApiTests
    {
        private const string Header =
            "using System;\n#if NANOFRAMEWORK_1_0\nusing nanoFramework.TestFramework;\n#else\n"
            + "using Microsoft.VisualStudio.TestTools.UnitTesting;\n#endif\n\n";

        private static string TestFile(string member, string body)
        {
            return Header + "namespace NanoRnn.Tests\n{\n    [TestClass]\n    public class SampleTests\n    {\n"
                   + member + "\n        [TestMethod]\n        public void Sample()\n        {\n" + body
                   + "\n        }\n    }\n}\n";
        }

        [TestMethod]
        public void Every_firmware_test_source_uses_only_the_common_subset()
        {
            string[] sources = FirmwareTestSources.Firmware();
            CollectionAssert.Contains(sources, FirmwareTestApi.PerPlatformHelper);
            Assert.IsTrue(sources.Length > 10, "firmware test sources found: " + sources.Length);
            List<string> violations = sources
                .SelectMany(f => FirmwareTestApi.Violations(f, FirmwareTestSources.Read(f))).ToList();
            Assert.AreEqual(0, violations.Count, string.Join("\n", violations));
        }

        [TestMethod]
        public void The_allowed_uses_pass_and_names_in_comments_or_strings_are_not_uses()
        {
            string source = TestFile(
                "        private static int calls;\n        private const int Limit = 3;\n"
                + "        private sealed class Helper { private int count; }",
                "            // Assert.Fail(\"a comment\"); [Ignore]\n"
                + "            string s = \"Assert.ThrowsException StringAssert [ExpectedException] #if X\";\n"
                + "            Assert.AreEqual(1, calls + 1, \"calls = \" + calls);\n"
                + "            Assert.AreEqual(s, s);\n            Assert.AreNotEqual(1, 2, \"differ\");\n"
                + "            Assert.IsTrue(Limit > 0); Assert.IsFalse(false, \"f\");\n"
                + "            Assert.IsNull(null); Assert.IsNotNull(s);\n"
                + "            CollectionAssert.AreEqual(new[] { 1, 2 }, new[] { 1, 2 }, \"same\");\n"
                + "            char quote = '\"'; TestSupport.ThrowsException(typeof(Exception), () => throw new Exception());");
            List<string> violations = FirmwareTestApi.Violations("SampleTests.cs", source);
            Assert.AreEqual(0, violations.Count, string.Join("\n", violations));
        }

        [TestMethod]
        [DataRow("Assert.ThrowsException(typeof(Exception), () => { });", "Assert.ThrowsException")]
        [DataRow("Assert.Throws<Exception>(() => { });", "Assert.Throws")]
        [DataRow("Assert.Fail(\"no\");", "Assert.Fail")]
        [DataRow("Assert.Inconclusive(\"later\");", "Assert.Inconclusive")]
        [DataRow("Assert.SkipTest(\"later\");", "Assert.SkipTest")]
        [DataRow("Assert.IsInstanceOfType(s, typeof(string));", "Assert.IsInstanceOfType")]
        [DataRow("Assert.Contains(\"a\", s);", "Assert.Contains")]
        [DataRow("StringAssert.Contains(s, \"a\");", "StringAssert.Contains")]
        [DataRow("CollectionAssert.Contains(list, 1);", "CollectionAssert.Contains")]
        [DataRow("CollectionAssert.Empty(list);", "CollectionAssert.Empty")]
        [DataRow("Assert.AreEqual(1.0, 1.1, 0.2);", "third argument")]
        [DataRow("Assert.AreEqual(1.0, 1.1, delta, \"close\");", "4 arguments")]
        [DataRow("Assert.AreEqual<int>(1, 1);", "type arguments")]
        [DataRow("OutputHelper.WriteLine(\"x\");", "OutputHelper")]
        [DataRow("Microsoft.VisualStudio.TestTools.UnitTesting.Assert.IsTrue(true);", "Microsoft.VisualStudio.TestTools.UnitTesting")]
        [DataRow("try { } catch (AssertFailedException) { }", "AssertFailedException")]
        [DataRow("#if NANOFRAMEWORK_1_0\n            int n = 1;\n#endif", "belongs in TestSupport.cs")]
        public void A_use_outside_the_common_subset_is_reported(string statement, string expected)
        {
            List<string> violations = FirmwareTestApi.Violations("SampleTests.cs", TestFile("", "            " + statement));
            Assert.AreEqual(1, violations.Count, string.Join("\n", violations));
            Assert.IsTrue(violations[0].Contains(expected), violations[0]);
            Assert.IsTrue(violations[0].StartsWith("SampleTests.cs:"), violations[0]);
        }

        [TestMethod]
        [DataRow("        [ExpectedException(typeof(Exception))]", "ExpectedException")]
        [DataRow("        [Ignore]", "[Ignore]")]
        [DataRow("        [TestInitialize]\n        public void Before() { }", "[TestInitialize]")]
        [DataRow("        [DynamicData(nameof(Rows))]", "[DynamicData]")]
        [DataRow("        private int count;", "instance field")]
        [DataRow("        private readonly byte[] buffer = new byte[4];", "instance field")]
        public void A_member_outside_the_common_subset_is_reported(string member, string expected)
        {
            List<string> violations = FirmwareTestApi.Violations("SampleTests.cs", TestFile(member, ""));
            Assert.AreEqual(1, violations.Count, string.Join("\n", violations));
            Assert.IsTrue(violations[0].Contains(expected), violations[0]);
        }

        [TestMethod]
        public void A_plain_using_of_one_framework_is_reported()
        {
            string source = "using Microsoft.VisualStudio.TestTools.UnitTesting;\n\nnamespace NanoRnn.Tests\n{\n}\n";
            List<string> violations = FirmwareTestApi.Violations("Plain.cs", source);
            Assert.AreEqual(1, violations.Count, string.Join("\n", violations));
            StringAssert.Contains(violations[0], "Plain.cs:1:");
        }

        [TestMethod]
        public void The_helper_may_branch_per_platform_but_its_shared_part_is_scanned()
        {
            string helper = Header + "internal static class TestSupport\n{\n"
                            + "    internal static void Fail(string m)\n    {\n#if NANOFRAMEWORK_1_0\n"
                            + "        Assert.IsTrue(false, m);\n#else\n        Assert.Fail(m);\n#endif\n    }\n}\n";
            Assert.AreEqual(0, FirmwareTestApi.Violations("TestSupport.cs", helper).Count);
            List<string> shared = FirmwareTestApi.Violations(
                "TestSupport.cs", helper.Replace("    }\n}\n", "        Assert.Fail(m);\n    }\n}\n"));
            Assert.AreEqual(1, shared.Count, string.Join("\n", shared));
        }
    }
}
