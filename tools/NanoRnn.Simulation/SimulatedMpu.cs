using System;
using System.IO;
using NanoRnn.Sensors;

namespace NanoRnn.Simulation
{
    /// <summary>
    /// A register-level MPU-6050, MPU-6500 or MPU-6886 behind an <see cref="IRegisterBus"/>: a 128-byte register
    /// file with the datasheets' reset values, a sample clock paced by SMPLRT_DIV / CONFIG / GYRO_CONFIG,
    /// data registers and a FIFO (1024 bytes; 512 on the MPU-6500) fed from an <see cref="IMotionSource"/>, INT_STATUS and an
    /// INT pin, and scriptable faults: NACK, bus timeout, short read, frozen outputs, reset to defaults
    /// mid-stream, unplugging and plugging back (power-on state), another chip's WHO_AM_I (poke it). Drivers under test
    /// cannot tell it from the chip for everything listed in README.md.
    /// </summary>
    /// <remarks>
    /// The register addresses and bits here are written from the datasheets independently of the
    /// driver's (NanoRnn.Sensors keeps its own internal): a test double that shared the driver's
    /// constants would agree with a wrong address instead of catching it. Firmware-subset C#: no
    /// generics, no Math, nothing allocated after construction.
    /// </remarks>
    public sealed class SimulatedMpu : IRegisterBus
    {
        /// <summary>FIFO size in bytes of the MPU-6050 and MPU-6886, the largest; <see cref="FifoBytes"/> is this chip's.</summary>
        public const int FifoCapacity = 1024;

        // Register addresses: RM-MPU-6000A-00 rev 4.2 section 3; MPU-6886 DS-000193 rev 1.1.
        private const byte SMPLRT_DIV = 0x19;
        private const byte CONFIG = 0x1A;
        private const byte GYRO_CONFIG = 0x1B;
        private const byte FIFO_EN = 0x23;
        private const byte INT_PIN_CFG = 0x37;
        private const byte INT_ENABLE = 0x38;
        private const byte INT_STATUS = 0x3A;
        private const byte ACCEL_XOUT_H = 0x3B;   // 14 data bytes to GYRO_ZOUT_L = 0x48
        private const byte GYRO_ZOUT_L = 0x48;
        private const byte SIGNAL_PATH_RESET = 0x68;
        private const byte ACCEL_INTEL_CTRL = 0x69;   // MPU-6886
        private const byte USER_CTRL = 0x6A;
        private const byte PWR_MGMT_1 = 0x6B;
        private const byte FIFO_COUNTH = 0x72;
        private const byte FIFO_COUNTL = 0x73;
        private const byte FIFO_R_W = 0x74;
        private const byte WHO_AM_I = 0x75;
        private const int RegisterCount = 0x80;

        // Bits.
        private const byte CONFIG_FIFO_MODE = 0x40;        // MPU-6886: 1 = drop new data when full
        private const byte CONFIG_DLPF_CFG = 0x07;
        private const byte GYRO_CONFIG_FCHOICE_B = 0x03;   // MPU-6886
        private const byte FIFO_EN_TEMP = 0x80;            // MPU-6050
        private const byte FIFO_EN_XG = 0x40;              // MPU-6050
        private const byte FIFO_EN_YG = 0x20;              // MPU-6050
        private const byte FIFO_EN_ZG = 0x10;              // MPU-6050; GYRO_FIFO_EN (all axes) on the MPU-6886
        private const byte FIFO_EN_ACCEL = 0x08;
        private const byte INT_LEVEL = 0x80;               // INT_PIN_CFG: active low
        private const byte INT_RD_CLEAR = 0x10;            // INT_PIN_CFG: any read clears INT_STATUS
        private const byte FIFO_OFLOW = 0x10;              // INT_ENABLE / INT_STATUS
        private const byte DATA_RDY = 0x01;                // INT_ENABLE / INT_STATUS
        private const byte USER_CTRL_FIFO_EN = 0x40;
        private const byte USER_CTRL_FIFO_RESET = 0x04;
        private const byte USER_CTRL_SIG_COND_RESET = 0x01;
        private const byte USER_CTRL_SELF_CLEARING = 0x07;
        private const byte PWR_MGMT_1_DEVICE_RESET = 0x80;
        private const byte PWR_MGMT_1_SLEEP = 0x40;
        private const byte ACCEL_INTEL_CTRL_OUTPUT_LIMIT = 0x02;   // MPU-6886: 0 limits outputs below 0x7F7F
        private const short LimitedMaximum = 0x7F7E;
        private const short LimitedMinimum = -0x7F7F;

