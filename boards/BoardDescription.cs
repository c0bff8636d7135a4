namespace NanoRnn.Boards
{
    /// <summary>
    /// Everything board-specific the firmware needs: buses, pins, the sensor and how it is mounted.
    /// The only place in NanoRnn where pin numbers live. A pin of -1 means "not present".
    /// </summary>
    public sealed class BoardDescription
    {
        /// <summary>Name used to pick the board (folder name under boards/).</summary>
        public string Name;

        /// <summary>nanoFramework I2C bus id (1 = I2C1).</summary>
        public int I2cBusId;

        /// <summary>GPIO routed to the bus's SDA.</summary>
        public int I2cDataPin;

        /// <summary>GPIO routed to the bus's SCL.</summary>
        public int I2cClockPin;

        /// <summary>The motion sensor.</summary>
        public SensorKind SensorKind;

        /// <summary>The sensor's 7-bit I2C address.</summary>
        public int SensorAddress;

        /// <summary>Sensor axis (0 = x, 1 = y, 2 = z) that board x reads.</summary>
        public int XSource;

        /// <summary>Whether board x is minus that sensor axis.</summary>
        public bool XNegate;

        /// <summary>Sensor axis that board y reads.</summary>
        public int YSource;

        /// <summary>Whether board y is minus that sensor axis.</summary>
        public bool YNegate;

        /// <summary>Sensor axis that board z reads.</summary>
        public int ZSource;

        /// <summary>Whether board z is minus that sensor axis.</summary>
        public bool ZNegate;

        /// <summary>GPIO of the button that resets the model state, or -1.</summary>
        public int ButtonPin;

        /// <summary>Whether the button reads high when pressed.</summary>
        public bool ButtonActiveHigh;

        /// <summary>GPIO of the decision LED, or -1.</summary>
        public int LedPin;

        /// <summary>Whether the LED lights when the pin is driven high.</summary>
        public bool LedActiveHigh;

        /// <summary>GPIOs offered to models as digital features: input n is <c>in n</c> in the blob.</summary>
        public int[] DigitalInputPins;

        /// <summary>GPIOs the module spends on its SPI flash, which nothing else may use.</summary>
        public int[] FlashPins;
    }
}
