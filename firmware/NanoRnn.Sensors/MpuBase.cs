using System;
using System.IO;
using System.Threading;

namespace NanoRnn.Sensors
{
    /// <summary>
    /// What the InvenSense MPU-6050, MPU-6500 and MPU-6886 have in common: power, full-scale ranges,
    /// digital low-pass filter, sample-rate divider, the 14-byte sample burst, the FIFO and the
    /// data-ready interrupt. Use <see cref="MpuChips.Open"/>, or <see cref="Mpu6050"/>, <see cref="Mpu6500"/>
    /// or <see cref="Mpu6886"/>; the chip-specific facts (WHO_AM_I, FIFO size and layout, filter and rate
    /// rules, output limit, temperature scale) are constructor
    /// arguments here rather than virtual methods, so no call on the sample path is virtual.
    /// </summary>
    /// <remarks>
    /// All methods talk to the chip through the <see cref="IRegisterBus"/> and let its
    /// <see cref="IOException"/> propagate. The driver keeps a copy of every configuration register
    /// it writes; <see cref="VerifyConfiguration"/> compares the chip against it, so that a sensor
    /// that browned out and came back with reset defaults is noticed, and
    /// <see cref="RestoreConfiguration"/> writes it back. Nothing on the sample path allocates.
    /// </remarks>
    public abstract class MpuBase
    {
        /// <summary>Counts per sample written by <see cref="ReadSample"/> and per FIFO frame by <see cref="TryReadFifoFrames"/>: ax, ay, az, gx, gy, gz.</summary>
        public const int AxesPerSample = 6;

        /// <summary>Size of the largest on-chip FIFO in bytes (MPU-6050, MPU-6886); <see cref="FifoCapacity"/> is this chip's.</summary>
        public const int FifoCapacityBytes = 1024;

        /// <summary>
        /// The gyroscope output rate with the low-pass filter on (DLPF_CFG 1..6), the rate the sample-rate
        /// divider divides, on every chip supported.
        /// </summary>
        public const int FilteredOutputRateHz = 1000;

        private const int SampleBurstLength = 14;   // ACCEL_XOUT_H .. GYRO_ZOUT_L: ax ay az t gx gy gz, big-endian
        private const int TemperatureOffsetInBurst = 6;
        private const int GyroscopeOffsetInBurst = 8;
        private const int FifoChunkFrames = 16;     // frames per I2C burst from FIFO_R_W; bounds the chunk buffer
        private const int ResetPollLimit = 100;     // 1 ms apart: the chips need well under 100 ms
        private const int FifoCountMask = 0x1FFF;   // MPU-6886 FIFO_COUNTH holds count[12:8]; harmless for the MPU-6050

        private static readonly short[] GyroscopeCountsPer10Dps = new short[] { 1310, 655, 328, 164 };

        private readonly IRegisterBus _bus;
        private readonly string _chipName;
        private readonly byte _expectedWhoAmI;
        private readonly byte _fifoEnableBits;
        private readonly int _fifoFrameSize;
        private readonly int _fifoCapacity;
        private readonly bool _hasOutputLimit;
        private readonly bool _hasAccelerometerConfiguration2;
        private readonly bool _dividerNeedsFilter;
        private readonly int _temperatureNumerator;
        private readonly int _temperatureDenominator;
        private readonly int _temperatureOffsetCentiCelsius;

        // Sample-path scratch, allocated once. _fifoChunk waits for EnableFifo so that a driver that
        // never uses the FIFO does not hold its buffer.
        private readonly byte[] _burst = new byte[SampleBurstLength];
        private readonly byte[] _twoBytes = new byte[2];
        private byte[] _fifoChunk;

        // The configuration registers this driver owns, as last written (or read at construction / reset).
        private byte _sampleRateDivider;        // SMPLRT_DIV
        private byte _configuration;            // CONFIG
        private byte _gyroscopeConfiguration;   // GYRO_CONFIG
        private byte _accelerometerConfiguration;  // ACCEL_CONFIG
        private byte _accelerometerConfiguration2; // ACCEL_CONFIG2 (MPU-6886 only)
        private byte _fifoEnable;               // FIFO_EN
        private byte _interruptPin;             // INT_PIN_CFG
        private byte _interruptEnable;          // INT_ENABLE
        private byte _userControl;              // USER_CTRL without its self-clearing bits
        private byte _powerManagement1;         // PWR_MGMT_1
        private byte _accelerometerIntelligence; // ACCEL_INTEL_CTRL (MPU-6886 only)