        private const long NanosecondsAt8kHz = 125000;
        private const long NanosecondsAt1kHz = 1000000;
        private const long NanosecondsAt32kHz = 31250;

        private readonly SimulatedMpuModel _model;
        private readonly int _fifoBytes;
        private readonly byte _address;
        private readonly IMotionSource _source;
        private readonly SimulatedPin _interruptPin = new SimulatedPin();
        private readonly byte[] _registers = new byte[RegisterCount];
        private readonly byte[] _fifo = new byte[FifoCapacity];
        private readonly short[] _counts = new short[6];
        private readonly byte[] _frame = new byte[14];

        private int _fifoHead;          // index of the oldest byte
        private int _fifoCount;
        private byte _lastFifoByte;     // what FIFO_R_W returns when empty
        private int _latchedFifoCount;  // FIFO_COUNTH latches both halves
        private byte _interruptStatus;

        private long _clockNanoseconds;
        private long _nextSampleNanoseconds;
        private long _resetAtNanoseconds = -1;
        private int _sampleIndex;
        private int _fifoOverflows;
        private short _temperatureRaw;

        private bool _connected = true;
        private int _failuresPending;
        private int _timeoutsPending;
        private bool _frozen;
        private int _shortReadBytes = -1;
        private int _transfers;

        /// <summary>Creates a chip at I2C address 0x68 in its power-on state (asleep).</summary>
        /// <param name="model">Which chip to behave as.</param>
        /// <param name="source">The motion to measure; null measures zeros.</param>
        public SimulatedMpu(SimulatedMpuModel model, IMotionSource source)
            : this(model, source, 0x68)
        {
        }

        /// <summary>Creates a chip in its power-on state (asleep).</summary>
        /// <param name="model">Which chip to behave as.</param>
        /// <param name="source">The motion to measure; null measures zeros.</param>
        /// <param name="address">7-bit I2C address, named in error messages (0x68, or 0x69 for an MPU-6050 with AD0 high).</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="model"/> is not a <see cref="SimulatedMpuModel"/> member.</exception>
        public SimulatedMpu(SimulatedMpuModel model, IMotionSource source, byte address)
        {
            if (model != SimulatedMpuModel.Mpu6050 && model != SimulatedMpuModel.Mpu6500 && model != SimulatedMpuModel.Mpu6886)
            {
                throw new ArgumentOutOfRangeException("model");
            }

            _model = model;
            _source = source;
            _address = address;
            _fifoBytes = model == SimulatedMpuModel.Mpu6500 ? 512 : FifoCapacity;
            _temperatureRaw = model == SimulatedMpuModel.Mpu6050 ? (short)-4260 : model == SimulatedMpuModel.Mpu6500 ? (short)1300 : (short)0; // 24-25 °C
            ResetToDefaults();
        }

        /// <summary>Bytes this chip's FIFO holds: 512 on the MPU-6500, else 1024.</summary>
        public int FifoBytes
        {
            get { return _fifoBytes; }
        }

        /// <summary>The chip being simulated.</summary>
        public SimulatedMpuModel Model
        {
            get { return _model; }
        }

        /// <summary>The 7-bit I2C address named in error messages.</summary>
        public byte Address
        {
            get { return _address; }
        }

