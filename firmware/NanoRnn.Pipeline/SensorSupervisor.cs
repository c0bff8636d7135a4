using System;
using System.IO;
using NanoRnn.Sensors;

namespace NanoRnn.Pipeline
{
    /// <summary>
    /// Keeps samples flowing from an MPU's FIFO through a <see cref="SensorSampler"/> whatever the
    /// sensor and its bus do; <see cref="Poll"/> never throws on a sensor fault. Every fault is
    /// counted in the pipeline's <see cref="PipelineStatistics"/> and ends with a gap reported to the
    /// pipeline (which resets the model state when <see cref="PipelineOptions.ResetOnGap"/>):
    /// <list type="bullet">
    /// <item>a failed transfer (NACK, bus timeout, short read, unplugged): counted in BusErrors; the
    /// sensor is left alone for a back-off that doubles per failure in a row, from
    /// <see cref="SensorSupervisorOptions.FirstRetryDelayMicros"/> up to
    /// <see cref="SensorSupervisorOptions.MaxRetryDelayMicros"/>; each attempt counts in Retries and
    /// checks WHO_AM_I, re-initialises the sensor if its configuration was lost (Reinitialisations)
    /// and empties its FIFO, whose frames may no longer be aligned;</item>
    /// <item>another chip's WHO_AM_I (WrongDevice): treated as a failed attempt, retried with back-off;</item>
    /// <item>configuration lost while the bus works (the chip reset itself or was power-cycled: it comes
    /// back asleep with its FIFO disabled, so the FIFO stays empty): when a poll finds no frame though
    /// one was due, the registers are read back and, if they differ, written again (Reinitialisations);</item>
    /// <item>FIFO overflow: handled by the sampler (FifoOverflows, the samples lost counted as dropped);</item>
    /// <item>stuck outputs (<see cref="SensorSupervisorOptions.StuckReadingLimit"/> identical readings):
    /// StuckFaults; the chip is reset (PWR_MGMT_1 DEVICE_RESET), left for
    /// <see cref="SensorSupervisorOptions.DeviceResetDelayMicros"/> and configured again.</item>
    /// </list>
    /// Time comes only from the <c>nowMicros</c> arguments: nothing here sleeps.
    /// </summary>
    public sealed class SensorSupervisor
    {
        private const int StateRunning = 0;
        private const int StateRecovering = 1;     // a fault: try again at _nextAttemptMicros
        private const int StateResetting = 2;      // DEVICE_RESET written: configure at _nextAttemptMicros

        private readonly MpuBase _sensor;
        private readonly SensorSampler _sampler;
        private readonly PipelineStatistics _statistics;
        private readonly long _periodMicros;
        private readonly long _firstDelay;
        private readonly long _maxDelay;
        private readonly long _resetDelay;

        private int _state = StateRecovering;      // nothing started yet: the first Poll starts the FIFO
        private bool _started;
        private bool _firstAttempt = true;
        private long _nextAttemptMicros = long.MinValue;
        private long _retryDelayMicros;
        private long _lastFrameMicros;
        private string _lastError = string.Empty;

        /// <summary>Creates a supervisor; call <see cref="Poll"/> regularly (the FIFO holds 85 frames: 1.7 s at 50 Hz).</summary>
        /// <param name="sensor">The sensor <paramref name="sampler"/> reads (constructed, so WHO_AM_I was right once).</param>
        /// <param name="sampler">The sampler between the sensor and the pipeline; its statistics get the counts.</param>
        /// <param name="options">Retry, reset and stuck-output settings; read once, here.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">A delay is not positive, the maximum delay is below the first, or the stuck limit is 1 or negative.</exception>
        public SensorSupervisor(MpuBase sensor, SensorSampler sampler, SensorSupervisorOptions options)
        {
            if (sensor == null) throw new ArgumentNullException("sensor");
            if (sampler == null) throw new ArgumentNullException("sampler");
            if (options == null) throw new ArgumentNullException("options");
            if (options.FirstRetryDelayMicros < 1 || options.MaxRetryDelayMicros < options.FirstRetryDelayMicros
                || options.DeviceResetDelayMicros < 1)
            {
                throw new ArgumentException("retry and reset delays must be positive, the maximum at least the first");
            }

            if (options.StuckReadingLimit < 0 || options.StuckReadingLimit == 1)
            {
                throw new ArgumentException("StuckReadingLimit must be 0 (off) or at least 2");
            }

            _sensor = sensor;
            _sampler = sampler;
            _statistics = sampler.Statistics;
            _periodMicros = sampler.PeriodMicros;
            _firstDelay = options.FirstRetryDelayMicros;
            _maxDelay = options.MaxRetryDelayMicros;
            _resetDelay = options.DeviceResetDelayMicros;
            _retryDelayMicros = _firstDelay;
            sampler.StuckReadingLimit = options.StuckReadingLimit;
        }

