namespace NanoRnn.Sensors
{
    /// <summary>
    /// Register-level access to one I2C device: the project-owned seam between sensor drivers and
    /// the hardware. nanoFramework's <c>System.Device.I2c.I2cDevice</c> has no virtual members, so
    /// a driver written against it cannot be tested or simulated; drivers take this interface
    /// instead, the application wraps <c>I2cDevice</c> in a small adapter, and tests pass a
    /// register-level simulation (<c>tools/NanoRnn.Simulation</c>).
    /// </summary>
    /// <remarks>
    /// Implementations report every failure by throwing <see cref="System.IO.IOException"/> whose
    /// message names the 7-bit device address, the register and what happened (for example
    /// "I2C device 0x68 did not acknowledge (NACK) reading register 0x3B"); nanoFramework's
    /// <c>I2cDevice</c> returns an <c>I2cTransferResult</c> instead of throwing, so the adapter
    /// must check <c>Status</c> and <c>BytesTransferred</c>. Multi-byte reads are one bus
    /// transaction (register address write, repeated start, burst read) so that the bytes of one
    /// sample come from the same sensor update.
    /// </remarks>
    public interface IRegisterBus
    {
        /// <summary>Writes one byte to a register (one transaction: address, register, value).</summary>
        /// <param name="register">Register address.</param>
        /// <param name="value">Value to write.</param>
        /// <exception cref="System.IO.IOException">The device did not acknowledge, or the transfer was cut short.</exception>
        void WriteRegister(byte register, byte value);

        /// <summary>Reads one register.</summary>
        /// <param name="register">Register address.</param>
        /// <returns>The register's value.</returns>
        /// <exception cref="System.IO.IOException">The device did not acknowledge, or no byte was returned.</exception>
        byte ReadRegister(byte register);

        /// <summary>
        /// Burst-reads <paramref name="count"/> bytes starting at <paramref name="firstRegister"/>
        /// into <paramref name="buffer"/> at <paramref name="offset"/>, in one transaction. Which
        /// registers follow the first is the device's business (MPU-6050/6886 auto-increment the
        /// address, except at FIFO_R_W where every byte pops the FIFO).
        /// </summary>
        /// <param name="firstRegister">Address of the first register to read.</param>
        /// <param name="buffer">Destination; not allocated by the implementation.</param>
        /// <param name="offset">Index in <paramref name="buffer"/> of the first byte.</param>
        /// <param name="count">Number of bytes to read; at least 1.</param>
        /// <exception cref="System.ArgumentNullException"><paramref name="buffer"/> is null.</exception>
        /// <exception cref="System.ArgumentOutOfRangeException">
        /// <paramref name="offset"/> or <paramref name="count"/> do not describe a non-empty range inside <paramref name="buffer"/>.
        /// </exception>
        /// <exception cref="System.IO.IOException">The device did not acknowledge, or fewer than <paramref name="count"/> bytes arrived.</exception>
        void ReadRegisters(byte firstRegister, byte[] buffer, int offset, int count);
    }
}