        private short _temperatureRaw;
        private bool _fifoOverflowPending;      // INT_STATUS is cleared by reading it: remember an overflow seen by IsDataReady
        private int _fifoOverflowCount;
        private int _fifoFramesWaiting;

        internal MpuBase(
            IRegisterBus bus,
            string chipName,
            byte expectedWhoAmI,
            byte fifoEnableBits,
            int fifoFrameSize,
            int fifoCapacity,
            bool hasOutputLimit,
            bool hasAccelerometerConfiguration2,
            bool dividerNeedsFilter,
            int temperatureNumerator,
            int temperatureDenominator,
            int temperatureOffsetCentiCelsius)
        {
            if (bus == null)
            {
                throw new ArgumentNullException("bus");
            }

            _bus = bus;
            _chipName = chipName;
            _fifoEnableBits = fifoEnableBits;
            _fifoFrameSize = fifoFrameSize;
            _fifoCapacity = fifoCapacity;
            _hasOutputLimit = hasOutputLimit;
            _hasAccelerometerConfiguration2 = hasAccelerometerConfiguration2;
            _dividerNeedsFilter = dividerNeedsFilter;
            _temperatureNumerator = temperatureNumerator;
            _temperatureDenominator = temperatureDenominator;
            _temperatureOffsetCentiCelsius = temperatureOffsetCentiCelsius;

            _expectedWhoAmI = expectedWhoAmI;
            byte whoAmI = ReadWhoAmI();
            if (whoAmI != expectedWhoAmI)
            {
                throw new IOException(
                    chipName + ": WHO_AM_I (register 0x75) reads 0x" + whoAmI.ToString("X2") + ", expected 0x"
                    + expectedWhoAmI.ToString("X2") + DescribeWhoAmI(whoAmI));
            }

            LoadConfiguration();
        }

        /// <summary>The chip's name ("MPU-6050", "MPU-6500", "MPU-9250", "MPU-6886"…), for a log.</summary>
        public string ChipName
        {
            get { return _chipName; }
        }

        /// <summary>Bytes this chip's FIFO holds: 1024 on the MPU-6050 and MPU-6886, 512 on the MPU-6500 family.</summary>
        public int FifoCapacity
        {
            get { return _fifoCapacity; }
        }

        /// <summary>The WHO_AM_I value of this chip (0x68 MPU-6050, 0x70 MPU-6500, 0x19 MPU-6886…).</summary>
        public byte ExpectedWhoAmI
        {
            get { return _expectedWhoAmI; }
        }

        /// <summary>
        /// Reads WHO_AM_I (register 0x75); compare it with <see cref="ExpectedWhoAmI"/>, for example to tell
        /// the same chip plugged back from another one. Changes nothing on the chip.
        /// </summary>
        /// <returns>The value read.</returns>
        /// <exception cref="IOException">The bus failed.</exception>
        public byte ReadWhoAmI()
        {
            return _bus.ReadRegister((byte)Register.WhoAmI);
        }

        /// <summary>Bytes per FIFO frame with the accelerometer and gyroscope enabled: 12 on the MPU-6050, 14 on the MPU-6886 (which always adds temperature).</summary>
        public int FifoFrameSize
        {
            get { return _fifoFrameSize; }
        }

        /// <summary>
        /// Resets every register to its power-on value (PWR_MGMT_1 DEVICE_RESET) and waits until the chip
        /// reports the reset done. Afterwards the chip is asleep: call <see cref="Wake"/>.
        /// </summary>
        /// <exception cref="IOException">The bus failed, or DEVICE_RESET did not clear within about 100 ms.</exception>
        public void Reset()
        {
            _bus.WriteRegister((byte)Register.PowerManagement1, RegisterBits.PowerManagement1.DeviceReset);
            for (int poll = 0; poll < ResetPollLimit; poll++)
            {
                Thread.Sleep(1);
                byte powerManagement1;
                try
                {
                    powerManagement1 = _bus.ReadRegister((byte)Register.PowerManagement1);
                }
                catch (IOException)
                {
                    continue; // a chip in the middle of its reset may not acknowledge
                }

                if ((powerManagement1 & RegisterBits.PowerManagement1.DeviceReset) == 0)
                {
                    LoadConfiguration();
                    _fifoOverflowPending = false;
                    return;
                }
            }

            throw new IOException(_chipName + ": PWR_MGMT_1 DEVICE_RESET still set " + ResetPollLimit + " ms after the reset was requested");
        }