        /// <summary>
        /// The INT pin: active while any enabled INT_STATUS flag is set, at the polarity INT_PIN_CFG
        /// INT_LEVEL selects. It behaves as if LATCH_INT_EN were set: the 50 µs pulse of unlatched mode
        /// is not modelled.
        /// </summary>
        public SimulatedPin InterruptPin
        {
            get { return _interruptPin; }
        }

        /// <summary>TEMP_OUT written with every sample (default: about 25 °C for the model).</summary>
        public short TemperatureRaw
        {
            get { return _temperatureRaw; }
            set { _temperatureRaw = value; }
        }

        /// <summary>Simulated time since construction, in microseconds.</summary>
        public long ElapsedMicroseconds
        {
            get { return _clockNanoseconds / 1000; }
        }

        /// <summary>Samples taken so far; the next sample asks the motion source for this index.</summary>
        public int SamplesTaken
        {
            get { return _sampleIndex; }
        }

        /// <summary>Bytes now in the FIFO (a test's view: no latch, no side effect).</summary>
        public int FifoCount
        {
            get { return _fifoCount; }
        }

        /// <summary>How many samples have found the FIFO full.</summary>
        public int FifoOverflows
        {
            get { return _fifoOverflows; }
        }

        /// <summary>Bus transactions so far (each <see cref="IRegisterBus"/> call is one), failed ones included.</summary>
        public int Transfers
        {
            get { return _transfers; }
        }

        /// <summary>false makes every transfer fail as if nothing answered at the address.</summary>
        public bool Connected
        {
            get { return _connected; }
            set { _connected = value; }
        }

        /// <summary>The next <paramref name="count"/> transfers are not acknowledged (IOException, no side effect).</summary>
        /// <param name="count">How many transfers fail.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
        public void FailNextTransfers(int count)
        {
            if (count < 0)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            _failuresPending = count;
        }

        /// <summary>
        /// The next <paramref name="count"/> transfers time out (a slave holding SCL low past the host's
        /// timeout): IOException, no side effect.
        /// </summary>
        /// <param name="count">How many transfers time out.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
        public void TimeOutNextTransfers(int count)
        {
            if (count < 0)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            _timeoutsPending = count;
        }

        /// <summary>Disconnects the chip: every transfer fails as if nothing answered (<see cref="Connected"/> = false).</summary>
        public void Unplug()
        {
            _connected = false;
        }

        /// <summary>
        /// Connects the chip again as a freshly powered one: every register at its power-on value
        /// (<see cref="ResetToDefaults"/>: asleep, FIFO disabled and empty) and outputs no longer frozen.
        /// </summary>
        public void Plug()
        {
            ResetToDefaults();
            _connected = true;
        }

        /// <summary>
        /// While true, every sample repeats the previous one's counts without asking the motion source
        /// (a stuck sensor). Cleared by a reset to power-on values (<see cref="ResetToDefaults"/>, PWR_MGMT_1
        /// DEVICE_RESET, <see cref="Plug"/>): the simulation's model of a chip that a reset revives.
        /// </summary>
        public bool FrozenOutputs
        {
            get { return _frozen; }
            set { _frozen = value; }
        }

        /// <summary>
        /// The next <see cref="ReadRegisters"/> delivers only <paramref name="bytesDelivered"/> bytes (with
        /// their side effects: FIFO bytes are popped) and then fails with an IOException.
        /// </summary>
        /// <param name="bytesDelivered">Bytes delivered before the transfer stops.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytesDelivered"/> is negative.</exception>
        public void ShortenNextRead(int bytesDelivered)
        {
            if (bytesDelivered < 0)
            {
                throw new ArgumentOutOfRangeException("bytesDelivered");
            }

            _shortReadBytes = bytesDelivered;
        }

        /// <summary>A register's value as the chip holds it, without the side effects of a bus read.</summary>
        /// <param name="register">Address, 0x00..0x7F.</param>
        /// <returns>The stored value (INT_STATUS: the pending flags; FIFO_R_W: the last byte popped).</returns>
        /// <exception cref="ArgumentOutOfRangeException">Address above 0x7F.</exception>
        public byte PeekRegister(byte register)
        {
            CheckRegister(register);
            if (register == INT_STATUS)
            {
                return _interruptStatus;
            }

            return register == FIFO_R_W ? _lastFifoByte : _registers[register];
        }