        /// <summary>True while samples flow: started, and no fault waiting for a retry or a reset.</summary>
        public bool IsRunning
        {
            get { return _state == StateRunning; }
        }

        /// <summary>The message of the last fault ("" if none yet), for a log.</summary>
        public string LastError
        {
            get { return _lastError; }
        }

        /// <summary>
        /// Moves whatever the FIFO holds into the pipeline, or, after a fault, tries to bring the
        /// sensor back when its back-off has passed. The first call starts the FIFO.
        /// </summary>
        /// <param name="nowMicros">The current time on a monotonic clock.</param>
        /// <returns>Samples fed to the pipeline.</returns>
        /// <exception cref="ArgumentException">The sensor cannot sample at the pipeline's rate (a configuration error, not a fault).</exception>
        public int Poll(long nowMicros)
        {
            if (_state != StateRunning)
            {
                if (nowMicros < _nextAttemptMicros) return 0;
                if (!Recover(nowMicros)) return 0;
            }

            int fed;
            try
            {
                fed = _sampler.PollFifo(nowMicros);
                if (_sampler.OutputsStuck)
                {
                    _statistics.StuckFaults++;
                    _lastError = "sensor outputs stuck";
                    _sensor.RequestDeviceReset();
                    _state = StateResetting;
                    _nextAttemptMicros = nowMicros + _resetDelay;
                    return fed;
                }

                if (fed > 0)
                {
                    _lastFrameMicros = nowMicros;
                }
                else if (nowMicros - _lastFrameMicros >= 2 * _periodMicros && !_sensor.VerifyConfiguration())
                {
                    // No frame although two were due, and the registers are not ours: the chip reset itself.
                    _statistics.Reinitialisations++;
                    _lastError = "sensor configuration lost";
                    Restart(nowMicros);
                }
            }
            catch (IOException e)
            {
                Fail(nowMicros, e);
                return 0;
            }

            return fed;
        }

        // Brings the sensor back; false (and the next attempt scheduled) if it is not there yet.
        private bool Recover(long nowMicros)
        {
            try
            {
                if (!_firstAttempt)
                {
                    _statistics.Retries++;
                }

                _firstAttempt = false;
                byte whoAmI = _sensor.ReadWhoAmI();
                if (whoAmI != _sensor.ExpectedWhoAmI)
                {
                    _statistics.WrongDevice++;
                    _lastError = "WHO_AM_I reads 0x" + whoAmI.ToString("X2") + ", expected 0x" + _sensor.ExpectedWhoAmI.ToString("X2");
                    Schedule(nowMicros);
                    return false;
                }

                if (_state == StateResetting || (_started && !_sensor.VerifyConfiguration()))
                {
                    _statistics.Reinitialisations++;
                }

                if (_started)
                {
                    Restart(nowMicros);
                }
                else
                {
                    _sampler.StartFifo(nowMicros);
                    _started = true;
                }

                _state = StateRunning;
                _retryDelayMicros = _firstDelay;
                _lastFrameMicros = nowMicros;
                return true;
            }
            catch (IOException e)
            {
                Fail(nowMicros, e);
                return false;
            }
        }

        // Writes the configuration back (FIFO emptied last) and reports the samples lost meanwhile.
        private void Restart(long nowMicros)
        {
            _sensor.RestoreConfiguration();
            _sampler.Resynchronize(nowMicros);
            _lastFrameMicros = nowMicros;
        }

        private void Fail(long nowMicros, IOException e)
        {
            _statistics.BusErrors++;
            _lastError = e.Message;
            Schedule(nowMicros);
        }

        // The next attempt, after the current back-off, which doubles for the one after (capped).
        private void Schedule(long nowMicros)
        {
            _state = _state == StateResetting ? StateResetting : StateRecovering;
            _nextAttemptMicros = nowMicros + _retryDelayMicros;
            _retryDelayMicros = _retryDelayMicros * 2 > _maxDelay ? _maxDelay : _retryDelayMicros * 2;
        }
    }
}
