using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace NanoRnn.HostTests
{
    /// <summary>The repository's nanoFramework projects (.nfproj) and the facts they must agree on.</summary>
    internal static class NanoProjects
    {
        /// <summary>The only CoreLibrary NuGet serves here; the SDK-style twins compile against its mscorlib.</summary>
        public const string CoreLibraryVersion = "1.17.11";

        /// <summary>
        /// A TestFramework release that goes with CoreLibrary 1.17.11: nanoFramework's own unit-test sample
        /// pairs the two (nanoframework/Samples, samples/UnitTest/NFUnitTestDemo/NFUnitTest.csproj:
        /// CoreLibrary 1.17.11, TestFramework 3.0.80); its dependency bot had moved the libraries from
        /// CoreLibrary 1.17.7 / TestFramework 3.0.73 to 1.17.11 / 3.0.75 in one step (2025-04-02, e.g.
        /// nanoframework/nanoFramework.Hardware.Stm32 pull 136). The package carries the launcher and
        /// framework .pe files built against that mscorlib, which nanoCLR loads beside ours.
        /// </summary>
        public const string TestFrameworkVersion = "3.0.80";

        /// <summary>The nanoFramework project type, then the C# project type (every .nfproj's ProjectTypeGuids).</summary>
        public const string ProjectTypeGuids = "{11A8DD76-328B-46DF-9F39-F559912D0360};{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}";

        /// <summary>
        /// Where the VS extension installs NFProjectSystem.*, as every nanoFramework-authored .nfproj spells
        /// it (Samples, the library repositories): relative to the tools folder it would miss on 64-bit
        /// MSBuild (Bin\amd64), silently, every import being guarded by Exists().
        /// </summary>
        public const string ProjectSystemPath = @"$(MSBuildExtensionsPath)\nanoFramework\v1.0\";

        /// <summary>
        /// Each .nfproj's intermediate folder: not obj\, which its SDK-style twin in the same folder fills
        /// with a project.assets.json that old-style projects pick up (dotnet/msbuild#1924, NuGet/Home#6482).
        /// </summary>
        public const string IntermediatePath = @"obj\nanoFramework\";

        /// <summary>Every .nfproj of the repository, repository-relative, sorted.</summary>
        public static IEnumerable<string> All()
        {
            return Directory.GetFiles(Repo.Root, "*.nfproj", SearchOption.AllDirectories)
                .Where(NotBuildOutput)
                .Select(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'))
                .OrderBy(f => f, StringComparer.Ordinal);
        }

        public static bool NotBuildOutput(string path)
        {
            string relative = "/" + Path.GetRelativePath(Repo.Root, path).Replace('\\', '/');
            return !relative.Contains("/bin/") && !relative.Contains("/obj/") && !relative.StartsWith("/packages/")
                   && !relative.Contains("/.git/");
        }

        /// <summary>id → version of a packages.config; every entry must target netnano1.0.</summary>
        public static Dictionary<string, string> Packages(string path)
        {
            var packages = new Dictionary<string, string>();
            foreach (XElement package in XDocument.Load(path).Root.Elements("package"))
            {
                string id = package.Attribute("id").Value;
                if (package.Attribute("targetFramework")?.Value != "netnano1.0")
                {
                    throw new InvalidDataException(path + ": " + id + " does not target netnano1.0");
                }

                packages.Add(id, package.Attribute("version").Value);
            }

            return packages;
        }
    }
}