        /// <summary>
        /// Sets a register's stored value directly, without the side effects of a bus write and even if
        /// it is read-only (for example to put known bytes in the data registers).
        /// </summary>
        /// <param name="register">Address, 0x00..0x7F.</param>
        /// <param name="value">Value to store.</param>
        /// <exception cref="ArgumentOutOfRangeException">Address above 0x7F.</exception>
        public void PokeRegister(byte register, byte value)
        {
            CheckRegister(register);
            if (register == INT_STATUS)
            {
                _interruptStatus = value;
                UpdateInterruptPin();
            }
            else
            {
                _registers[register] = value;
            }
        }

        /// <summary>
        /// Puts every register back to its power-on value and empties the FIFO, as after a brown-out or
        /// PWR_MGMT_1 DEVICE_RESET: MPU-6050 PWR_MGMT_1 = 0x40 and WHO_AM_I = 0x68, everything else 0
        /// (RM-MPU-6000A rev 4.2 p. 8); MPU-6886 PWR_MGMT_1 = 0x41, CONFIG = 0x80, WHO_AM_I = 0x19.
        /// The chip is then asleep. The clock and the sample index go on.
        /// </summary>
        public void ResetToDefaults()
        {
            Array.Clear(_registers, 0, RegisterCount);
            if (_model == SimulatedMpuModel.Mpu6050)
            {
                _registers[PWR_MGMT_1] = 0x40;
                _registers[WHO_AM_I] = 0x68;
            }
            else if (_model == SimulatedMpuModel.Mpu6500)
            {
                // RM-MPU-6500A rev 2.1: PWR_MGMT_1 resets to 0x01 (awake, CLKSEL auto), WHO_AM_I 0x70.
                _registers[PWR_MGMT_1] = 0x01;
                _registers[WHO_AM_I] = 0x70;
            }
            else
            {
                _registers[PWR_MGMT_1] = 0x41;
                _registers[CONFIG] = 0x80;
                _registers[WHO_AM_I] = 0x19;
            }

            ClearFifo();
            _frozen = false;
            _lastFifoByte = 0;
            _latchedFifoCount = 0;
            _interruptStatus = 0;
            UpdateInterruptPin();
        }

        /// <summary>
        /// Makes the chip reset to its power-on values (<see cref="ResetToDefaults"/>) when the simulated
        /// clock reaches <paramref name="atMicroseconds"/> during a later <see cref="AdvanceMicroseconds"/>:
        /// samples due before then are taken, later ones are not (the chip is asleep after the reset).
        /// </summary>
        /// <param name="atMicroseconds">Simulated time of the reset, not before now.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="atMicroseconds"/> is in the past.</exception>
        public void ScheduleResetToDefaults(long atMicroseconds)
        {
            if (atMicroseconds * 1000 < _clockNanoseconds)
            {
                throw new ArgumentOutOfRangeException("atMicroseconds", "the simulated clock is already past " + atMicroseconds + " us");
            }

            _resetAtNanoseconds = atMicroseconds * 1000;
        }

        /// <summary>
        /// Runs the simulated clock forward. While awake (PWR_MGMT_1 SLEEP clear) the chip takes a sample
        /// every sample period: asks the motion source, updates ACCEL/TEMP/GYRO_OUT, flags DATA_RDY_INT,
        /// and if USER_CTRL FIFO_EN is set appends the FIFO_EN-selected bytes to the FIFO, flagging
        /// FIFO_OFLOW_INT when it is full (flags are set only for sources enabled in INT_ENABLE).
        /// Sample period: MPU-6050 (1 + SMPLRT_DIV) × (125 µs with DLPF_CFG 0 or 7, else 1 ms);
        /// MPU-6886 31.25 µs with FCHOICE_B ≠ 0, 125 µs with DLPF_CFG 0 or 7 (divider bypassed), else
        /// (1 + SMPLRT_DIV) ms. The first sample comes one period after waking or after a write to
        /// SMPLRT_DIV, CONFIG or GYRO_CONFIG (which restarts the sample timer).
        /// </summary>
        /// <param name="microseconds">Time to advance, not negative.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="microseconds"/> is negative.</exception>
        public void AdvanceMicroseconds(int microseconds)
        {
            if (microseconds < 0)
            {
                throw new ArgumentOutOfRangeException("microseconds");
            }

            AdvanceNanoseconds((long)microseconds * 1000);
        }

