namespace NanoRnn.Simulation
{
    /// <summary>
    /// Supplies the motion a simulated sensor measures: one six-axis sample per sensor sample period.
    /// A recording reader or a synthetic gesture generator implements it; <see cref="SimulatedMpu"/>
    /// calls it each time its clock reaches a new sample.
    /// </summary>
    public interface IMotionSource
    {
        /// <summary>
        /// Writes sample <paramref name="index"/> as raw counts, ax, ay, az, gx, gy, gz, into
        /// <paramref name="counts"/>[0..5], exactly as the chip would report them at its configured
        /// ranges (the simulator does not rescale). Indices start at 0 and increase by one per sample
        /// the sensor takes; what happens past the end of a recording is the source's choice.
        /// </summary>
        /// <param name="index">Sample number, from 0.</param>
        /// <param name="counts">Six-element array to fill; reused by the caller.</param>
        void Sample(int index, short[] counts);
    }
}
