using System;
using System.Collections;
using NanoRnn.Pipeline;

namespace NanoRnn.Tests.Pipeline
{
    /// <summary>Keeps every line written.</summary>
    internal sealed class RecordedLines : ILineOutput
    {
        internal readonly ArrayList Lines = new ArrayList();

        public void WriteLine(string line)
        {
            Lines.Add(line);
        }

        internal string Line(int index)
        {
            return (string)Lines[index];
        }

        /// <summary>The first line that starts with <paramref name="prefix"/>, or null.</summary>
        internal string Starting(string prefix)
        {
            for (int i = 0; i < Lines.Count; i++)
            {
                if (Line(i).IndexOf(prefix) == 0) return Line(i);
            }

            return null;
        }

        internal int CountStarting(string prefix)
        {
            int count = 0;
            for (int i = 0; i < Lines.Count; i++)
            {
                if (Line(i).IndexOf(prefix) == 0) count++;
            }

            return count;
        }
    }

    /// <summary>A clock that moves on by <see cref="Tick"/> µs each time it is read.</summary>
    internal sealed class SteppingClock : IMicrosecondClock
    {
        internal long Now;
        internal long Tick;

        internal SteppingClock(long tick)
        {
            Tick = tick;
        }

        public long NowMicroseconds()
        {
            long now = Now;
            Now += Tick;
            return now;
        }
    }

    /// <summary>e^x by its Taylor series after halving x into [-1, 1]: exact enough for a printed probability, and no Math.</summary>
    internal sealed class SeriesExponential : IExponential
    {
        public double Exp(double power)
        {
            int halvings = 0;
            while (power > 1 || power < -1)
            {
                power /= 2;
                halvings++;
            }

            double term = 1;
            double sum = 1;
            for (int n = 1; n < 20; n++)
            {
                term *= power / n;
                sum += term;
            }

            for (int i = 0; i < halvings; i++)
            {
                sum *= sum;
            }

            return sum;
        }
    }

    /// <summary>A fixed amount of free heap.</summary>
    internal sealed class FixedHeap : IHeapGauge
    {
        private readonly long _free;

        internal FixedHeap(long free)
        {
            _free = free;
        }

        public long FreeBytes()
        {
            return _free;
        }
    }

    /// <summary>A bus whose every transfer throws what a native driver might: not an IOException.</summary>
    internal sealed class ThrowingBus : NanoRnn.Sensors.IRegisterBus
    {
        public void WriteRegister(byte register, byte value)
        {
            throw new InvalidOperationException("ESP_FAIL");
        }

        public byte ReadRegister(byte register)
        {
            throw new InvalidOperationException("ESP_FAIL");
        }

        public void ReadRegisters(byte firstRegister, byte[] buffer, int offset, int count)
        {
            throw new InvalidOperationException("ESP_FAIL");
        }
    }
}