        /// <summary>
        /// Advances the clock by <paramref name="samples"/> sample periods at the current configuration,
        /// so that an awake chip takes exactly that many samples (see <see cref="AdvanceMicroseconds"/>).
        /// </summary>
        /// <param name="samples">Number of periods, not negative.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is negative.</exception>
        public void AdvanceSamples(int samples)
        {
            if (samples < 0)
            {
                throw new ArgumentOutOfRangeException("samples");
            }

            AdvanceNanoseconds(samples * SamplePeriodNanoseconds());
        }

        /// <summary>The current sample period, as the configuration registers set it.</summary>
        /// <returns>Nanoseconds between samples.</returns>
        public long SamplePeriodNanoseconds()
        {
            int dlpf = _registers[CONFIG] & CONFIG_DLPF_CFG;
            bool filterOff = dlpf == 0 || dlpf == 7;
            if (_model != SimulatedMpuModel.Mpu6050)
            {
                if ((_registers[GYRO_CONFIG] & GYRO_CONFIG_FCHOICE_B) != 0)
                {
                    return NanosecondsAt32kHz;
                }

                if (filterOff)
                {
                    return NanosecondsAt8kHz;
                }
            }

            return (filterOff ? NanosecondsAt8kHz : NanosecondsAt1kHz) * (1 + _registers[SMPLRT_DIV]);
        }

        /// <summary>Writes one register, with the chip's side effects (resets, wake-up).</summary>
        /// <param name="register">Register address.</param>
        /// <param name="value">Value.</param>
        /// <exception cref="IOException">Injected NACK, disconnected, or an address above 0x7F.</exception>
        public void WriteRegister(byte register, byte value)
        {
            BeginTransfer("writing", register);
            switch (register)
            {
                case INT_STATUS:
                case FIFO_COUNTH:
                case FIFO_COUNTL:
                case WHO_AM_I:
                    return; // read-only
                case FIFO_R_W:
                    return; // writing into the FIFO is not modelled
                case PWR_MGMT_1:
                    WritePowerManagement1(value);
                    return;
                case USER_CTRL:
                    WriteUserControl(value);
                    return;
                case SIGNAL_PATH_RESET:
                    return; // self-clearing reset bits
            }

            if (register >= ACCEL_XOUT_H && register <= GYRO_ZOUT_L)
            {
                return; // read-only data registers
            }

            _registers[register] = value;
            if (register == INT_ENABLE || register == INT_PIN_CFG)
            {
                UpdateInterruptPin();
            }
            else if ((register == SMPLRT_DIV || register == CONFIG || register == GYRO_CONFIG) && IsAwake)
            {
                // A new rate restarts the sample timer: the next sample is one new period away.
                _nextSampleNanoseconds = _clockNanoseconds + SamplePeriodNanoseconds();
            }
        }

        /// <summary>Reads one register, with the chip's side effects (INT_STATUS clears, FIFO pops).</summary>
        /// <param name="register">Register address.</param>
        /// <returns>The value.</returns>
        /// <exception cref="IOException">Injected NACK, disconnected, or an address above 0x7F.</exception>
        public byte ReadRegister(byte register)
        {
            BeginTransfer("reading", register);
            if (_shortReadBytes == 0)
            {
                _shortReadBytes = -1;
                throw ShortRead(register, 0, 1);
            }

            _shortReadBytes = -1;
            return ReadOne(register);
        }

