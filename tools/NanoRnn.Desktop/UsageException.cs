using System;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// The command line is wrong in a way only the input shows (a --margin finer than the model's
    /// scale can hold): exit code 2, one line with the command's synopsis. What the command line
    /// alone shows is refused while parsing, by the options' parsers and the commands' validators.
    /// </summary>
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
