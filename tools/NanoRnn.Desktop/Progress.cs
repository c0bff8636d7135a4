using System;
using System.Diagnostics;
using System.IO;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// How far a long run is, as one line on stderr that rewrites itself (`soak: 12000 of 20000 steps
    /// (60%)`), a few times a second, and is erased when the run ends. Only on a terminal: when stderr
    /// is redirected (a pipe, a file, the tests) it writes nothing and <see cref="Report"/> costs one
    /// comparison, so what is piped or logged is the same with or without it.
    /// </summary>
    internal sealed class Progress : IDisposable
    {
        /// <summary>How often the line is rewritten at most.</summary>
        public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);

        private readonly TextWriter _stderr;
        private readonly bool _terminal;
        private readonly string _label;
        private readonly long _total;
        private readonly string _unit;
        private readonly long _intervalTicks;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _nextTicks;
        private int _shown; // characters of the line now on the terminal, 0 when there is none

        /// <param name="stderr">Where the line goes.</param>
        /// <param name="terminal">Whether <paramref name="stderr"/> is a terminal (`!Console.IsErrorRedirected`); false: quiet.</param>
        /// <param name="label">What runs, e.g. the command's name.</param>
        /// <param name="total">How many <paramref name="unit"/> the run has.</param>
        /// <param name="unit">What is counted, plural: "steps", "cases".</param>
        /// <param name="interval">How often the line is rewritten at most; null: <see cref="DefaultInterval"/>.</param>
        public Progress(TextWriter stderr, bool terminal, string label, long total, string unit, TimeSpan? interval = null)
        {
            _stderr = stderr;
            _terminal = terminal;
            _label = label;
            _total = total;
            _unit = unit;
            _intervalTicks = (long)((interval ?? DefaultInterval).TotalSeconds * Stopwatch.Frequency);
        }

        /// <summary>Shows that <paramref name="done"/> of the total are done, unless the line was rewritten less than an interval ago.</summary>
        public void Report(long done)
        {
            if (!_terminal || _clock.ElapsedTicks < _nextTicks)
            {
                return;
            }

            _nextTicks = _clock.ElapsedTicks + _intervalTicks;
            string line = $"{_label}: {done} of {_total} {_unit} ({done * 100 / Math.Max(1, _total)}%)";
            // Spaces over what is left of a longer line before it; the cursor stays at the line's end.
            _stderr.Write("\r" + line.PadRight(_shown));
            _stderr.Flush();
            _shown = Math.Max(_shown, line.Length);
        }

        /// <summary>Erases the line, so that the next output starts on a clean line; the next Report writes it again.</summary>
        public void Clear()
        {
            if (_shown == 0)
            {
                return;
            }

            _stderr.Write("\r" + new string(' ', _shown) + "\r");
            _stderr.Flush();
            _shown = 0;
            _nextTicks = 0;
        }

        /// <summary>Erases the line: the run is over.</summary>
        public void Dispose()
        {
            Clear();
        }
    }
}