        /// <summary>
        /// Burst read: the address auto-increments after each byte except at FIFO_R_W, where every byte
        /// pops the FIFO (RM-MPU-6000A rev 4.2 section 4.31).
        /// </summary>
        /// <param name="firstRegister">First register.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">First index in <paramref name="buffer"/>.</param>
        /// <param name="count">Bytes to read, at least 1.</param>
        /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range is empty or outside <paramref name="buffer"/>.</exception>
        /// <exception cref="IOException">Injected NACK or short read, disconnected, or the burst runs past 0x7F.</exception>
        public void ReadRegisters(byte firstRegister, byte[] buffer, int offset, int count)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException("buffer");
            }

            if (count < 1 || offset < 0 || offset > buffer.Length - count)
            {
                throw new ArgumentOutOfRangeException("count", "cannot read " + count + " bytes into a " + buffer.Length + "-byte buffer at offset " + offset);
            }

            BeginTransfer("reading", firstRegister);
            int deliver = count;
            if (_shortReadBytes >= 0 && _shortReadBytes < count)
            {
                deliver = _shortReadBytes;
            }

            _shortReadBytes = -1;
            int register = firstRegister;
            for (int i = 0; i < deliver; i++)
            {
                if (register >= RegisterCount)
                {
                    throw new IOException(Describe() + ": burst read from register 0x" + firstRegister.ToString("X2") + " ran past 0x7F");
                }

                buffer[offset + i] = ReadOne((byte)register);
                if (register != FIFO_R_W)
                {
                    register++;
                }
            }

