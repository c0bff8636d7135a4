using System;
using System.Device.I2c;
using System.IO;
using nanoFramework.Hardware.Esp32;
using NanoRnn.Sensors;

namespace NanoRnn.App
{
    /// <summary>
    /// nanoFramework's <see cref="I2cDevice"/> as the drivers' <see cref="IRegisterBus"/>. The bus is
    /// opened (pins routed, device created) on the first transfer and again after a failed opening, so
    /// a bus that cannot be opened is a sensor fault like a NACK, reported and retried, not an end.
    /// I2cDevice reports most failures in its <see cref="I2cTransferResult"/>, so every transfer is
    /// checked (status and byte count); whatever it throws instead becomes the same one
    /// <see cref="IOException"/>, naming the address, the register and what happened. The transfer
    /// buffers are allocated once here; <see cref="SpanByte"/> is a struct, so a call allocates
    /// nothing unless it fails.
    /// </summary>
    /// <remarks>
    /// On ESP32, <c>BytesTransferred</c> is the write length plus the read length after a full
    /// transfer and 0 otherwise; any NACK (address or data) is reported as
    /// <see cref="I2cTransferStatus.SlaveAddressNotAcknowledged"/> and a bus timeout as
    /// <see cref="I2cTransferStatus.ClockStretchTimeout"/>, while other ESP-IDF errors throw
    /// <c>InvalidOperationException</c> and a failed allocation <c>OutOfMemoryException</c> (nf-interpreter,
    /// targets/ESP32/_nanoCLR/System.Device.I2c/sys_dev_i2c_native_System_Device_I2c_I2cDevice.cpp).
    /// A POSIX nanoCLR has no I2C or pin routing: opening throws there, every time.
    /// </remarks>
    internal sealed class I2cRegisterBus : IRegisterBus
    {
        private readonly int _busId;
        private readonly int _address;
        private readonly int _dataPin;
        private readonly int _clockPin;
        private readonly byte[] _register = new byte[1];          // register address of a read
        private readonly byte[] _registerAndValue = new byte[2];  // register address, value of a write
        private readonly byte[] _one = new byte[1];               // ReadRegister's destination
        private I2cDevice _device;

        /// <summary>A bus to open on first use.</summary>
        /// <param name="busId">1 (I2C1) or 2 (I2C2).</param>
        /// <param name="address">The 7-bit device address.</param>
        /// <param name="dataPin">The GPIO to route SDA to.</param>
        /// <param name="clockPin">The GPIO to route SCL to.</param>
        public I2cRegisterBus(int busId, int address, int dataPin, int clockPin)
        {
            _busId = busId;
            _address = address;
            _dataPin = dataPin;
            _clockPin = clockPin;
        }

        public void WriteRegister(byte register, byte value)
        {
            I2cDevice device = Open();
            _registerAndValue[0] = register;
            _registerAndValue[1] = value;
            I2cTransferResult result;
            try
            {
                result = device.Write(new SpanByte(_registerAndValue));
            }
            catch (Exception e)
            {
                throw Failure(e, register, "writing");
            }

            Check(result, 2, register, "writing");
        }

        public byte ReadRegister(byte register)
        {
            ReadRegisters(register, _one, 0, 1);
            return _one[0];
        }

        public void ReadRegisters(byte firstRegister, byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException("buffer");
            if (offset < 0 || count < 1 || offset > buffer.Length - count)
            {
                throw new ArgumentOutOfRangeException("count", "offset and count must describe a non-empty range inside buffer");
            }

            I2cDevice device = Open();

            // One transaction: register address, repeated start, burst read.
            _register[0] = firstRegister;
            I2cTransferResult result;
            try
            {
                result = device.WriteRead(new SpanByte(_register), new SpanByte(buffer, offset, count));
            }
            catch (Exception e)
            {
                throw Failure(e, firstRegister, "reading");
            }

            Check(result, 1 + count, firstRegister, "reading");
        }

        // The ESP32 routes any GPIO to either I2C controller; the pins must be set before the device is created.
        private I2cDevice Open()
        {
            if (_device != null)
            {
                return _device;
            }

            try
            {
                bool second = _busId == 2;
                Configuration.SetPinFunction(_dataPin, second ? DeviceFunction.I2C2_DATA : DeviceFunction.I2C1_DATA);
                Configuration.SetPinFunction(_clockPin, second ? DeviceFunction.I2C2_CLOCK : DeviceFunction.I2C1_CLOCK);
                _device = I2cDevice.Create(new I2cConnectionSettings(_busId, _address, I2cBusSpeed.FastMode));
                return _device;
            }
            catch (Exception e)
            {
                throw new IOException("I2C" + _busId + " on SDA GPIO" + _dataPin + ", SCL GPIO" + _clockPin + " cannot be opened: " + Describe(e));
            }
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

        // What the native driver threw instead of returning a status: a bus failure like the others, so the supervisor retries it.
        private IOException Failure(Exception e, byte register, string action)
        {
            return new IOException("I2C device 0x" + ((byte)_address).ToString("X2") + ": " + Describe(e) + " " + action
                + " register 0x" + register.ToString("X2"));
        }

        private static string Describe(Exception e)
        {
            string name = e.GetType().Name;
            string message = e.Message;
            return message == null || message.Length == 0 || message.IndexOf(name) >= 0 ? name : name + " (" + message + ")";
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