        /// <summary>
        /// Writes PWR_MGMT_1 DEVICE_RESET and returns at once, keeping the driver's copy of the
        /// configuration (unlike <see cref="Reset"/>, which waits and then adopts the reset values), so
        /// that <see cref="RestoreConfiguration"/>, called once the chip has finished resetting (well
        /// under 100 ms), puts the configuration back. For callers that keep time themselves.
        /// </summary>
        /// <exception cref="IOException">The bus failed.</exception>
        public void RequestDeviceReset()
        {
            _bus.WriteRegister((byte)Register.PowerManagement1, RegisterBits.PowerManagement1.DeviceReset);
            _fifoOverflowPending = false;
        }

        /// <summary>
        /// Leaves sleep mode with the PLL as clock source (PWR_MGMT_1 = 0x01: SLEEP, CYCLE and TEMP_DIS
        /// clear, CLKSEL = 1). Both chips start asleep after power-on or <see cref="Reset"/>.
        /// </summary>
        /// <exception cref="IOException">The bus failed.</exception>
        public void Wake()
        {
            WritePowerManagement1(RegisterBits.PowerManagement1.ClockPll);
            if (_hasOutputLimit)
            {
                // "To avoid limiting sensor output to less than 0x7FFF, set this bit to 1. This should be
                // done every time the MPU-6886 is powered up" (DS-000193, ACCEL_INTEL_CTRL).
                byte value = (byte)(_accelerometerIntelligence | RegisterBits.AccelerometerIntelligence.OutputLimit);
                _bus.WriteRegister((byte)Register.AccelerometerIntelligenceControl, value);
                _accelerometerIntelligence = value;
            }
        }

        /// <summary>Enters sleep mode (PWR_MGMT_1 SLEEP); registers keep their values and no samples are taken.</summary>
        /// <exception cref="IOException">The bus failed.</exception>
        public void Sleep()
        {
            WritePowerManagement1((byte)(_powerManagement1 | RegisterBits.PowerManagement1.Sleep));
        }

        /// <summary>
        /// Accelerometer full-scale range (ACCEL_CONFIG AFS_SEL). Setting it writes ACCEL_CONFIG with the
        /// self-test bits clear. The getter returns what the driver last wrote or read; it does not touch the bus.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not an <see cref="Sensors.AccelerometerRange"/> member.</exception>
        /// <exception cref="IOException">Set, and the bus failed.</exception>
        public AccelerometerRange AccelerometerRange
        {
            get { return (AccelerometerRange)((_accelerometerConfiguration & RegisterBits.FullScale.Mask) >> RegisterBits.FullScale.Shift); }
            set
            {
                CheckFullScale((int)value, "value");
                byte configuration = (byte)((int)value << RegisterBits.FullScale.Shift);
                _bus.WriteRegister((byte)Register.AccelerometerConfiguration, configuration);
                _accelerometerConfiguration = configuration;
            }
        }

        /// <summary>
        /// Gyroscope full-scale range (GYRO_CONFIG FS_SEL). Setting it writes GYRO_CONFIG with the self-test
        /// bits clear and, on the MPU-6886, FCHOICE_B = 00 (the digital low-pass filter in use). The getter
        /// does not touch the bus.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not a <see cref="Sensors.GyroscopeRange"/> member.</exception>
        /// <exception cref="IOException">Set, and the bus failed.</exception>
        public GyroscopeRange GyroscopeRange
        {
            get { return (GyroscopeRange)((_gyroscopeConfiguration & RegisterBits.FullScale.Mask) >> RegisterBits.FullScale.Shift); }
            set
            {
                CheckFullScale((int)value, "value");
                byte configuration = (byte)((int)value << RegisterBits.FullScale.Shift);
                _bus.WriteRegister((byte)Register.GyroscopeConfiguration, configuration);
                _gyroscopeConfiguration = configuration;
            }
        }

        /// <summary>Accelerometer counts per g at the current range: 16384, 8192, 4096 or 2048.</summary>
        public int AccelerometerCountsPerG
        {
            get { return 16384 >> (int)AccelerometerRange; }
        }

        /// <summary>
        /// Gyroscope counts per 10 °/s at the current range: 1310, 655, 328 or 164 (the datasheet's
        /// 131, 65.5, 32.8 and 16.4 counts per °/s, times ten so that it stays an integer).
        /// </summary>
        public int GyroscopeCountsPer10DegreesPerSecond
        {
            get { return GyroscopeCountsPer10Dps[(int)GyroscopeRange]; }
        }

