using System;
using System.IO;

namespace NanoRnn.Desktop
{
    internal static class ModelFile
    {
        /// <summary>Reads and validates a .nrnn blob; any fault is one DataException naming the file.</summary>
        public static RnnModel Load(string path)
        {
            byte[] blob = InputFile.ReadAllBytes(path);

            try
            {
                return RnnModel.Load(blob);
            }
            catch (ModelFormatException e)
            {
                throw new DataException($"{path}: {e.Message}");
            }
        }
    }
}
