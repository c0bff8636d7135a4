using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace NanoRnn.HostTests
{
    /// <summary>
    /// What the nanoFramework build of the firmware tests would say about everything but the test
    /// framework: the firmware test sources, with NANOFRAMEWORK_1_0 defined, compiled against
    /// nanoFramework's own mscorlib 1.17.11 and the nano-compiled NanoRnn libraries and golden vectors. nanoFramework.TestFramework
    /// itself cannot be restored here, so the errors that only say its names are missing are set aside
    /// (FirmwareTestApiTests checks those uses); any other error, such as Math, List&lt;T&gt; or LINQ in a
    /// firmware test, is one the nfproj build would report too.
    /// </summary>
    [TestClass]
    public class NanoMscorlibCompileTests
    {
        private static readonly string[] TestFrameworkNames =
        {
            "nanoFramework", "TestFramework", "TestClass", "TestClassAttribute", "TestMethod", "TestMethodAttribute",
            "DataRow", "DataRowAttribute", "Assert", "CollectionAssert",
        };

        private static string NanoMscorlib => typeof(NanoMscorlibCompileTests).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NanoMscorlib").Value;

        /// <summary>The compiler's errors other than "a nanoFramework.TestFramework name is missing", as file:line: text.</summary>
        private static List<string> Errors(IEnumerable<(string path, string text)> sources)
        {
            var options = new CSharpParseOptions(LanguageVersion.CSharp9, preprocessorSymbols: new[] { "NANOFRAMEWORK_1_0" });
            IEnumerable<MetadataReference> references = new[] { NanoMscorlib }
                .Concat(NanoAssemblies.Dlls())
                .Select(p => MetadataReference.CreateFromFile(p));
            CSharpCompilation compilation = CSharpCompilation.Create(
                "NFUnitTest",
                sources.Select(s => CSharpSyntaxTree.ParseText(s.text, options, s.path)),
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            return compilation.GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error && !OnlyATestFrameworkName(d))
                .Select(d => d.Location.GetLineSpan().Path + ":" + (d.Location.GetLineSpan().StartLinePosition.Line + 1)
                             + ": " + d.Id + " " + d.GetMessage())
                .ToList();
        }

        private static bool OnlyATestFrameworkName(Diagnostic d)
        {
            // CS0246 type or namespace not found, CS0103 name not found, CS0234 not in the namespace.
            if (d.Id != "CS0246" && d.Id != "CS0103" && d.Id != "CS0234")
            {
                return false;
            }

            string message = d.GetMessage();
            return TestFrameworkNames.Any(n => message.Contains("'" + n + "'"));
        }

        private static (string, string) Sample(string body)
        {
            return ("Sample.cs", "using System;\n#if NANOFRAMEWORK_1_0\nusing nanoFramework.TestFramework;\n#else\n"
                                 + "using Microsoft.VisualStudio.TestTools.UnitTesting;\n#endif\n"
                                 + "namespace NanoRnn.Tests\n{\n    [TestClass]\n    public class SampleTests\n    {\n"
                                 + "        [TestMethod]\n        public void Sample()\n        {\n" + body + "\n        }\n    }\n}\n");
        }

        [TestMethod]
        public void Firmware_test_sources_compile_against_nanoFrameworks_mscorlib()
        {
            Assert.IsTrue(File.Exists(NanoMscorlib), NanoMscorlib);
            var sources = FirmwareTestSources.Firmware()
                .Select(f => (Path.Combine(FirmwareTestSources.Folder, f), FirmwareTestSources.Read(f))).ToList();
            List<string> errors = Errors(sources);
            Assert.AreEqual(0, errors.Count, string.Join("\n", errors));
        }

        [TestMethod]
        public void The_check_accepts_test_framework_uses_and_catches_what_nanoFramework_lacks()
        {
            Assert.AreEqual(0, Errors(new[] { Sample("            Assert.AreEqual(3, NanoRnn.RnnNetwork.ArgMax(new int[] { 1, 2 }, 0, 2) + 2, \"m\");") }).Count);

            List<string> math = Errors(new[] { Sample("            Assert.AreEqual(1.5, Math.Abs(-1.5), \"inside a call to the framework\");") });
            Assert.AreEqual(1, math.Count, string.Join("\n", math));
            StringAssert.Contains(math[0], "'Math'");

            List<string> generic = Errors(new[] { Sample("            var list = new System.Collections.Generic.List<int>();") });
            Assert.AreEqual(1, generic.Count, string.Join("\n", generic));
            StringAssert.Contains(generic[0], "Generic");
        }
    }
}
