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
        // ESP32 GPIOs 34..39 are inputs only (ESP32 datasheet, section 2.2).
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
            }

            Assert.IsNull(BoardCatalog.Find("no-such-board"));
        }

        [TestMethod]
        public void PinsAreDistinctUsableAndOutputsCanDrive()
        {
            string[] names = BoardCatalog.Names;
            for (int b = 0; b < names.Length; b++)
            {
                BoardDescription board = BoardCatalog.Find(names[b]);
                int[] pins = new int[5 + board.DigitalInputPins.Length];
                pins[0] = board.I2cDataPin;
                pins[1] = board.I2cClockPin;
                pins[2] = board.InterruptPin;
                pins[3] = board.ButtonPin;
                pins[4] = board.LedPin;
                for (int i = 0; i < board.DigitalInputPins.Length; i++)
                {
                    pins[5 + i] = board.DigitalInputPins[i];
                }

                for (int i = 0; i < pins.Length; i++)
                {
                    if (pins[i] < 0) continue;
                    Assert.IsTrue(pins[i] <= LastGpio, board.Name + ": GPIO" + pins[i] + " does not exist");
                    for (int f = 0; f < board.FlashPins.Length; f++)
                    {
                        Assert.IsFalse(pins[i] == board.FlashPins[f], board.Name + ": GPIO" + pins[i] + " belongs to the flash");
                    }

                    for (int j = i + 1; j < pins.Length; j++)
                    {
                        Assert.IsFalse(pins[i] == pins[j], board.Name + ": GPIO" + pins[i] + " has two functions");
                    }
                }

                Assert.IsTrue(board.I2cDataPin < FirstInputOnly && board.I2cClockPin < FirstInputOnly, board.Name + ": I2C needs outputs");
                Assert.IsTrue(board.LedPin < FirstInputOnly, board.Name + ": the LED pin is input-only");
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
    }
}
