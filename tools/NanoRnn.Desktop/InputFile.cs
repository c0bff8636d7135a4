using System;
using System.IO;

namespace NanoRnn.Desktop
{
    internal static class InputFile
    {
        /// <summary>Reads a whole file; a missing or unreadable one is a DataException naming it.</summary>
        public static byte[] ReadAllBytes(string path)
        {
            if (Directory.Exists(path))
            {
                throw new DataException($"{path}: is a folder, not a file");
            }

            try
            {
                return File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new DataException($"{path}: cannot read ({e.Message})");
            }
        }
    }
}
