using System;
using System.Device.I2c;
using System.IO;
using NanoRnn.Sensors;

namespace NanoRnn.App
{
    /// <summary>
    /// nanoFramework's <see cref="I2cDevice"/> as the drivers' <see cref="IRegisterBus"/>. I2cDevice
    /// reports failures in its <see cref="I2cTransferResult"/> instead of throwing, so every transfer
    /// is checked and a failure becomes one <see cref="IOException"/> naming the address, the register
    /// and the status. Buffers are allocated once; <see cref="SpanByte"/> is a struct.
    /// </summary>
    internal sealed class I2cRegisterBus : IRegisterBus
    {
        private readonly I2cDevice _device;
        private readonly byte _address;
        private readonly byte[] _register = new byte[1];
        private readonly byte[] _registerAndValue = new byte[2];
        private readonly byte[] _one = new byte[1];

        public I2cRegisterBus(I2cDevice device, byte address)
        {
            _device = device;
            _address = address;
        }

        public void WriteRegister(byte register, byte value)
        {
            _registerAndValue[0] = register;
            _registerAndValue[1] = value;
            Check(_device.Write(new SpanByte(_registerAndValue)), register, "write");
        }

        public byte ReadRegister(byte register)
        {
            ReadRegisters(register, _one, 0, 1);
            return _one[0];
        }

        public void ReadRegisters(byte firstRegister, byte[] buffer, int offset, int count)
        {
            _register[0] = firstRegister;
            Check(_device.WriteRead(new SpanByte(_register), new SpanByte(buffer, offset, count)), firstRegister, "read");
        }

        private void Check(I2cTransferResult result, byte register, string what)
        {
            if (result.Status != I2cTransferStatus.FullTransfer)
            {
                throw new IOException("I2C 0x" + _address.ToString("X2") + " register 0x" + register.ToString("X2")
                    + ": " + what + " failed (" + StatusName(result.Status) + ", " + result.BytesTransferred + " bytes)");
            }
        }

        private static string StatusName(I2cTransferStatus status)
        {
            switch (status)
            {
                case I2cTransferStatus.SlaveAddressNotAcknowledged: return "address not acknowledged: is the sensor connected?";
                case I2cTransferStatus.PartialTransfer: return "partial transfer";
                case I2cTransferStatus.ClockStretchTimeout: return "clock stretch timeout";
                default: return "unknown error";
            }
        }
    }
}
