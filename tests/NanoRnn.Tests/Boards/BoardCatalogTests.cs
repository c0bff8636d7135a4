using NanoRnn.Boards;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace NanoRnn.Tests.Boards
{
    /// <summary>Every board description is complete and physically possible on an ESP32.</summary>
    [TestClass]
    public class BoardCatalogTests
    {
        // ESP-IDF programming guide, "GPIO & RTC GPIO", GPIO summary (ESP32): the chip has 34 GPIOs,
        // GPIO0-19, 21-23, 25-27 and 32-39; GPIO34-39 are input only, without pull-up or pull-down.
        private const int FirstInputOnly = 34;
        private const int LastGpio = 39;

        [TestMethod]
        public void EveryNameFindsItsBoard()
        {
            string[] names = BoardCatalog.Names;
            Assert.IsTrue(names.Length >= 2);
            for (int i = 0; i < names.Length; i++)
            {
                BoardDescription board = BoardCatalog.Find(names[i]);
                Assert.IsNotNull(board, names[i]);
                Assert.AreEqual(names[i], board.Name);
                for (int j = i + 1; j < names.Length; j++)
                {
                    Assert.IsFalse(names[i] == names[j], names[i] + " is listed twice");
                }
            }
        }

        [TestMethod]
        public void UnknownNamesFindNothing()
        {
            Assert.IsNull(BoardCatalog.Find("no-such-board"));
            Assert.IsNull(BoardCatalog.Find(""));
            Assert.IsNull(BoardCatalog.Find(null));
            Assert.IsNull(BoardCatalog.Find("M5StickC-Plus"), "names are exact, case included");
        }

        [TestMethod]
        public void PinsAreDistinctUsableAndOutputsCanDrive()
        {
            string[] names = BoardCatalog.Names;
            for (int b = 0; b < names.Length; b++)
            {
                BoardDescription board = BoardCatalog.Find(names[b]);
                int[] pins = new int[4 + board.DigitalInputPins.Length];
                pins[0] = board.I2cDataPin;
                pins[1] = board.I2cClockPin;
                pins[2] = board.ButtonPin;
                pins[3] = board.LedPin;
                for (int i = 0; i < board.DigitalInputPins.Length; i++)
                {
                    pins[4 + i] = board.DigitalInputPins[i];
                }

                for (int i = 0; i < pins.Length; i++)
                {
                    if (pins[i] < 0) continue;
                    Assert.IsTrue(IsEsp32Gpio(pins[i]), board.Name + ": GPIO" + pins[i] + " does not exist on an ESP32");
                    for (int f = 0; f < board.FlashPins.Length; f++)
                    {
                        Assert.IsFalse(pins[i] == board.FlashPins[f], board.Name + ": GPIO" + pins[i] + " belongs to the flash");
                    }

                    for (int j = i + 1; j < pins.Length; j++)
                    {
                        Assert.IsFalse(pins[i] == pins[j], board.Name + ": GPIO" + pins[i] + " has two functions");
                    }
                }

                // I2C drives SDA and SCL (open drain) and the LED is an output: none may sit on an input-only pin.
                Assert.IsTrue(board.I2cDataPin >= 0 && board.I2cClockPin >= 0, board.Name + ": the sensor needs an I2C bus");
                Assert.IsTrue(board.I2cDataPin < FirstInputOnly && board.I2cClockPin < FirstInputOnly, board.Name + ": I2C needs outputs");
                Assert.IsTrue(board.LedPin < FirstInputOnly, board.Name + ": the LED pin is input-only");
                Assert.IsTrue(board.I2cBusId == 1 || board.I2cBusId == 2, board.Name + ": the ESP32 has I2C1 and I2C2");
            }
        }

        [TestMethod]
        public void FlashPinsAreRealGpios()
        {
            string[] names = BoardCatalog.Names;
            for (int b = 0; b < names.Length; b++)
            {
                BoardDescription board = BoardCatalog.Find(names[b]);
                Assert.IsNotNull(board.FlashPins, board.Name);
                Assert.IsNotNull(board.DigitalInputPins, board.Name);
                for (int f = 0; f < board.FlashPins.Length; f++)
                {
                    Assert.IsTrue(IsEsp32Gpio(board.FlashPins[f]) && board.FlashPins[f] < FirstInputOnly, board.Name + ": flash pin GPIO" + board.FlashPins[f]);
                }
            }
        }

        [TestMethod]
        public void AxesArePermutations()
        {
            string[] names = BoardCatalog.Names;
            for (int b = 0; b < names.Length; b++)
            {
                BoardDescription board = BoardCatalog.Find(names[b]);
                int seen = (1 << board.XSource) | (1 << board.YSource) | (1 << board.ZSource);
                Assert.AreEqual(7, seen, board.Name);
                Assert.IsTrue(board.SensorAddress == 0x68 || board.SensorAddress == 0x69, board.Name);
            }
        }

        [TestMethod]
        public void FindReturnsAFreshDescription()
        {
            // Descriptions have public fields: a caller that edits one must not change the catalogue.
            string name = BoardCatalog.Names[0];
            BoardDescription first = BoardCatalog.Find(name);
            first.LedPin = 99;
            Assert.IsFalse(BoardCatalog.Find(name).LedPin == 99, "a caller's change leaked into the catalogue");
        }

        private static bool IsEsp32Gpio(int pin)
        {
            return (pin >= 0 && pin <= 19) || (pin >= 21 && pin <= 23) || (pin >= 25 && pin <= 27) || (pin >= 32 && pin <= LastGpio);
        }
    }
}
