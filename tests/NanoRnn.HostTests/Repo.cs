using System;
using System.IO;

namespace NanoRnn.HostTests
{
    internal static class Repo
    {
        /// <summary>The repository root: the first folder upwards that holds nf.proj.sln.</summary>
        public static string Root
        {
            get
            {
                string folder = AppContext.BaseDirectory;
                while (folder != null && !File.Exists(Path.Combine(folder, "nf.proj.sln")))
                {
                    folder = Path.GetDirectoryName(folder);
                }

                return folder ?? throw new InvalidOperationException("nf.proj.sln not found above " + AppContext.BaseDirectory);
            }
        }

        public static string PathOf(params string[] parts)
        {
            return Path.Combine(Root, Path.Combine(parts));
        }
    }
}
