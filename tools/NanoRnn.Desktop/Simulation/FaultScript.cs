using System;
using System.Globalization;
using NanoRnn.Simulation;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// `simulate --faults`: sensor faults at given times, injected into the simulated chip, e.g.
    /// `nack@2,reset@4.5,unplug@6,plug@8,stuck@10,stall@12`. Kinds: nack and timeout (the next
    /// transfer fails), reset (the chip back to power-on values), unplug / plug, stuck (outputs
    /// frozen until the chip is reset), stall (the host stops polling for 2 s: the FIFO overflows).
    /// </summary>
    internal sealed class FaultScript
    {
        private const long StallMicros = 2000000;

        private readonly string[] _kinds;
        private readonly long[] _atMicros;
        private int _next;
        private long _stalledUntil = -1;

        private FaultScript(string[] kinds, long[] atMicros)
        {
            _kinds = kinds;
            _atMicros = atMicros;
        }

        public int Count => _kinds.Length;

        /// <summary>The fault kinds, as the script names them.</summary>
        public static readonly string[] Kinds = { "nack", "timeout", "reset", "unplug", "plug", "stuck", "stall" };

        /// <summary>No faults.</summary>
        public static FaultScript None => new FaultScript(new string[0], new long[0]);

        /// <summary>
        /// Reads `KIND@SECONDS,...` in time order into <paramref name="script"/>; returns null, or the
        /// sentence that names the first item that is not one.
        /// </summary>
        public static string Parse(string text, out FaultScript script)
        {
            script = null;
            string[] items = text.Split(',');
            var kinds = new string[items.Length];
            var times = new long[items.Length];
            for (int i = 0; i < items.Length; i++)
            {
                string[] parts = items[i].Split('@');
                if (parts.Length != 2 || Array.IndexOf(Kinds, parts[0]) < 0
                    || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
                    || !(seconds >= 0) || seconds > 1e6 || (i > 0 && seconds * 1e6 < times[i - 1]))
                {
                    return $"--faults item '{items[i]}' is not KIND@SECONDS in time order (kinds: {string.Join(", ", Kinds)})";
                }

                kinds[i] = parts[0];
                times[i] = (long)(seconds * 1e6);
            }

            script = new FaultScript(kinds, times);
            return null;
        }

        /// <summary>Injects the faults due by <paramref name="nowMicros"/>; false while the host is stalled (do not poll).</summary>
        public bool Apply(SimulatedMpu chip, long nowMicros)
        {
            for (; _next < _kinds.Length && _atMicros[_next] <= nowMicros; _next++)
            {
                switch (_kinds[_next])
                {
                    case "nack": chip.FailNextTransfers(1); break;
                    case "timeout": chip.TimeOutNextTransfers(1); break;
                    case "reset": chip.ResetToDefaults(); break;
                    case "unplug": chip.Unplug(); break;
                    case "plug": chip.Plug(); break;
                    case "stuck": chip.FrozenOutputs = true; break;
                    case "stall": _stalledUntil = _atMicros[_next] + StallMicros; break;
                }
            }

            return nowMicros >= _stalledUntil;
        }
    }
}
