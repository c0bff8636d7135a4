using System;

namespace NanoRnn.Sensors
{
    /// <summary>
    /// Electrical behaviour of the INT pin. The values are the INT_PIN_CFG bits (register 0x37,
    /// RM-MPU-6000A rev 4.2 section 4.15; same positions on the MPU-6886).
    /// </summary>
    [Flags]
    public enum InterruptPinOptions : byte
    {
        /// <summary>Active high, push-pull, a 50 µs pulse per event.</summary>
        None = 0,
        /// <summary>INT_LEVEL: the pin is active low.</summary>
        ActiveLow = 0x80,
        /// <summary>INT_OPEN: open drain (needs a pull-up) instead of push-pull.</summary>
        OpenDrain = 0x40,
        /// <summary>
        /// LATCH_INT_EN: the pin stays active until INT_STATUS is read
        /// (<see cref="MpuBase.IsDataReady"/> or <see cref="MpuBase.TryReadFifoFrames"/>), instead of a 50 µs pulse.
        /// </summary>
        Latched = 0x20,
    }
}