            if (deliver < count)
            {
                throw ShortRead(firstRegister, deliver, count);
            }
        }

        private void AdvanceNanoseconds(long nanoseconds)
        {
            long end = _clockNanoseconds + nanoseconds;
            while (true)
            {
                long next = IsAwake ? _nextSampleNanoseconds : long.MaxValue;
                if (_resetAtNanoseconds >= 0 && _resetAtNanoseconds <= end && _resetAtNanoseconds <= next)
                {
                    _clockNanoseconds = _resetAtNanoseconds;
                    _resetAtNanoseconds = -1;
                    ResetToDefaults();
                    continue;
                }

                if (next > end)
                {
                    break;
                }

                _clockNanoseconds = next;
                TakeSample();
                _nextSampleNanoseconds = _clockNanoseconds + SamplePeriodNanoseconds();
            }

            _clockNanoseconds = end;
        }

        private bool IsAwake
        {
            get { return (_registers[PWR_MGMT_1] & PWR_MGMT_1_SLEEP) == 0; }
        }

        private void BeginTransfer(string action, byte register)
        {
            _transfers++;
            if (!_connected)
            {
                throw new IOException("I2C device 0x" + _address.ToString("X2") + " did not acknowledge (NACK) " + action + " register 0x" + register.ToString("X2") + ": nothing at that address (simulated " + ModelName() + " disconnected)");
            }

            if (_failuresPending > 0)
            {
                _failuresPending--;
                throw new IOException("I2C device 0x" + _address.ToString("X2") + " did not acknowledge (NACK) " + action + " register 0x" + register.ToString("X2") + " (simulated " + ModelName() + ", injected fault)");
            }

            if (_timeoutsPending > 0)
            {
                _timeoutsPending--;
                throw new IOException("I2C device 0x" + _address.ToString("X2") + ": bus timeout " + action + " register 0x" + register.ToString("X2") + " (simulated " + ModelName() + ", injected fault)");
            }

            if (register >= RegisterCount)
            {
                throw new IOException("I2C device 0x" + _address.ToString("X2") + " did not acknowledge (NACK) " + action + " register 0x" + register.ToString("X2") + ": no such register on the " + ModelName());
            }
        }

        private IOException ShortRead(byte register, int delivered, int requested)
        {
            return new IOException("I2C device 0x" + _address.ToString("X2") + ": short read from register 0x" + register.ToString("X2") + ", " + delivered + " of " + requested + " bytes (simulated " + ModelName() + ", injected fault)");
        }

        private byte ReadOne(byte register)
        {
            byte value;
            switch (register)
            {
                case INT_STATUS:
                    value = _interruptStatus;
                    _interruptStatus = 0;
                    UpdateInterruptPin();
                    return value;
                case FIFO_COUNTH:
                    _latchedFifoCount = _fifoCount;
                    value = (byte)(_latchedFifoCount >> 8);
                    break;
                case FIFO_COUNTL:
                    value = (byte)_latchedFifoCount;
                    break;
                case FIFO_R_W:
                    // An empty FIFO repeats the last byte read (RM-MPU-6000A rev 4.2 section 4.31).
                    if (_fifoCount > 0)
                    {
                        _lastFifoByte = _fifo[_fifoHead];
                        _fifoHead = (_fifoHead + 1) % _fifoBytes;
                        _fifoCount--;
                    }

                    value = _lastFifoByte;
                    break;
                default:
                    value = _registers[register];
                    break;
            }

            if ((_registers[INT_PIN_CFG] & INT_RD_CLEAR) != 0 && _interruptStatus != 0)
            {
                _interruptStatus = 0;
                UpdateInterruptPin();
            }

            return value;
        }

        private void WritePowerManagement1(byte value)
        {
            if ((value & PWR_MGMT_1_DEVICE_RESET) != 0)
            {
                ResetToDefaults();
                return;
            }

            bool wasAwake = IsAwake;
            _registers[PWR_MGMT_1] = value;
            if (!wasAwake && IsAwake)
            {
                _nextSampleNanoseconds = _clockNanoseconds + SamplePeriodNanoseconds();
            }
        }

        private void WriteUserControl(byte value)
        {
            if ((value & USER_CTRL_FIFO_RESET) != 0)
            {
                // MPU-6050: "resets the FIFO buffer when set to 1 while FIFO_EN equals 0" (rev 4.2 section 4.27).
                if (_model != SimulatedMpuModel.Mpu6050 || (value & USER_CTRL_FIFO_EN) == 0)
                {
                    ClearFifo();
                }
            }

            if ((value & USER_CTRL_SIG_COND_RESET) != 0)
            {
                Array.Clear(_registers, ACCEL_XOUT_H, GYRO_ZOUT_L - ACCEL_XOUT_H + 1);
            }

            _registers[USER_CTRL] = (byte)(value & ~USER_CTRL_SELF_CLEARING);
        }

        private void TakeSample()
        {
            short[] counts = _counts;
            if (_source != null && !_frozen)
            {
                _source.Sample(_sampleIndex, counts);
            }

            _sampleIndex++;
            if (_model == SimulatedMpuModel.Mpu6886 && (_registers[ACCEL_INTEL_CTRL] & ACCEL_INTEL_CTRL_OUTPUT_LIMIT) == 0)
            {
                // Without OUTPUT_LIMIT the chip limits its outputs below 0x7F7F (DS-000193, ACCEL_INTEL_CTRL).
                for (int i = 0; i < 6; i++)
                {
                    if (counts[i] > LimitedMaximum) counts[i] = LimitedMaximum;
                    else if (counts[i] < LimitedMinimum) counts[i] = LimitedMinimum;
                }
            }

            // ACCEL_XOUT_H .. GYRO_ZOUT_L: ax ay az temp gx gy gz, big-endian.
            byte[] frame = _frame;
            PutBigEndian(frame, 0, counts[0]);
            PutBigEndian(frame, 2, counts[1]);
            PutBigEndian(frame, 4, counts[2]);
            PutBigEndian(frame, 6, _temperatureRaw);
            PutBigEndian(frame, 8, counts[3]);
            PutBigEndian(frame, 10, counts[4]);
            PutBigEndian(frame, 12, counts[5]);
            Array.Copy(frame, 0, _registers, ACCEL_XOUT_H, 14);

            byte enabled = _registers[INT_ENABLE];
            if ((enabled & DATA_RDY) != 0)
            {
                _interruptStatus |= DATA_RDY;
            }

            if ((_registers[USER_CTRL] & USER_CTRL_FIFO_EN) != 0)
            {
                AppendToFifo(frame);
            }

            UpdateInterruptPin();
        }

        // Data goes into the FIFO in register order (rev 4.2 section 4.31): accel, temp, gyro x, y, z.
        private void AppendToFifo(byte[] frame)
        {
            byte selected = _registers[FIFO_EN];
            bool accel = (selected & FIFO_EN_ACCEL) != 0;
            bool temp;
            bool gx;
            bool gy;
            bool gz;
            if (_model != SimulatedMpuModel.Mpu6886)
            {
                temp = (selected & FIFO_EN_TEMP) != 0;
                gx = (selected & FIFO_EN_XG) != 0;
                gy = (selected & FIFO_EN_YG) != 0;
                gz = (selected & FIFO_EN_ZG) != 0;
            }
            else
            {
                // MPU-6886: GYRO_FIFO_EN covers all three axes, and TEMP_OUT comes with accel or gyro data.
                gx = gy = gz = (selected & FIFO_EN_ZG) != 0;
                temp = accel || gx;
            }

            bool overflowed = false;
            if (accel)
            {
                overflowed |= Push(frame, 0, 6);
            }

            if (temp)
            {
                overflowed |= Push(frame, 6, 2);
            }

            if (gx)
            {
                overflowed |= Push(frame, 8, 2);
            }

            if (gy)
            {
                overflowed |= Push(frame, 10, 2);
            }

            if (gz)
            {
                overflowed |= Push(frame, 12, 2);
            }

            if (overflowed)
            {
                _fifoOverflows++;
                if ((_registers[INT_ENABLE] & FIFO_OFLOW) != 0)
                {
                    _interruptStatus |= FIFO_OFLOW;
                }
            }
        }

        // Returns true when the FIFO was full: the oldest byte is lost (MPU-6050, and MPU-6886 with
        // FIFO_MODE = 0) or the new one is dropped (MPU-6886 with FIFO_MODE = 1).
        private bool Push(byte[] source, int offset, int length)
        {
            bool overflowed = false;
            bool dropNew = _model != SimulatedMpuModel.Mpu6050 && (_registers[CONFIG] & CONFIG_FIFO_MODE) != 0;
            for (int i = 0; i < length; i++)
            {
                if (_fifoCount == _fifoBytes)
                {
                    overflowed = true;
                    if (dropNew)
                    {
                        continue;
                    }

                    _fifoHead = (_fifoHead + 1) % _fifoBytes;
                    _fifoCount--;
                }

                _fifo[(_fifoHead + _fifoCount) % _fifoBytes] = source[offset + i];
                _fifoCount++;
            }

            return overflowed;
        }

        private void ClearFifo()
        {
            _fifoHead = 0;
            _fifoCount = 0;
        }

        private void UpdateInterruptPin()
        {
            bool active = (_interruptStatus & _registers[INT_ENABLE]) != 0;
            bool activeLow = (_registers[INT_PIN_CFG] & INT_LEVEL) != 0;
            _interruptPin.Level = activeLow ? !active : active;
        }

        private static void PutBigEndian(byte[] buffer, int index, short value)
        {
            buffer[index] = (byte)(value >> 8);
            buffer[index + 1] = (byte)value;
        }

        private static void CheckRegister(byte register)
        {
            if (register >= RegisterCount)
            {
                throw new ArgumentOutOfRangeException("register", "registers are 0x00..0x7F");
            }
        }

        private string ModelName()
        {
            return _model == SimulatedMpuModel.Mpu6050 ? "MPU-6050" : _model == SimulatedMpuModel.Mpu6500 ? "MPU-6500" : "MPU-6886";
        }

        private string Describe()
        {
            return "I2C device 0x" + _address.ToString("X2") + " (simulated " + ModelName() + ")";
        }
    }
}