        /// <summary>
        /// Digital low-pass filter setting DLPF_CFG, 0 to 6 (CONFIG bits [2:0]); 0 is the widest band
        /// and, on both chips, an 8 kHz gyroscope output rate instead of 1 kHz. The bandwidth of each
        /// setting differs between the chips (README.md). Setting it writes CONFIG with EXT_SYNC_SET = 0
        /// (FSYNC unused) and FIFO_MODE = 0, and on the MPU-6886 also ACCEL_CONFIG2 with
        /// A_DLPF_CFG = the same setting, ACCEL_FCHOICE_B = 0 and DEC2_CFG = 0, so that the accelerometer
        /// is filtered too, as it is on the MPU-6050. The getter does not touch the bus.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set outside 0..6 (7 is reserved on the MPU-6050).</exception>
        /// <exception cref="IOException">Set, and the bus failed.</exception>
        public int DigitalLowPassFilter
        {
            get { return _configuration & RegisterBits.Configuration.DlpfMask; }
            set
            {
                if (value < 0 || value > 6)
                {
                    throw new ArgumentOutOfRangeException("value", "DLPF_CFG must be 0..6, not " + value);
                }

                byte configuration = (byte)value;
                _bus.WriteRegister((byte)Register.Configuration, configuration);
                _configuration = configuration;
                if (_hasAccelerometerConfiguration2)
                {
                    byte configuration2 = (byte)value;
                    _bus.WriteRegister((byte)Register.AccelerometerConfiguration2, configuration2);
                    _accelerometerConfiguration2 = configuration2;
                }
            }
        }

        /// <summary>
        /// Sample-rate divider SMPLRT_DIV: sample rate = gyroscope output rate / (1 + divider)
        /// (RM-MPU-6000A rev 4.2 section 4.2, pp. 11-12). The sample rate paces the data registers,
        /// the data-ready interrupt and the FIFO. On the MPU-6886 the divider only applies when
        /// <see cref="DigitalLowPassFilter"/> is 1..6. The getter does not touch the bus.
        /// </summary>
        /// <exception cref="IOException">Set, and the bus failed.</exception>
        public byte SampleRateDivider
        {
            get { return _sampleRateDivider; }
            set
            {
                _bus.WriteRegister((byte)Register.SampleRateDivider, value);
                _sampleRateDivider = value;
            }
        }

        /// <summary>Gyroscope output rate in Hz: 8000 with DLPF_CFG 0 (or 7), 1000 otherwise.</summary>
        public int GyroscopeOutputRateHz
        {
            get
            {
                int dlpf = _configuration & RegisterBits.Configuration.DlpfMask;
                return dlpf == 0 || dlpf == 7 ? 8000 : 1000;
            }
        }

        /// <summary>
        /// Sample rate in Hz (rounded down): <see cref="GyroscopeOutputRateHz"/> / (1 + <see cref="SampleRateDivider"/>);
        /// on the MPU-6886 with DLPF_CFG 0 or 7 the divider is bypassed and the rate is 8000.
        /// For example DLPF_CFG 3 and divider 9 give 100 Hz on both chips.
        /// </summary>
        public int SampleRateHz
        {
            get
            {
                int dlpf = _configuration & RegisterBits.Configuration.DlpfMask;
                if (_dividerNeedsFilter && (dlpf == 0 || dlpf == 7))
                {
                    return 8000;
                }

                return GyroscopeOutputRateHz / (1 + _sampleRateDivider);
            }
        }

        /// <summary>The raw TEMP_OUT from the last <see cref="ReadSample"/> (or, on the MPU-6886, the last FIFO frame).</summary>
        public short LastTemperatureRaw
        {
            get { return _temperatureRaw; }
        }

        /// <summary>
        /// <see cref="LastTemperatureRaw"/> in hundredths of a degree Celsius, integer arithmetic, truncated:
        /// raw / 340 + 36.53 on the MPU-6050 (RM-MPU-6000A rev 4.2 section 4.19), raw / 326.8 + 25 on the MPU-6886.
        /// </summary>
        public int LastTemperatureCentiCelsius
        {
            get { return _temperatureRaw * _temperatureNumerator / _temperatureDenominator + _temperatureOffsetCentiCelsius; }
        }

        /// <summary>How many FIFO overflows <see cref="TryReadFifoFrames"/> has detected and recovered from since construction.</summary>
        public int FifoOverflowCount
        {
            get { return _fifoOverflowCount; }
        }

