using System.IO;

namespace NanoRnn.Desktop
{
    /// <summary>Where a command writes: its output, its warnings and errors, and whether those go to a terminal.</summary>
    internal sealed class Streams
    {
        public Streams(TextWriter output, TextWriter error, bool errorIsTerminal)
        {
            Out = output;
            Error = error;
            ErrorIsTerminal = errorIsTerminal;
        }

        /// <summary>The results: CSV, summaries, the simulated board's log.</summary>
        public TextWriter Out { get; }

        /// <summary>Warnings, errors and the progress line.</summary>
        public TextWriter Error { get; }

        /// <summary>Whether <see cref="Error"/> is a terminal, where a <see cref="Progress"/> line shows.</summary>
        public bool ErrorIsTerminal { get; }

        /// <summary>A progress line on <see cref="Error"/>, quiet unless it is a terminal.</summary>
        public Progress Progress(string label, long total, string unit)
        {
            return new Progress(Error, ErrorIsTerminal, label, total, unit);
        }
    }
}
