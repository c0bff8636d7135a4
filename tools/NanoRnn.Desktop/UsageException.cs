using System;

namespace NanoRnn.Desktop
{
    /// <summary>The command line is wrong: exit code 2, with the usage text.</summary>
    internal sealed class UsageException : Exception
    {
        public UsageException(string message) : base(message)
        {
        }
    }

    /// <summary>An input file or value is wrong: exit code 1, one line naming it.</summary>
    internal sealed class DataException : Exception
    {
        public DataException(string message) : base(message)
        {
        }
    }
}
