using NanoRnn.Sensors;

namespace NanoRnn.Pipeline
{
    /// <summary>
    /// What a <see cref="BoardApplication"/> runs on: the buses, pins, clock and console of an ESP32
    /// (NanoRnn.App), or their simulations on a PC (`simulate`). Nothing else differs between the two.
    /// </summary>
    public sealed class BoardIo
    {
        /// <summary>The register bus of the motion sensor's I2C address.</summary>
        public IRegisterBus SensorBus;

        /// <summary>The board's feature inputs, input n at index n (empty when it has none).</summary>
        public IDigitalInput[] DigitalInputs = new IDigitalInput[0];

        /// <summary>The decision LED, already driven to its off level by the caller's choice; null when the board has none.</summary>
        public IDigitalOutput Led;

        /// <summary>The state-reset button; null when the board has none.</summary>
        public IDigitalInput Button;

        /// <summary>The clock steps are timed with (the board's HighResTimer, or the PC's).</summary>
        public IMicrosecondClock Clock;

        /// <summary>Named after a step time when it is not the board's own ("the desktop clock"); empty on the board.</summary>
        public string ClockNote = string.Empty;

        /// <summary>Where the report goes.</summary>
        public ILineOutput Output;

        /// <summary>e to a power, for decision probabilities.</summary>
        public IExponential Exponential;

        /// <summary>Free heap, read once the model is loaded, to choose how its weights are kept.</summary>
        public IHeapGauge Heap;

        /// <summary>Whether <see cref="Heap"/> measures the heap (it does on the board), so the statistics include it; false for an estimate.</summary>
        public bool HeapMeasured = true;

        /// <summary>Told of every decision and gap after the report; may be null.</summary>
        public IDecisionSink Observer;
    }
}
