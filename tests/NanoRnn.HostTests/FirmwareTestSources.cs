using System;
using System.IO;
using System.Linq;

namespace NanoRnn.HostTests
{
    /// <summary>
    /// The firmware test sources: the .cs files of tests/NanoRnn.Tests that nanoFramework.TestFramework
    /// compiles too (NanoRnn.Tests.nfproj), i.e. every file except the host-only ones. A host-only file is
    /// named *HostTests.cs and its code sits wholly inside <c>#if !NANOFRAMEWORK_1_0</c>.
    /// </summary>
    internal static class FirmwareTestSources
    {
        public const string Folder = "tests/NanoRnn.Tests";
        public const string HostOnlyGuard = "#if !NANOFRAMEWORK_1_0";

        /// <summary>Every .cs file of the test folder (bin/ and obj/ aside), relative, '/'-separated, sorted.</summary>
        public static string[] All()
        {
            string folder = Repo.PathOf(Folder);
            return Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
                .Where(f => !f.StartsWith("bin/") && !f.StartsWith("obj/"))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToArray();
        }

        /// <summary>The firmware subset of <see cref="All"/>.</summary>
        public static string[] Firmware()
        {
            return All().Where(f => !IsHostOnly(Read(f))).ToArray();
        }

        public static string Read(string relative)
        {
            return File.ReadAllText(Path.Combine(Repo.PathOf(Folder), relative));
        }

        /// <summary>True if the first line of code (comments and blank lines aside) is the host-only guard.</summary>
        public static bool IsHostOnly(string source)
        {
            string first = source.Split('\n').Select(l => l.Trim())
                .FirstOrDefault(l => l.Length > 0 && !l.StartsWith("//"));
            return first == HostOnlyGuard;
        }
    }
}
