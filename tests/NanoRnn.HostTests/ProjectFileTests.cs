using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace NanoRnn.HostTests
{
    /// <summary>
    /// Each firmware library is built twice from one source list: by its SDK-style .csproj here and by
    /// its .nfproj in Visual Studio; the firmware tests likewise (NanoRnn.Tests.csproj here, its .nfproj,
    /// assembly NFUnitTest, on nanoCLR). The lists must not drift, the solution must list every .nfproj,
    /// and every .nfproj and packages.config must be what nanoFramework's tools expect.
    /// </summary>
    [TestClass]
    public class ProjectFileTests
    {
        public static readonly string[] Libraries =
        {
            "firmware/NanoRnn/NanoRnn",
            "firmware/NanoRnn.Sensors/NanoRnn.Sensors",
            "firmware/NanoRnn.Pipeline/NanoRnn.Pipeline",
            "firmware/NanoRnn.Native/NanoRnn.Native",
            "tools/NanoRnn.Simulation/NanoRnn.Simulation",
            "boards/NanoRnn.Boards",
            "tests/NanoRnn.Tests.Golden/Part1/NanoRnn.Tests.GoldenPart1",
            "tests/NanoRnn.Tests.Golden/Part2/NanoRnn.Tests.GoldenPart2",
            "tests/NanoRnn.Tests.Golden/Part3/NanoRnn.Tests.GoldenPart3",
            "tests/NanoRnn.Tests.Golden/Part4/NanoRnn.Tests.GoldenPart4",
            "tools/NanoRnn.Bench/StandIns/NanoRnn.Bench.StandIns",
            "tools/NanoRnn.Bench/NanoCost/NanoRnn.Bench.NanoCost",
            "tools/NanoRnn.Bench/NanoCost/Models/Part1/NanoRnn.Bench.CostModelsPart1",
            "tools/NanoRnn.Bench/NanoCost/Models/Part2/NanoRnn.Bench.CostModelsPart2",
        };

        public const string App = "firmware/NanoRnn.App/NanoRnn.App";
        public const string TestProject = "tests/NanoRnn.Tests/NanoRnn.Tests";

        // The Compile items, '/'-separated; a wildcard (the golden parts' *.g.cs) as the files it matches.
        private static string[] CompileItems(string path)
        {
            string folder = Path.GetDirectoryName(path);
            return XDocument.Load(path).Descendants()
                .Where(e => e.Name.LocalName == "Compile")
                .Select(e => e.Attribute("Include").Value.Replace('\\', '/'))
                .SelectMany(include => include.Contains('*')
                    ? Directory.GetFiles(Path.Combine(folder, Path.GetDirectoryName(include)), Path.GetFileName(include))
                        .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
                    : new[] { include })
                .OrderBy(s => s, StringComparer.Ordinal)
                .ToArray();
        }

        private static string Describe(IEnumerable<string> missing, IEnumerable<string> extra)
        {
            return "missing from the .nfproj: [" + string.Join(", ", missing) + "]; in the .nfproj only: ["
                   + string.Join(", ", extra) + "]";
        }

        [TestMethod]
        [DynamicData(nameof(LibraryRows))]
        public void NfprojCompilesTheSameSourcesAsTheCsproj(string library)
        {
            string[] sdk = CompileItems(Repo.PathOf(library + ".csproj"));
            string[] nano = CompileItems(Repo.PathOf(library + ".nfproj"));
            Assert.IsTrue(sdk.Length > 0, library + ".csproj lists no sources");
            CollectionAssert.AreEqual(sdk, nano, library + ": " + Describe(sdk.Except(nano), nano.Except(sdk)));
            string folder = Path.GetDirectoryName(Repo.PathOf(library + ".csproj"));
            // A subfolder with a project of its own (the cost runner's model parts) is that project's.
            string[] nested = Directory.GetFiles(folder, "*.csproj", SearchOption.AllDirectories)
                .Select(Path.GetDirectoryName).Where(d => d != folder).ToArray();
            foreach (string source in Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
                         .Where(f => !nested.Any(d => f.StartsWith(d + "/", StringComparison.Ordinal))))
            {
                string relative = Path.GetRelativePath(folder, source).Replace('\\', '/');
                CollectionAssert.Contains(sdk, relative, $"{library}: {relative} is in the folder but not compiled");
            }
        }

        [TestMethod]
        public void TestNfprojCompilesExactlyTheFirmwareTestSources()
        {
            // NanoRnn.Tests.csproj compiles every .cs file of its folder (SDK default); the .nfproj must
            // compile all of them but the host-only ones, so that the same tests run on nanoCLR.
            string[] firmware = FirmwareTestSources.Firmware();
            string[] nano = CompileItems(Repo.PathOf(TestProject + ".nfproj"));
            Assert.IsFalse(XDocument.Load(Repo.PathOf(TestProject + ".csproj")).Descendants()
                .Any(e => e.Name.LocalName == "EnableDefaultCompileItems"), "the test csproj no longer compiles its whole folder");
            CollectionAssert.AreEqual(firmware, nano, Describe(firmware.Except(nano), nano.Except(firmware)));
        }

        [TestMethod]
        public void HostOnlyTestFilesAreNamedSoAndWhollyGuarded()
        {
            string[] all = FirmwareTestSources.All();
            foreach (string file in all)
            {
                string text = FirmwareTestSources.Read(file);
                bool hostOnly = FirmwareTestSources.IsHostOnly(text);
                Assert.AreEqual(file.EndsWith("HostTests.cs"), hostOnly,
                    file + ": host-only test files are named *HostTests.cs and start with " + FirmwareTestSources.HostOnlyGuard);
                if (hostOnly)
                {
                    Assert.AreEqual("#endif", text.TrimEnd().Split('\n').Last().Trim(), file + " must end the guard on its last line");
                }
            }

            Assert.IsTrue(all.Count(f => f.EndsWith("HostTests.cs")) > 0, "no host-only test file found");
        }

        [TestMethod]
        public void TestNfprojIsANanoFrameworkUnitTestProject()
        {
            string path = Repo.PathOf(TestProject + ".nfproj");
            XDocument project = XDocument.Load(path);
            // The TestFramework's launcher loads the assembly named NFUnitTest (Assembly.Load("NFUnitTest")
            // in source/UnitTestLauncher/Program.cs of nanoFramework.TestFramework); the rest is the
            // VS extension's unit-test template (CSharp.TestApplication/NFUnitTest.nfproj).
            Assert.AreEqual("NFUnitTest", Property(project, "AssemblyName"));
            Assert.AreEqual("true", Property(project, "IsTestProject"));
            Assert.AreEqual("UnitTest", Property(project, "TestProjectType"));
            Assert.AreEqual("Library", Property(project, "OutputType"));
            Assert.IsTrue(project.Descendants().Any(e => e.Name.LocalName == "ProjectCapability"
                                                        && e.Attribute("Include")?.Value == "TestContainer"));
            Assert.AreEqual(@"$(MSBuildProjectDirectory)\nano.runsettings", Property(project, "RunSettingsFilePath"));

            XDocument settings = XDocument.Load(Repo.PathOf("tests/NanoRnn.Tests/nano.runsettings"));
            XElement adapter = settings.Root.Element("nanoFrameworkAdapter");
            Assert.IsNotNull(adapter, "nano.runsettings has no nanoFrameworkAdapter section");
            Assert.AreEqual("False", adapter.Element("IsRealHardware")?.Value, "the tests run on the emulator");
            CollectionAssert.Contains(NoneItems(project), "nano.runsettings");

            // The same libraries as the SDK-style test project, as their .nfproj twins.
            string folder = Path.GetDirectoryName(path);
            string[] sdk = XDocument.Load(Repo.PathOf(TestProject + ".csproj")).Descendants()
                .Where(e => e.Name.LocalName == "ProjectReference")
                .Select(e => Path.ChangeExtension(Resolve(folder, e.Attribute("Include").Value), ".nfproj"))
                .OrderBy(s => s, StringComparer.Ordinal).ToArray();
            string[] nano = ProjectReferences(path).OrderBy(s => s, StringComparer.Ordinal).ToArray();
            CollectionAssert.AreEqual(sdk, nano, "csproj references [" + string.Join(", ", sdk) + "], nfproj [" + string.Join(", ", nano) + "]");
        }

        [TestMethod]
        public void EveryProjectCompiledForTheDeviceHasAnNfprojTwin()
        {
            string[] nano = Directory.GetFiles(Repo.Root, "*.csproj", SearchOption.AllDirectories)
                .Where(NanoProjects.NotBuildOutput)
                .Where(p => XDocument.Load(p).Descendants().Any(e => e.Name.LocalName == "NoStdLib" && e.Value == "true"))
                .Select(p => Path.GetRelativePath(Repo.Root, p).Replace('\\', '/'))
                .OrderBy(p => p, StringComparer.Ordinal).ToArray();
            CollectionAssert.AreEqual(Libraries.Select(l => l + ".csproj").OrderBy(p => p, StringComparer.Ordinal).ToArray(), nano,
                "projects compiled against nanoFramework's mscorlib: " + string.Join(", ", nano) + "; each needs its .nfproj and a row in Libraries");
        }

        [TestMethod]
        public void EveryNfprojIsCheckedAgainstItsTwinOrIsTheAppOrTheTests()
        {
            string[] known = Libraries.Concat(new[] { App, TestProject }).Select(p => p + ".nfproj")
                .OrderBy(s => s, StringComparer.Ordinal).ToArray();
            CollectionAssert.AreEqual(known, NanoProjects.All().ToArray(),
                "found: " + string.Join(", ", NanoProjects.All()));
        }

        [TestMethod]
        [DynamicData(nameof(NfprojRows))]
        public void NfprojFollowsTheNanoFrameworkProjectFormat(string relative)
        {
            string path = Repo.PathOf(relative);
            XDocument project = XDocument.Load(path);
            List<XElement> children = project.Root.Elements().ToList();

            // As in the VS extension's templates (source/CSharp.ClassLibrary/NFClassLibrary.nfproj,
            // CSharp.TestApplication/NFUnitTest.nfproj) and nanoFramework's samples: the project system's
            // path in the Globals group, then its Default.props, props and CSharp.targets, in that order,
            // each imported only if it exists (so the file loads without the extension too).
            XElement globals = children.First();
            Assert.AreEqual("Globals", globals.Attribute("Label")?.Value, relative + ": first element");
            Assert.AreEqual(NanoProjects.ProjectSystemPath, globals.Elements().Single(e => e.Name.LocalName == "NanoFrameworkProjectSystemPath").Value);
            Assert.AreEqual(NanoProjects.IntermediatePath, globals.Elements().SingleOrDefault(e => e.Name.LocalName == "BaseIntermediateOutputPath")?.Value,
                relative + ": BaseIntermediateOutputPath, set before the first import");
            string[] expectedImports = { "NFProjectSystem.Default.props", "NFProjectSystem.props", "NFProjectSystem.CSharp.targets" };
            List<XElement> imports = children.Where(e => e.Name.LocalName == "Import").ToList();
            CollectionAssert.AreEqual(expectedImports.Select(i => "$(NanoFrameworkProjectSystemPath)" + i).ToArray(),
                imports.Select(i => i.Attribute("Project").Value).ToArray(), relative + ": imports");
            foreach (XElement import in imports)
            {
                Assert.AreEqual("Exists('" + import.Attribute("Project").Value + "')", import.Attribute("Condition")?.Value);
            }

            int defaultProps = children.IndexOf(imports[0]);
            int props = children.IndexOf(imports[1]);
            int targets = children.IndexOf(imports[2]);
            int properties = children.FindIndex(e => e.Elements().Any(p => p.Name.LocalName == "ProjectTypeGuids"));
            Assert.IsTrue(defaultProps < properties && properties < props, relative + ": the project's properties sit between Default.props and props");
            Assert.IsTrue(children.Where(e => e.Name.LocalName == "ItemGroup").All(g => children.IndexOf(g) < targets),
                relative + ": CSharp.targets comes after every item");

            Assert.AreEqual(NanoProjects.ProjectTypeGuids, Property(project, "ProjectTypeGuids"));
            Assert.IsTrue(Regex.IsMatch(Property(project, "ProjectGuid"), "^{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}}$"), relative + ": ProjectGuid");
            Assert.AreEqual("v1.0", Property(project, "TargetFrameworkVersion"));
            Assert.AreEqual("9.0", Property(project, "LangVersion"));
            Assert.IsTrue(project.Descendants().Any(e => e.Name.LocalName == "ProjectConfigurationsDeclaredAsItems"),
                relative + ": ProjectExtensions/ProjectCapabilities/ProjectConfigurationsDeclaredAsItems");

            string folder = Path.GetDirectoryName(path);
            Assert.IsTrue(File.Exists(Path.Combine(folder, "packages.config")), relative + ": no packages.config beside it");
            CollectionAssert.Contains(NoneItems(project), "packages.config");
            foreach (string reference in ProjectReferences(path))
            {
                Assert.IsTrue(reference.EndsWith(".nfproj") && File.Exists(Repo.PathOf(reference)), relative + " references " + reference);
            }
        }

        [TestMethod]
        public void NfprojGuidsAreDistinct()
        {
            string[] guids = NanoProjects.All().Select(p => Property(XDocument.Load(Repo.PathOf(p)), "ProjectGuid")).ToArray();
            Assert.AreEqual(guids.Length, guids.Distinct().Count(), string.Join(", ", guids));
        }

        [TestMethod]
        public void SolutionListsEveryNfprojAndNothingElse()
        {
            string solution = File.ReadAllText(Repo.PathOf("nf.proj.sln"));
            var listed = Regex.Matches(solution, "^Project\\(\"([^\"]+)\"\\) = \"([^\"]+)\", \"([^\"]+)\", \"([^\"]+)\"", RegexOptions.Multiline)
                .Select(m => new { Type = m.Groups[1].Value, Name = m.Groups[2].Value, Path = m.Groups[3].Value.Replace('\\', '/'), Guid = m.Groups[4].Value })
                .ToList();
            CollectionAssert.AreEqual(NanoProjects.All().ToArray(), listed.Select(p => p.Path).OrderBy(s => s, StringComparer.Ordinal).ToArray());
            foreach (var p in listed)
            {
                // {11A8DD76-…} is the nanoFramework project type (the first of every .nfproj's ProjectTypeGuids).
                Assert.AreEqual(NanoProjects.ProjectTypeGuids.Split(';')[0], p.Type, p.Path);
                Assert.AreEqual(Path.GetFileNameWithoutExtension(p.Path), p.Name);
                Assert.AreEqual(Property(XDocument.Load(Repo.PathOf(p.Path)), "ProjectGuid"), p.Guid, p.Path);
                foreach (string configuration in new[] { "Debug", "Release" })
                {
                    foreach (string step in new[] { "ActiveCfg", "Build.0", "Deploy.0" })
                    {
                        StringAssert.Contains(solution, $"{p.Guid}.{configuration}|Any CPU.{step} = {configuration}|Any CPU", p.Path);
                    }
                }
            }
        }

        [TestMethod]
        public void PackagesConfigVersionsAgreeWithEachOtherTheCsprojsAndTheHintPaths()
        {
            var versions = new Dictionary<string, string>();
            foreach (string nfproj in NanoProjects.All())
            {
                string folder = Path.GetDirectoryName(Repo.PathOf(nfproj));
                Dictionary<string, string> packages = NanoProjects.Packages(Path.Combine(folder, "packages.config"));
                foreach (KeyValuePair<string, string> package in packages)
                {
                    if (versions.TryGetValue(package.Key, out string other))
                    {
                        Assert.AreEqual(other, package.Value, $"{nfproj}: {package.Key} {package.Value}, elsewhere {other}");
                    }

                    versions[package.Key] = package.Value;
                }

                // Each reference's HintPath is the solution's packages folder, then a package of this
                // packages.config, then lib/, then the assembly its Include names.
                var used = new HashSet<string>();
                foreach (XElement reference in XDocument.Load(Repo.PathOf(nfproj)).Descendants().Where(e => e.Name.LocalName == "Reference"))
                {
                    string include = reference.Attribute("Include").Value;
                    string hint = reference.Elements().SingleOrDefault(e => e.Name.LocalName == "HintPath")?.Value;
                    Assert.IsNotNull(hint, $"{nfproj}: {include} has no HintPath");
                    string resolved = Resolve(folder, hint);
                    Match m = Regex.Match(resolved, @"^packages/([^/]+)/lib/([^/]+)$");
                    Assert.IsTrue(m.Success, $"{nfproj}: {hint} is not under the solution's packages/<id>.<version>/lib/");
                    string package = packages.Keys.SingleOrDefault(id => m.Groups[1].Value == id + "." + packages[id]);
                    Assert.IsNotNull(package, $"{nfproj}: {hint} is no package of its packages.config ({string.Join(", ", packages.Select(p => p.Key + " " + p.Value))})");
                    used.Add(package);
                    Assert.AreEqual(include.Split(',')[0].Trim(), Path.GetFileNameWithoutExtension(m.Groups[2].Value), $"{nfproj}: {include} vs {hint}");
                    string version = Regex.Match(include, @"Version=([\d.]+)").Groups[1].Value;
                    if (include.StartsWith("mscorlib"))
                    {
                        Assert.AreEqual(NanoProjects.CoreLibraryVersion + ".0", version, $"{nfproj}: mscorlib reference version");
                    }
                }

                CollectionAssert.AreEquivalent(packages.Keys.ToArray(), used.ToArray(), nfproj + ": packages.config lists a package no reference uses, or the reverse");
            }

            Assert.AreEqual(NanoProjects.CoreLibraryVersion, versions["nanoFramework.CoreLibrary"]);
            Assert.AreEqual(NanoProjects.TestFrameworkVersion, versions["nanoFramework.TestFramework"]);
            foreach (string csproj in Directory.GetFiles(Repo.Root, "*.csproj", SearchOption.AllDirectories).Where(NanoProjects.NotBuildOutput))
            {
                foreach (XElement reference in XDocument.Load(csproj).Descendants()
                             .Where(e => e.Name.LocalName == "PackageReference" && e.Attribute("Include")?.Value == "nanoFramework.CoreLibrary"))
                {
                    Assert.AreEqual(NanoProjects.CoreLibraryVersion, reference.Attribute("Version").Value, csproj);
                }
            }
        }

        [TestMethod]
        public void AppCompilesEveryFileReferencesTheLibrariesAndEmbedsTheModel()
        {
            string folder = Repo.PathOf("firmware", "NanoRnn.App");
            XDocument project = XDocument.Load(Path.Combine(folder, "NanoRnn.App.nfproj"));
            string[] compiled = CompileItems(Path.Combine(folder, "NanoRnn.App.nfproj"));
            foreach (string source in Directory.GetFiles(folder, "*.cs").Select(Path.GetFileName)
                         .Where(f => f != "Resources.Designer.cs"))
            {
                CollectionAssert.Contains(compiled, source);
            }

            string[] references = project.Descendants().Where(e => e.Name.LocalName == "ProjectReference")
                .Select(e => Path.GetFileName(e.Attribute("Include").Value.Replace('\\', '/'))).ToArray();
            foreach (string library in Libraries.Where(l => !l.StartsWith("tools/") && !l.StartsWith("tests/")))
            {
                CollectionAssert.Contains(references, Path.GetFileName(library) + ".nfproj");
            }

            string resource = XDocument.Load(Path.Combine(folder, "Resources.resx")).Descendants("data")
                .Single(e => e.Attribute("name").Value == "model").Element("value").Value.Split(';')[0];
            Assert.IsTrue(File.Exists(Path.Combine(folder, resource.Replace('\\', '/'))), resource + " does not exist");
        }

        [TestMethod]
        public void TheNuGetPackageCarriesEveryDeviceLibrary()
        {
            // firmware/NanoRnn.nuspec: lib\ holds each device library's Release build output, as
            // nanoFramework's library packages do; its one dependency is the pinned CoreLibrary.
            string nuspec = Repo.PathOf("firmware", "NanoRnn.nuspec");
            XDocument package = XDocument.Load(nuspec);
            string[] targets = package.Descendants().Where(e => e.Name.LocalName == "file")
                .Select(e => e.Attribute("target").Value).ToArray();
            string[] sources = package.Descendants().Where(e => e.Name.LocalName == "file")
                .Select(e => e.Attribute("src").Value.Replace('\\', '/')).ToArray();
            foreach (string library in Libraries.Where(l => !l.StartsWith("tools/") && !l.StartsWith("tests/")))
            {
                string name = Path.GetFileName(library);
                string folder = Path.GetRelativePath(Repo.PathOf("firmware"), Repo.PathOf(Path.GetDirectoryName(library))).Replace('\\', '/');
                foreach (string extension in new[] { ".dll", ".pdbx", ".pe", ".xml" })
                {
                    CollectionAssert.Contains(targets, @"lib\" + name + extension, "NanoRnn.nuspec: " + name + extension);
                    CollectionAssert.Contains(sources, folder + "/bin/Release/" + name + extension, "NanoRnn.nuspec: where " + name + extension + " is built");
                }
            }

            XElement dependency = package.Descendants().Single(e => e.Name.LocalName == "dependency");
            Assert.AreEqual("nanoFramework.CoreLibrary", dependency.Attribute("id").Value);
            Assert.AreEqual(NanoProjects.CoreLibraryVersion, dependency.Attribute("version").Value);
            Assert.AreEqual("$version$", package.Descendants().Single(e => e.Name.LocalName == "version").Value);
        }

        [TestMethod]
        public void AppResourcesGoThroughTheNanoFrameworkResourceGenerator()
        {
            string folder = Repo.PathOf("firmware", "NanoRnn.App");
            XDocument project = XDocument.Load(Path.Combine(folder, "NanoRnn.App.nfproj"));
            XElement resx = project.Descendants().Single(e => e.Name.LocalName == "EmbeddedResource");
            Assert.AreEqual("Resources.resx", resx.Attribute("Include").Value);
            // The nanoFramework extension's generator (its ResXFileCodeGenerator registers this name):
            // Visual Studio's own ResXFileCodeGenerator would write a desktop accessor nanoFramework lacks.
            Assert.AreEqual("nFResXFileCodeGenerator", resx.Elements().Single(e => e.Name.LocalName == "Generator").Value);
            Assert.AreEqual("Resources.Designer.cs", resx.Elements().Single(e => e.Name.LocalName == "LastGenOutput").Value);
            XElement designer = project.Descendants().Single(e => e.Name.LocalName == "Compile" && e.Attribute("Include").Value == "Resources.Designer.cs");
            Assert.AreEqual("Resources.resx", designer.Elements().Single(e => e.Name.LocalName == "DependentUpon").Value);
            Assert.AreEqual("True", designer.Elements().Single(e => e.Name.LocalName == "AutoGen").Value);

            string code = File.ReadAllText(Path.Combine(folder, "Resources.Designer.cs"));
            string rootNamespace = Property(project, "RootNamespace");
            StringAssert.Contains(code, "namespace " + rootNamespace + "\n");
            StringAssert.Contains(code, "new System.Resources.ResourceManager(\"" + rootNamespace + ".Resources\"");
            StringAssert.Contains(code, "nanoFramework.Runtime.Native.ResourceUtility.GetObject(ResourceManager, id)");
            foreach (XElement data in XDocument.Load(Path.Combine(folder, "Resources.resx")).Descendants("data"))
            {
                string name = data.Attribute("name").Value;
                StringAssert.Contains(data.Element("value").Value, ";System.Byte[], mscorlib", name + " is a binary resource");
                Assert.IsTrue(Regex.IsMatch(code, @"enum BinaryResources : short\s*\{[^}]*\b" + name + @" = -?\d+,"), name + " has no BinaryResources id");
            }

            Dictionary<string, string> packages = NanoProjects.Packages(Path.Combine(folder, "packages.config"));
            Assert.IsTrue(packages.ContainsKey("nanoFramework.ResourceManager"), "the generated accessor needs nanoFramework.ResourceManager");
        }

        private static string Property(XDocument project, string name)
        {
            return project.Descendants().Single(e => e.Name.LocalName == name).Value;
        }

        private static string[] NoneItems(XDocument project)
        {
            return project.Descendants().Where(e => e.Name.LocalName == "None").Select(e => e.Attribute("Include").Value).ToArray();
        }

        /// <summary>The .nfproj files a project references, repository-relative.</summary>
        private static IEnumerable<string> ProjectReferences(string path)
        {
            return XDocument.Load(path).Descendants().Where(e => e.Name.LocalName == "ProjectReference")
                .Select(e => Resolve(Path.GetDirectoryName(path), e.Attribute("Include").Value));
        }

        /// <summary>A project-relative Windows or POSIX path as a repository-relative POSIX path.</summary>
        private static string Resolve(string folder, string path)
        {
            string full = Path.GetFullPath(Path.Combine(folder, path.Replace('\\', '/')));
            return Path.GetRelativePath(Repo.Root, full).Replace('\\', '/');
        }

        public static IEnumerable<object[]> LibraryRows => Libraries.Select(l => new object[] { l });

        public static IEnumerable<object[]> NfprojRows => NanoProjects.All().Select(p => new object[] { p });
    }
}
