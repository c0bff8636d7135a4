using System;

namespace NanoRnn.Pipeline
{
    /// <summary>
    /// Builds the model's input vector from one sensor sample and the digital input levels, in the
    /// channel order the blob records (<see cref="RnnModel.GetChannelSource"/>), with the board's
    /// axis orientation applied. Everything is decided at construction; <see cref="Assemble"/> is a
    /// table walk with no allocation.
    /// </summary>
    public sealed class FeatureAssembler
    {
        // Per model channel: where its value is taken from.
        //   0..5  index into the sensor sample (ax ay az gx gy gz, sensor frame), see _negate
        //   6     the temperature
        //   32+n  digital input n
        private const int TemperatureSlot = 6;

        private readonly int[] _slot;
        private readonly bool[] _negate;
        private readonly int _channels;

        /// <summary>Prepares the channel table for <paramref name="model"/> on a board mounted as <paramref name="axes"/>.</summary>
        /// <param name="model">The model whose channel sources decide the order.</param>
        /// <param name="axes">The board's sensor mounting.</param>
        /// <param name="digitalInputCount">How many digital inputs the board has.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">A channel has no recorded source (export with
        /// <c>--channels</c>), or names a digital input the board does not have.</exception>
        public FeatureAssembler(RnnModel model, AxisMap axes, int digitalInputCount)
        {
            if (model == null) throw new ArgumentNullException("model");
            if (axes == null) throw new ArgumentNullException("axes");
            _channels = model.InputChannels;
            _slot = new int[_channels];
            _negate = new bool[_channels];
            for (int c = 0; c < _channels; c++)
            {
                int source = model.GetChannelSource(c);
                if (source >= ChannelSource.AccelerometerX && source <= ChannelSource.GyroscopeZ)
                {
                    int boardAxis = (source - ChannelSource.AccelerometerX) % 3;
                    int sensorBase = source <= ChannelSource.AccelerometerZ ? 0 : 3;
                    _slot[c] = sensorBase + axes.SourceOf(boardAxis);
                    _negate[c] = axes.IsNegated(boardAxis);
                }
                else if (source == ChannelSource.Temperature)
                {
                    _slot[c] = TemperatureSlot;
                }
                else if (source >= ChannelSource.DigitalInputBase)
                {
                    int input = source - ChannelSource.DigitalInputBase;
                    if (input >= digitalInputCount)
                    {
                        throw new ArgumentException("model channel " + c + " reads digital input " + input
                            + " but the board has " + digitalInputCount);
                    }

                    _slot[c] = source;
                }
                else
                {
                    throw new ArgumentException("model channel " + c
                        + " has no recorded source; export it with --channels");
                }
            }
        }

        /// <summary>Number of values <see cref="Assemble"/> writes.</summary>
        public int Channels
        {
            get { return _channels; }
        }

        /// <summary>
        /// Writes the feature vector: motion counts re-oriented to board axes (negating -32768 gives
        /// 32767, never a wrapped value), the temperature, and digital levels as 0 or 1.
        /// </summary>
        /// <param name="motion">ax, ay, az, gx, gy, gz in sensor axes at <paramref name="motionOffset"/>.</param>
        /// <param name="motionOffset">Index of ax.</param>
        /// <param name="temperature">Raw temperature counts.</param>
        /// <param name="digitalLevels">Bit n is digital input n's level.</param>
        /// <param name="features">Receives <see cref="Channels"/> values.</param>
        public void Assemble(short[] motion, int motionOffset, short temperature, int digitalLevels, short[] features)
        {
            int[] slot = _slot;
            bool[] negate = _negate;
            for (int c = 0; c < slot.Length; c++)
            {
                int s = slot[c];
                int value;
                if (s < TemperatureSlot)
                {
                    value = motion[motionOffset + s];
                    if (negate[c]) value = value == short.MinValue ? short.MaxValue : -value;
                }
                else if (s == TemperatureSlot)
                {
                    value = temperature;
                }
                else
                {
                    value = (digitalLevels >> (s - ChannelSource.DigitalInputBase)) & 1;
                }

                features[c] = (short)value;
            }
        }
    }
}
