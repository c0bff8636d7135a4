using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace NanoRnn.HostTests
{
    /// <summary>
    /// Each firmware library is built twice from one source list: by its SDK-style .csproj here and by
    /// its .nfproj in Visual Studio. The lists must not drift, and the solution must list every .nfproj.
    /// </summary>
    [TestClass]
    public class ProjectFileTests
    {
        public static readonly string[] Libraries =
        {
            "firmware/NanoRnn/NanoRnn",
            "firmware/NanoRnn.Sensors/NanoRnn.Sensors",
            "firmware/NanoRnn.Pipeline/NanoRnn.Pipeline",
            "tools/NanoRnn.Simulation/NanoRnn.Simulation",
            "boards/NanoRnn.Boards",
        };

        private static string[] CompileItems(string path)
        {
            return XDocument.Load(path).Descendants()
                .Where(e => e.Name.LocalName == "Compile")
                .Select(e => e.Attribute("Include").Value.Replace('\\', '/'))
                .OrderBy(s => s, StringComparer.Ordinal)
                .ToArray();
        }

        [TestMethod]
        [DynamicData(nameof(LibraryRows))]
        public void NfprojCompilesTheSameSourcesAsTheCsproj(string library)
        {
            string[] sdk = CompileItems(Repo.PathOf(library + ".csproj"));
            string[] nano = CompileItems(Repo.PathOf(library + ".nfproj"));
            Assert.IsTrue(sdk.Length > 0, library + ".csproj lists no sources");
            CollectionAssert.AreEqual(sdk, nano,
                $"{library}: .csproj has [{string.Join(", ", sdk)}], .nfproj has [{string.Join(", ", nano)}]");
            string folder = Path.GetDirectoryName(Repo.PathOf(library + ".csproj"));
            foreach (string source in Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")))
            {
                string relative = Path.GetRelativePath(folder, source).Replace('\\', '/');
                CollectionAssert.Contains(sdk, relative, $"{library}: {relative} is in the folder but not compiled");
            }
        }

        [TestMethod]
        [DynamicData(nameof(LibraryRows))]
        public void SolutionListsTheNfproj(string library)
        {
            string solution = File.ReadAllText(Repo.PathOf("nf.proj.sln"));
            string path = library.Replace('/', '\\') + ".nfproj";
            StringAssert.Contains(solution, "{11A8DD76-328B-46DF-9F39-F559912D0360}");
            StringAssert.Contains(solution, "\"" + path + "\"");
            string guid = XDocument.Load(Repo.PathOf(library + ".nfproj")).Descendants()
                .Single(e => e.Name.LocalName == "ProjectGuid").Value;
            StringAssert.Contains(solution, "\"" + path + "\", \"" + guid + "\"");
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
            foreach (string library in Libraries.Where(l => !l.StartsWith("tools/")))
            {
                CollectionAssert.Contains(references, Path.GetFileName(library) + ".nfproj");
            }

            string resource = XDocument.Load(Path.Combine(folder, "Resources.resx")).Descendants("data")
                .Single(e => e.Attribute("name").Value == "model").Element("value").Value.Split(';')[0];
            Assert.IsTrue(File.Exists(Path.Combine(folder, resource.Replace('\\', '/'))), resource + " does not exist");
        }

        public static System.Collections.Generic.IEnumerable<object[]> LibraryRows =>
            Libraries.Select(l => new object[] { l });
    }
}
