using System;
using System.Device.I2c;
using System.IO;
using NanoRnn.Sensors;

namespace NanoRnn.App
{
    /// <summary>
    /// nanoFramework's <see cref="I2cDevice"/> as the drivers' <see cref="IRegisterBus"/>. I2cDevice
    /// reports failures in its <see cref="I2cTransferResult"/> instead of throwing, so every transfer
    /// is checked (status and byte count) and a failure becomes one <see cref="IOException"/> naming
    /// the address, the register and the status. The transfer buffers are allocated once here;
    /// <see cref="SpanByte"/> is a struct, so a call allocates nothing unless it fails.
    /// </summary>
    /// <remarks>
    /// On ESP32, <c>BytesTransferred</c> is the write length plus the read length after a full
    /// transfer and 0 otherwise; any NACK (address or data) is reported as
    /// <see cref="I2cTransferStatus.SlaveAddressNotAcknowledged"/> and a bus timeout as
    /// <see cref="I2cTransferStatus.ClockStretchTimeout"/> (nf-interpreter,
    /// targets/ESP32/_nanoCLR/System.Device.I2c/sys_dev_i2c_native_System_Device_I2c_I2cDevice.cpp).
    /// </remarks>
    internal sealed class I2cRegisterBus : IRegisterBus
    {
        private readonly I2cDevice _device;
        private readonly int _address;
        private readonly byte[] _register = new byte[1];          // register address of a read
        private readonly byte[] _registerAndValue = new byte[2];  // register address, value of a write
        private readonly byte[] _one = new byte[1];               // ReadRegister's destination

        /// <summary>Wraps <paramref name="device"/>; the address in messages is its connection setting.</summary>
        /// <param name="device">The sensor's I2C device (bus and address already chosen).</param>
        /// <exception cref="ArgumentNullException"><paramref name="device"/> is null.</exception>
        public I2cRegisterBus(I2cDevice device)
        {
            if (device == null) throw new ArgumentNullException("device");
            _device = device;
            _address = device.ConnectionSettings.DeviceAddress;
        }

        /// <inheritdoc />
        public void WriteRegister(byte register, byte value)
        {
            _registerAndValue[0] = register;
            _registerAndValue[1] = value;
            Check(_device.Write(new SpanByte(_registerAndValue)), 2, register, "writing");
        }

        /// <inheritdoc />
        public byte ReadRegister(byte register)
        {
            ReadRegisters(register, _one, 0, 1);
            return _one[0];
        }

        /// <inheritdoc />
        public void ReadRegisters(byte firstRegister, byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException("buffer");
            if (offset < 0 || count < 1 || offset > buffer.Length - count)
            {
                throw new ArgumentOutOfRangeException("count", "offset and count must describe a non-empty range inside buffer");
            }

            // One transaction: register address, repeated start, burst read.
            _register[0] = firstRegister;
            Check(_device.WriteRead(new SpanByte(_register), new SpanByte(buffer, offset, count)), 1 + count, firstRegister, "reading");
        }

        private void Check(I2cTransferResult result, int expectedBytes, byte register, string action)
        {
            if (result.Status == I2cTransferStatus.FullTransfer && result.BytesTransferred == (uint)expectedBytes)
            {
                return;
            }

            throw new IOException("I2C device 0x" + ((byte)_address).ToString("X2") + ": " + Describe(result.Status)
                + " " + action + " register 0x" + register.ToString("X2") + " (" + result.BytesTransferred
                + " of " + expectedBytes + " bytes transferred)");
        }

        // Names spelled out: an enum's ToString() is not guaranteed to give its name on nanoFramework.
        private static string Describe(I2cTransferStatus status)
        {
            switch (status)
            {
                case I2cTransferStatus.FullTransfer: return "short transfer";
                case I2cTransferStatus.SlaveAddressNotAcknowledged: return "did not acknowledge (NACK; is the sensor connected, is the address right?)";
                case I2cTransferStatus.PartialTransfer: return "stopped acknowledging (partial transfer)";
                case I2cTransferStatus.ClockStretchTimeout: return "bus timeout (clock held low)";
                default: return "unknown I2C error";
            }
        }
    }
}
