using System;
using System.IO;

namespace NanoRnn.Desktop
{
    /// <summary>Writes a file through a temporary file in the same folder, so a failure leaves no partial output.</summary>
    internal static class AtomicFile
    {
        /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>; any failure is one DataException naming the path.</summary>
        public static void WriteAllText(string path, string text)
        {
            string full = Path.GetFullPath(path);
            string folder = Path.GetDirectoryName(full);
            if (!Directory.Exists(folder))
            {
                throw new DataException($"{path}: folder {folder} does not exist");
            }

            if (Directory.Exists(full))
            {
                throw new DataException($"{path}: is a folder, not a file");
            }

            string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
            try
            {
                File.WriteAllText(temporary, text);
                File.Move(temporary, full, true);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new DataException($"{path}: cannot write ({e.Message})");
            }
            finally
            {
                try
                {
                    File.Delete(temporary);     // no-op when the move succeeded or the file was never made
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // Nothing more to do: the write already failed or succeeded with its own outcome.
                }
            }
        }
    }
}
