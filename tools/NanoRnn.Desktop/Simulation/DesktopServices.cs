using System;
using System.Diagnostics;
using System.IO;
using NanoRnn.Pipeline;

namespace NanoRnn.Desktop.Simulation
{
    /// <summary>The PC's stopwatch as the application's step clock.</summary>
    internal sealed class DesktopClock : IMicrosecondClock
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public long NowMicroseconds() => _watch.ElapsedTicks * 1000000 / Stopwatch.Frequency;
    }

    /// <summary>The report to a TextWriter (stdout).</summary>
    internal sealed class WriterOutput : ILineOutput
    {
        private readonly TextWriter _writer;

        public WriterOutput(TextWriter writer) => _writer = writer;

        public void WriteLine(string line) => _writer.WriteLine(line);
    }

    /// <summary>.NET's exponential, where the board uses nanoFramework.System.Math's.</summary>
    internal sealed class DotNetExponential : IExponential
    {
        public double Exp(double power) => Math.Exp(power);
    }

    /// <summary>
    /// The heap an ESP32-WROOM-32 without PSRAM leaves free once a model of <c>blobBytes</c> is loaded:
    /// the 100000-byte heap docs/performance.md ("Memory") plans with, less what the model keeps, about
    /// its blob's size. `simulate` chooses the kernel with it as the board would.
    /// </summary>
    internal sealed class Esp32HeapEstimate : IHeapGauge
    {
        public const long FreeBeforeModel = 100000;

        private readonly long _blobBytes;

        public Esp32HeapEstimate(long blobBytes) => _blobBytes = blobBytes;

        public long FreeBytes() => Math.Max(0, FreeBeforeModel - _blobBytes);
    }
}