        /// <summary>
        /// Reads one sample: a 14-byte burst from ACCEL_XOUT_H (0x3B) to GYRO_ZOUT_L (0x48), so that all
        /// axes come from the same update, each a big-endian two's-complement int16. Writes ax, ay, az,
        /// gx, gy, gz raw counts to <paramref name="destination"/>[<paramref name="offset"/> ..
        /// <paramref name="offset"/> + 5]; the temperature in between goes to <see cref="LastTemperatureRaw"/>.
        /// Allocates nothing.
        /// </summary>
        /// <param name="destination">Receives <see cref="AxesPerSample"/> counts.</param>
        /// <param name="offset">Index of ax in <paramref name="destination"/>.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">Fewer than 6 elements from <paramref name="offset"/>.</exception>
        /// <exception cref="IOException">The bus failed.</exception>
        public void ReadSample(short[] destination, int offset)
        {
            CheckDestination(destination, offset, 1);
            byte[] burst = _burst;
            _bus.ReadRegisters((byte)Register.AccelerometerXHigh, burst, 0, SampleBurstLength);
            destination[offset] = BigEndian(burst, 0);
            destination[offset + 1] = BigEndian(burst, 2);
            destination[offset + 2] = BigEndian(burst, 4);
            _temperatureRaw = BigEndian(burst, TemperatureOffsetInBurst);
            destination[offset + 3] = BigEndian(burst, GyroscopeOffsetInBurst);
            destination[offset + 4] = BigEndian(burst, GyroscopeOffsetInBurst + 2);
            destination[offset + 5] = BigEndian(burst, GyroscopeOffsetInBurst + 4);
        }

        /// <summary>
        /// Signals each new sample on the INT pin: writes INT_PIN_CFG = <paramref name="pin"/> (INT_RD_CLEAR = 0,
        /// so only reading INT_STATUS clears the flags and a FIFO overflow is never lost to an ordinary read)
        /// and sets DATA_RDY_EN in INT_ENABLE. <see cref="IsDataReady"/> reads the same flag without the pin.
        /// </summary>
        /// <param name="pin">Pin polarity, drive and latching.</param>
        /// <exception cref="IOException">The bus failed.</exception>
        public void EnableDataReadyInterrupt(InterruptPinOptions pin)
        {
            byte interruptPin = (byte)((byte)pin & (RegisterBits.InterruptPin.ActiveLow | RegisterBits.InterruptPin.OpenDrain | RegisterBits.InterruptPin.Latch));
            _bus.WriteRegister((byte)Register.InterruptPinConfiguration, interruptPin);
            _interruptPin = interruptPin;
            WriteInterruptEnable((byte)(_interruptEnable | RegisterBits.Interrupt.DataReady));
        }

        /// <summary>Clears DATA_RDY_EN in INT_ENABLE; the FIFO overflow interrupt, if enabled, stays.</summary>
        /// <exception cref="IOException">The bus failed.</exception>
        public void DisableDataReadyInterrupt()
        {
            WriteInterruptEnable((byte)(_interruptEnable & ~RegisterBits.Interrupt.DataReady));
        }

        /// <summary>
        /// Reads INT_STATUS and returns DATA_RDY_INT: a new sample has reached the data registers since
        /// INT_STATUS was last read. Reading INT_STATUS clears it (and releases a latched INT pin); a FIFO
        /// overflow flagged in the same read is remembered for <see cref="TryReadFifoFrames"/>. Needs
        /// <see cref="EnableDataReadyInterrupt"/>: the chip only flags enabled sources.
        /// </summary>
        /// <returns>true when a new sample is ready.</returns>
        /// <exception cref="IOException">The bus failed.</exception>
        public bool IsDataReady()
        {
            return (ReadInterruptStatus() & RegisterBits.Interrupt.DataReady) != 0;
        }

