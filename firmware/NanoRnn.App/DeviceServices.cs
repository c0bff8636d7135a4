using System;
using System.Diagnostics;
using nanoFramework.Hardware.Esp32;
using NanoRnn.Pipeline;

namespace NanoRnn.App
{
    /// <summary>
    /// The report's output. Release builds write with Console.WriteLine (mscorlib; not conditional),
    /// which nanoFramework sends over the device's debug channel: the USB serial port of an ESP32
    /// board, shown by Visual Studio's Output window or any nanoFramework device monitor, with or
    /// without a debugger attached. Debug builds write with Debug.WriteLine, the same channel.
    /// </summary>
    internal sealed class ConsoleOutput : ILineOutput
    {
        public void WriteLine(string line)
        {
#if DEBUG
            Debug.WriteLine(line);
#else
            Console.WriteLine(line);
#endif
        }
    }

    /// <summary>
    /// HighResTimer.GetCurrent(): microseconds since boot, monotonic (mscorlib has no Stopwatch). Where
    /// the firmware has no HighResTimer (a POSIX nanoCLR throws NotSupportedException), DateTime.UtcNow
    /// instead, which <see cref="Note"/> then says: it is not monotonic if the clock is set.
    /// </summary>
    internal sealed class HighResClock : IMicrosecondClock
    {
        private readonly bool _highResolution;

        public HighResClock()
        {
            try
            {
                HighResTimer.GetCurrent();
                _highResolution = true;
            }
            catch (Exception)
            {
                _highResolution = false;
            }
        }

        /// <summary>Empty with HighResTimer; else what the clock is, for the step-time line.</summary>
        public string Note
        {
            get { return _highResolution ? string.Empty : "DateTime.UtcNow: this firmware has no HighResTimer"; }
        }

        public long NowMicroseconds()
        {
            return _highResolution ? (long)HighResTimer.GetCurrent() : DateTime.UtcNow.Ticks / 10;
        }
    }

    /// <summary>nanoFramework.System.Math's exponential, for the probability of each decision.</summary>
    internal sealed class MathExponential : IExponential
    {
        public double Exp(double power)
        {
            return System.Math.Exp(power);
        }
    }

    /// <summary>The managed heap's free bytes after a collection (without compaction).</summary>
    internal sealed class ManagedHeap : IHeapGauge
    {
        public long FreeBytes()
        {
            return nanoFramework.Runtime.Native.GC.Run(false);
        }
    }
}
