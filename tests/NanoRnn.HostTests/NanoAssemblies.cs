using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace NanoRnn.HostTests
{
    /// <summary>
    /// The assemblies compiled against nanoFramework's mscorlib: every SDK-style project of the
    /// repository with NoStdLib set (the firmware libraries, the simulation, the boards, the golden
    /// vectors). Their DLLs are the ones nanoCLR's .pe files are made from; this project references
    /// each, so they sit beside it.
    /// </summary>
    internal static class NanoAssemblies
    {
        /// <summary>(assembly name, repository-relative project path) of each, sorted by name.</summary>
        public static IReadOnlyList<(string Name, string Project)> Projects()
        {
            return Directory.GetFiles(Repo.Root, "*.csproj", SearchOption.AllDirectories)
                .Where(NanoProjects.NotBuildOutput)
                .Select(p => (Path: p, Xml: XDocument.Load(p)))
                .Where(p => Property(p.Xml, "NoStdLib") == "true")
                .Select(p => (Property(p.Xml, "AssemblyName") ?? Path.GetFileNameWithoutExtension(p.Path),
                              Path.GetRelativePath(Repo.Root, p.Path).Replace('\\', '/')))
                .OrderBy(p => p.Item1, StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>The DLL of each, beside this test assembly; throws naming any that is not there.</summary>
        public static IReadOnlyList<string> Dlls()
        {
            var paths = new List<string>();
            foreach ((string name, string project) in Projects())
            {
                string path = Path.Combine(AppContext.BaseDirectory, name + ".dll");
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException(
                        $"{name}.dll is not beside the host tests: reference {project} from NanoRnn.HostTests.csproj");
                }

                paths.Add(path);
            }

            return paths;
        }

        private static string Property(XDocument project, string name)
        {
            return project.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim();
        }
    }
}