        /// <summary>
        /// Starts buffering samples in the chip's FIFO: FIFO_EN = accelerometer + gyroscope, FIFO overflow
        /// flagged in INT_STATUS (FIFO_OFLOW_EN), CONFIG reduced to DLPF_CFG (so on the MPU-6886 FIFO_MODE = 0:
        /// when full the oldest data is overwritten, as on the MPU-6050), then the FIFO is emptied and enabled
        /// (USER_CTRL). Frames arrive
        /// at <see cref="SampleRateHz"/>; read them with <see cref="TryReadFifoFrames"/>. Allocates the
        /// frame buffer once, on the first call.
        /// </summary>
        /// <exception cref="IOException">The bus failed.</exception>
        public void EnableFifo()
        {
            if (_fifoChunk == null)
            {
                _fifoChunk = new byte[FifoChunkFrames * _fifoFrameSize];
            }

            // Keep only DLPF_CFG: FIFO_MODE = 0 (MPU-6886), and the MPU-6886's reset-time bit 7 cleared as its datasheet asks.
            byte configuration = (byte)(_configuration & RegisterBits.Configuration.DlpfMask);
            if (configuration != _configuration)
            {
                _bus.WriteRegister((byte)Register.Configuration, configuration);
                _configuration = configuration;
            }

            _bus.WriteRegister((byte)Register.FifoEnable, _fifoEnableBits);
            _fifoEnable = _fifoEnableBits;
            WriteInterruptEnable((byte)(_interruptEnable | RegisterBits.Interrupt.FifoOverflow));
            _userControl = (byte)(_userControl | RegisterBits.UserControl.FifoEnable);
            ResetFifo();
            ReadInterruptStatus(); // drop an overflow flag left from before
            _fifoOverflowPending = false;
        }

        /// <summary>Stops the FIFO: USER_CTRL FIFO_EN = 0, FIFO_EN = 0, FIFO_OFLOW_EN = 0.</summary>
        /// <exception cref="IOException">The bus failed.</exception>
        public void DisableFifo()
        {
            byte userControl = (byte)(_userControl & ~RegisterBits.UserControl.FifoEnable);
            _bus.WriteRegister((byte)Register.UserControl, userControl);
            _userControl = userControl;
            _bus.WriteRegister((byte)Register.FifoEnable, 0);
            _fifoEnable = 0;
            WriteInterruptEnable((byte)(_interruptEnable & ~RegisterBits.Interrupt.FifoOverflow));
        }

        /// <summary>
        /// Empties the FIFO. The MPU-6050 only honours FIFO_RESET while USER_CTRL FIFO_EN is 0
        /// (RM-MPU-6000A rev 4.2 section 4.27), so this writes USER_CTRL twice: FIFO_EN = 0 with
        /// FIFO_RESET, then the previous value.
        /// </summary>
        /// <exception cref="IOException">The bus failed.</exception>
        public void ResetFifo()
        {
            _bus.WriteRegister(
                (byte)Register.UserControl,
                (byte)((_userControl & ~RegisterBits.UserControl.FifoEnable) | RegisterBits.UserControl.FifoReset));
            _bus.WriteRegister((byte)Register.UserControl, _userControl);
        }

        /// <summary>
        /// Reads FIFO_COUNTH and FIFO_COUNTL in one burst (high first: reading it latches the low byte,
        /// RM-MPU-6000A rev 4.2 section 4.30, p. 43).
        /// </summary>
        /// <returns>Bytes in the FIFO, 0..<see cref="FifoCapacity"/>.</returns>
        /// <exception cref="IOException">The bus failed.</exception>
        public int ReadFifoCount()
        {
            byte[] two = _twoBytes;
            _bus.ReadRegisters((byte)Register.FifoCountHigh, two, 0, 2);
            return ((two[0] << 8) | two[1]) & FifoCountMask;
        }

