using System;
using System.IO;

namespace NanoRnn.Desktop
{
    /// <summary>Writes a file through a temporary file in the same folder, so a failure leaves no partial output.</summary>
    internal static class AtomicFile
    {
        public static void WriteAllText(string path, string text)
        {
            string full = Path.GetFullPath(path);
            string folder = Path.GetDirectoryName(full);
            if (!Directory.Exists(folder))
            {
                throw new DataException($"{path}: folder {folder} does not exist");
            }

            string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
            try
            {
                File.WriteAllText(temporary, text);
                File.Move(temporary, full, true);
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }
    }
}