        /// <summary>
        /// Reads the whole frames waiting in the FIFO, oldest first, at most <paramref name="maxFrames"/>,
        /// writing ax, ay, az, gx, gy, gz counts per frame to <paramref name="destination"/> from
        /// <paramref name="offset"/>. First reads INT_STATUS: if FIFO_OFLOW_INT is set (here or in an
        /// earlier <see cref="IsDataReady"/>), samples were lost and, the FIFO's size not being a whole number of frames, the frames
        /// are no longer aligned, so the FIFO is reset, <see cref="FifoOverflowCount"/> counted, nothing is
        /// returned and the result is false: the caller knows the stream has a gap. Allocates nothing.
        /// </summary>
        /// <param name="destination">Receives <see cref="AxesPerSample"/> counts per frame.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first frame's ax.</param>
        /// <param name="maxFrames">Most frames to read; <paramref name="destination"/> must hold 6 × this from <paramref name="offset"/>.</param>
        /// <param name="framesRead">Frames written (0 after an overflow).</param>
        /// <returns>true when the frames are contiguous with the previous call's; false after an overflow.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxFrames"/> is negative, or the frames do not fit in <paramref name="destination"/>.</exception>
        /// <exception cref="InvalidOperationException"><see cref="EnableFifo"/> has not been called.</exception>
        /// <exception cref="IOException">The bus failed.</exception>
        public bool TryReadFifoFrames(short[] destination, int offset, int maxFrames, out int framesRead)
        {
            framesRead = 0;
            if (maxFrames < 0)
            {
                throw new ArgumentOutOfRangeException("maxFrames", "maxFrames must not be negative");
            }

            CheckDestination(destination, offset, maxFrames);
            byte[] chunk = _fifoChunk;
            if (chunk == null)
            {
                throw new InvalidOperationException(_chipName + ": the FIFO is not enabled; call EnableFifo first");
            }

            ReadInterruptStatus();
            if (_fifoOverflowPending)
            {
                ResetFifo();
                _fifoOverflowPending = false;
                _fifoOverflowCount++;
                return false;
            }

            int frameSize = _fifoFrameSize;
            int frames = ReadFifoCount() / frameSize;
            _fifoFramesWaiting = frames;
            if (frames > maxFrames)
            {
                frames = maxFrames;
            }

            int gyroscopeOffset = frameSize - 6; // MPU-6886 frames carry TEMP_OUT between accel and gyro
            int output = offset;
            int remaining = frames;
            while (remaining > 0)
            {
                int chunkFrames = remaining < FifoChunkFrames ? remaining : FifoChunkFrames;
                _bus.ReadRegisters((byte)Register.FifoReadWrite, chunk, 0, chunkFrames * frameSize);
                for (int frame = 0, at = 0; frame < chunkFrames; frame++, at += frameSize)
                {
                    destination[output] = BigEndian(chunk, at);
                    destination[output + 1] = BigEndian(chunk, at + 2);
                    destination[output + 2] = BigEndian(chunk, at + 4);
                    destination[output + 3] = BigEndian(chunk, at + gyroscopeOffset);
                    destination[output + 4] = BigEndian(chunk, at + gyroscopeOffset + 2);
                    destination[output + 5] = BigEndian(chunk, at + gyroscopeOffset + 4);
                    output += AxesPerSample;
                }

                if (gyroscopeOffset == 8)
                {
                    _temperatureRaw = BigEndian(chunk, (chunkFrames - 1) * frameSize + 6);
                }

                remaining -= chunkFrames;
            }

            framesRead = frames;
            return true;
        }

        /// <summary>
        /// Whole frames the FIFO held when <see cref="TryReadFifoFrames"/> last read its count, before
        /// limiting them to maxFrames: frame i of those read had waited about (this − 1 − i) sample periods.
        /// </summary>
        public int FifoFramesWaiting
        {
            get { return _fifoFramesWaiting; }
        }

        /// <summary>
        /// Reads back every configuration register this driver writes (SMPLRT_DIV, CONFIG, GYRO_CONFIG,
        /// ACCEL_CONFIG, ACCEL_CONFIG2 on the MPU-6886, FIFO_EN, INT_PIN_CFG, INT_ENABLE, USER_CTRL,
        /// PWR_MGMT_1) and compares them with what it wrote. A sensor that lost power comes back asleep
        /// with reset defaults and simply stops producing data; this tells that apart from a quiet
        /// sensor. On false, call <see cref="RestoreConfiguration"/> and expect a gap in the data.
        /// </summary>
        /// <returns>true when the chip holds the driver's configuration.</returns>
        /// <exception cref="IOException">The bus failed.</exception>
        public bool VerifyConfiguration()
        {
            return Read(Register.PowerManagement1) == _powerManagement1
                && Read(Register.SampleRateDivider) == _sampleRateDivider
                && Read(Register.Configuration) == _configuration
                && Read(Register.GyroscopeConfiguration) == _gyroscopeConfiguration
                && Read(Register.AccelerometerConfiguration) == _accelerometerConfiguration
                && (!_hasAccelerometerConfiguration2 || Read(Register.AccelerometerConfiguration2) == _accelerometerConfiguration2)
                && (!_hasOutputLimit || Read(Register.AccelerometerIntelligenceControl) == _accelerometerIntelligence)
                && Read(Register.FifoEnable) == _fifoEnable
                && Read(Register.InterruptPinConfiguration) == _interruptPin
                && Read(Register.InterruptEnable) == _interruptEnable
                && (Read(Register.UserControl) & ~RegisterBits.UserControl.SelfClearing) == _userControl;
        }

        /// <summary>
        /// Writes the driver's configuration back to the chip (power first, the FIFO last and emptied),
        /// for example after <see cref="VerifyConfiguration"/> returned false.
        /// </summary>
        /// <exception cref="IOException">The bus failed.</exception>
        public void RestoreConfiguration()
        {
            _bus.WriteRegister((byte)Register.PowerManagement1, _powerManagement1);
            _bus.WriteRegister((byte)Register.SampleRateDivider, _sampleRateDivider);
            _bus.WriteRegister((byte)Register.Configuration, _configuration);
            _bus.WriteRegister((byte)Register.GyroscopeConfiguration, _gyroscopeConfiguration);
            _bus.WriteRegister((byte)Register.AccelerometerConfiguration, _accelerometerConfiguration);
            if (_hasAccelerometerConfiguration2)
            {
                _bus.WriteRegister((byte)Register.AccelerometerConfiguration2, _accelerometerConfiguration2);
            }

            if (_hasOutputLimit)
            {
                _bus.WriteRegister((byte)Register.AccelerometerIntelligenceControl, _accelerometerIntelligence);
            }

            _bus.WriteRegister((byte)Register.InterruptPinConfiguration, _interruptPin);
            _bus.WriteRegister((byte)Register.InterruptEnable, _interruptEnable);
            _bus.WriteRegister((byte)Register.FifoEnable, _fifoEnable);
            ResetFifo();
            _fifoOverflowPending = false;
        }

        private void LoadConfiguration()
        {
            _powerManagement1 = Read(Register.PowerManagement1);
            _sampleRateDivider = Read(Register.SampleRateDivider);
            _configuration = Read(Register.Configuration);
            _gyroscopeConfiguration = Read(Register.GyroscopeConfiguration);
            _accelerometerConfiguration = Read(Register.AccelerometerConfiguration);
            _accelerometerConfiguration2 = _hasAccelerometerConfiguration2 ? Read(Register.AccelerometerConfiguration2) : (byte)0;
            _accelerometerIntelligence = _hasOutputLimit ? Read(Register.AccelerometerIntelligenceControl) : (byte)0;
            _fifoEnable = Read(Register.FifoEnable);
            _interruptPin = Read(Register.InterruptPinConfiguration);
            _interruptEnable = Read(Register.InterruptEnable);
            _userControl = (byte)(Read(Register.UserControl) & ~RegisterBits.UserControl.SelfClearing);
        }

        private byte Read(Register register)
        {
            return _bus.ReadRegister((byte)register);
        }

        private byte ReadInterruptStatus()
        {
            byte status = _bus.ReadRegister((byte)Register.InterruptStatus);
            if ((status & RegisterBits.Interrupt.FifoOverflow) != 0)
            {
                _fifoOverflowPending = true;
            }

            return status;
        }

        private void WritePowerManagement1(byte value)
        {
            _bus.WriteRegister((byte)Register.PowerManagement1, value);
            _powerManagement1 = value;
        }

        private void WriteInterruptEnable(byte value)
        {
            _bus.WriteRegister((byte)Register.InterruptEnable, value);
            _interruptEnable = value;
        }

        private static short BigEndian(byte[] buffer, int index)
        {
            return unchecked((short)((buffer[index] << 8) | buffer[index + 1]));
        }

        private static void CheckFullScale(int value, string name)
        {
            if (value < 0 || value > 3)
            {
                throw new ArgumentOutOfRangeException(name, "full-scale select must be 0..3, not " + value);
            }
        }

        private static void CheckDestination(short[] destination, int offset, int samples)
        {
            if (destination == null)
            {
                throw new ArgumentNullException("destination");
            }

            if (offset < 0 || offset > destination.Length - samples * AxesPerSample)
            {
                throw new ArgumentOutOfRangeException(
                    "offset",
                    "destination holds " + destination.Length + " counts; " + samples * AxesPerSample + " do not fit from offset " + offset);
            }
        }

        private static string DescribeWhoAmI(byte whoAmI)
        {
            switch (whoAmI)
            {
                case 0x68:
                    return " (0x68 is an MPU-6050: use Mpu6050)";
                case 0x19:
                    return " (0x19 is an MPU-6886: use Mpu6886)";
                case Mpu6500.WhoAmIMpu6500:
                    return " (0x70 is an MPU-6500, sold on some GY-521 boards: use Mpu6500 or MpuChips.Open)";
                case 0x00:
                case 0xFF:
                    return " (no device answering, or SDA stuck?)";
                default:
                    return string.Empty;
            }
        }
    }
}
